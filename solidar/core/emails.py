"""Outgoing e-mail: rendered in the recipient's language, delivered by a task.

No request ever waits on an SMTP server: :func:`queue_message` hands a rendered
message to the ``deliver_email`` task after the surrounding transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def message_to_payload(msg: EmailMessage) -> dict[str, Any]:
    alternatives = [
        [content, mimetype] for content, mimetype in getattr(msg, "alternatives", []) or []
    ]
    return {
        "subject": str(msg.subject),
        "body": str(msg.body),
        "from_email": msg.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(msg.to),
        "headers": {str(k): str(v) for k, v in (msg.extra_headers or {}).items()},
        "alternatives": alternatives,
        "content_subtype": msg.content_subtype,
        # Text attachments only (calendar files): [filename, content, mimetype].
        "attachments": [
            [name, content if isinstance(content, str) else content.decode(), mimetype]
            for name, content, mimetype in (msg.attachments or [])
        ],
    }


def payload_to_message(payload: dict[str, Any]) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload.get("headers") or {},
    )
    msg.content_subtype = payload.get("content_subtype", "plain")
    for content, mimetype in payload.get("alternatives", []):
        msg.attach_alternative(content, mimetype)
    for name, content, mimetype in payload.get("attachments", []):
        msg.attach(name, content, mimetype)
    return msg


def queue_message(msg: EmailMessage) -> None:
    """Deliver ``msg`` from the task worker once the current transaction commits."""
    from solidar.core.tasks import deliver_email

    payload = message_to_payload(msg)
    transaction.on_commit(lambda: deliver_email.enqueue(payload))


def send_templated(
    template_prefix: str,
    to: str,
    context: dict[str, Any],
    language: str,
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render ``<prefix>_subject.txt``, ``_message.txt`` and (optionally) ``_message.html``
    in ``language`` and queue the message, with text ``attachments`` (name, content,
    mimetype) such as a calendar file."""
    with translation.override(language):
        ctx = {"site_name": settings.SOLIDAR_SITE_NAME, "site_url": settings.SOLIDAR_SITE_URL}
        ctx.update(context)
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", ctx).split())
        body = render_to_string(f"{template_prefix}_message.txt", ctx)
        msg = EmailMultiAlternatives(subject=subject, body=body, to=[to])
        try:
            html = render_to_string(f"{template_prefix}_message.html", ctx)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            html = None
        if html:
            msg.attach_alternative(html, "text/html")
        for name, content, mimetype in attachments or ():
            msg.attach(name, content, mimetype)
    queue_message(msg)
