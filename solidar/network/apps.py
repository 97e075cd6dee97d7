from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "solidar.network"
    label = "network"
    verbose_name = _("Network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from solidar.accounts.services import register_before_account_deletion
        from solidar.network import rules  # noqa: F401  (registers the coordinator role)
        from solidar.network.services import leave_network

        register_before_account_deletion(leave_network)
