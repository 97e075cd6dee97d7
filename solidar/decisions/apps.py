from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "solidar.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidar.decisions import panels, rules  # noqa: F401 - permissions

        panels.register()  # open votes and proposals seeking support on the dashboard
