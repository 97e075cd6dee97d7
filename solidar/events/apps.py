from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "solidar.events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidar.accounts.services import register_before_account_deletion
        from solidar.events import rules, services  # noqa: F401 - registers the permissions

        register_before_account_deletion(services.forget_account)

        from solidar.events import panels

        panels.register()  # the next events on the home page and the dashboard
