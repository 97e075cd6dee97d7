from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "solidar.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidar.newsletter import receivers, rules  # noqa: F401 - registers the permissions

        receivers.connect()  # a member's newsletter address follows their account
