from django.conf import settings
from django.core.checks import Error, register


@register()
def data_keys_check(app_configs, **kwargs):
    from solidar.core.crypto import KeyRingError, key_ring

    try:
        key_ring()
    except KeyRingError as exc:
        return [Error(f"SOLIDAR_DATA_KEYS: {exc}", id="solidar.E001")]
    return []


@register(deploy=True)
def production_check(app_configs, **kwargs):
    errors = []
    if not settings.PRODUCTION:
        errors.append(
            Error("SOLIDAR_PRODUCTION is off: development defaults are in use.", id="solidar.E002")
        )
    return errors
