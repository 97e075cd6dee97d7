"""The inbound bounce webhook: django-anymail's tracking webhooks of the common e-mail
services, outside the language prefix (an e-mail service must never be redirected):

    /newsletter/bounces/<service>/tracking/     e.g. /newsletter/bounces/postmark/tracking/

(``mandrill/tracking/`` for Mandrill). Every URL

- answers 404 while ``SOLIDAR_BOUNCE_WEBHOOK_SECRET`` is unset (``ANYMAIL["WEBHOOK_SECRET"]``
  is None): no secret, no webhook — and 404 too for a service whose own signing key
  anymail needs and does not have (Mailgun, Mandrill, Postal, MailerSend, Unisender Go) or
  whose library is not installed (Amazon SES needs boto3);
- asks for HTTP basic auth with that secret ("user:password") and answers 401 without it;
- answers 400 to a body the service's parser cannot read (never a 500);
- hands each normalised event to ``bounces.verdict_for_event`` and ``bounces.record``, all
  events of one POST in one transaction. An error of ours is a 500, which the services
  take as "try again later".
"""

from __future__ import annotations

import logging

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError, AnymailWebhookValidationFailure
from anymail.signals import tracking
from anymail.utils import get_request_basic_auth
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.urls import include, path
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from solidar.newsletter import bounces

logger = logging.getLogger(__name__)


class _BadPayloadError(Exception):
    pass


class _Tolerant:
    """Mixed into anymail's view: whatever its parser chokes on is bad input (400)."""

    def run_validators(self, request):
        try:
            super().run_validators(request)
        except (AnymailWebhookValidationFailure, AnymailConfigurationError):
            raise
        except Exception as error:  # noqa: BLE001 - a third party's body, any shape
            raise _BadPayloadError from error

    def parse_events(self, request):
        try:
            return list(super().parse_events(request))
        except Exception as error:  # noqa: BLE001 - a third party's body, any shape
            raise _BadPayloadError from error


def _secrets() -> list[str]:
    value = (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET")
    if not value:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _unauthorised() -> HttpResponse:
    response = HttpResponse(
        _("This address needs the webhook's user name and password."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = 'Basic realm="bounces", charset="UTF-8"'
    return response


def _not_here() -> HttpResponse:
    return HttpResponseNotFound(
        _("There is no bounce webhook at this address."),
        content_type="text/plain; charset=utf-8",
    )


def _guarded(view_class):
    anymail_view = type(view_class.__name__, (_Tolerant, view_class), {}).as_view()

    @csrf_exempt
    def view(request, *args, **kwargs):
        secrets = _secrets()
        if not secrets:
            return _not_here()
        given = get_request_basic_auth(request)
        if given is None or not any(constant_time_compare(given, s) for s in secrets):
            return _unauthorised()
        try:
            with transaction.atomic():
                return anymail_view(request, *args, **kwargs)
        except AnymailConfigurationError:
            # The service needs a setting (its signing key) or a library we do not have.
            return _not_here()
        except (_BadPayloadError, AnymailWebhookValidationFailure):
            logger.warning("bounce webhook %s: a request it could not read", view_class.esp_name)
            return HttpResponseBadRequest(
                _("This is not a notification this address can read."),
                content_type="text/plain; charset=utf-8",
            )

    return view


@receiver(tracking, dispatch_uid="solidar.newsletter.bounces")
def _on_tracking_event(sender, event, esp_name, **kwargs):
    verdict = bounces.verdict_for_event(event, esp_name)
    if verdict is not None and event.recipient:
        bounces.record(event.recipient, hard=verdict.hard, reason=verdict.reason)


_tracking = [
    path(str(pattern.pattern), _guarded(pattern.callback.view_class), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if (pattern.name or "").endswith("_tracking_webhook")
    and not str(pattern.pattern).startswith("sendinblue/")  # Brevo's old name, deprecated
]

urlpatterns: list = []
root_patterns = [path("newsletter/bounces/", include((_tracking, "newsletter_bounces")))]
