from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from solidar.core import crypto, emails
from solidar.core.clientip import pseudonymous_address
from solidar.core.site import this_site

_URL_KEYS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return settings.SOLIDAR_SIGNUP_OPEN

    def get_client_ip(self, request) -> str:
        # allauth keys its rate limits (and session list) by this: never the real address.
        return pseudonymous_address(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the recipient's language and queue for the task worker."""
        from solidar.accounts.services import language_for_address

        request = allauth_context.request
        language = language_for_address(email, default=translation.get_language())
        ctx = {
            "request": request,
            "email": email,
            "site_name": settings.SOLIDAR_SITE_NAME,
        }
        ctx.update(context)
        # allauth's texts greet "from <current_site.name>": our name, not the request's host.
        ctx["current_site"] = this_site()
        for key in _URL_KEYS:
            if isinstance(ctx.get(key), str):
                ctx[key] = translate_url(ctx[key], language)
        with translation.override(language):
            msg = self.render_mail(template_prefix, email, ctx)
        emails.queue_message(msg)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.username
        user.language = form.cleaned_data.get("language") or translation.get_language() or "en"
        if commit:
            user.save()
        return user


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are sealed with the data keys (AES-GCM),
    so a database dump alone does not let anyone pass the second factor."""

    _BINDING = {"table": "mfa_authenticator", "row": "-", "field": "secret"}

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text, **self._BINDING)

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(crypto.PREFIX + "$"):
            return encrypted_text  # written before encryption was switched on
        return crypto.decrypt(encrypted_text, **self._BINDING)

    def get_public_key_credential_rp_entity(self):
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = settings.SOLIDAR_SITE_NAME
        return entity
