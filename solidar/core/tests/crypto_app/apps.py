from django.apps import AppConfig


class CryptoAppConfig(AppConfig):
    """A test-only app with an encrypted field (installed by solidar.test_settings only)."""

    name = "solidar.core.tests.crypto_app"
    label = "crypto_app"
    default_auto_field = "django.db.models.BigAutoField"
