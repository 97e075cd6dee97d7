from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "solidar.aid"
    label = "aid"
    verbose_name = _("Mutual aid")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidar.aid import receivers, rules  # noqa: F401 - permissions and receivers
