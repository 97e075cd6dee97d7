from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "solidar.aid"
    label = "aid"
    verbose_name = _("Mutual aid")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidar.aid import panels, receivers, rules  # noqa: F401 - permissions, receivers

        panels.register()  # offers of help and new requests on the member's dashboard
