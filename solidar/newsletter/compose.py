"""A mailing as e-mail: rendered once per language, personalised per recipient.

``render(variant)`` turns a language version into subject, plain text and HTML (the
Markdown sanitised by ``core.markup``; links and images made absolute to our own site),
with markers where each reader's own links go. ``message(...)`` fills in one reader's
links and builds the e-mail: both parts, the reader's language, ``List-Unsubscribe``
with the RFC 8058 one-click POST, ``List-Id``, a stable ``Message-ID``. Nothing that
tracks: no pixel, no rewritten link, no per-reader id anywhere but in their own links.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from solidar.core.markup import render_markdown
from solidar.newsletter import links
from solidar.newsletter.models import Mailing, MailingVariant, Subscriber

# Markers for the per-reader links: characters Markdown and HTML escaping leave alone,
# which no editor types.
UNSUBSCRIBE_MARK = "\u2063solidar-unsubscribe\u2063"
PREFERENCES_MARK = "\u2063solidar-preferences\u2063"
_RELATIVE = re.compile(r'(\s(?:href|src)=")(/[^/"][^"]*|/)"')


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    text: str
    html: str


def absolute_links(html: str) -> str:
    """Relative links and image sources (our own site's) made absolute for a mail program."""
    base = settings.SOLIDAR_SITE_URL.rstrip("/")
    return _RELATIVE.sub(lambda m: f'{m[1]}{base}{m[2]}"', html)


def body_html(variant: MailingVariant) -> str:
    """The text of a language version as HTML (the archive shows this too)."""
    return str(render_markdown(variant.body))


def render(variant: MailingVariant) -> Rendered:
    with translation.override(variant.language):
        context = {
            "site_name": settings.SOLIDAR_SITE_NAME,
            "site_url": settings.SOLIDAR_SITE_URL,
            "subject": variant.subject,
            "body_text": variant.body.strip(),
            "body_html": absolute_links(body_html(variant)),
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "preferences_url": PREFERENCES_MARK,
            "language": variant.language,
        }
        text = render_to_string("newsletter/email/mailing.txt", context)
        html = render_to_string("newsletter/email/mailing.html", context)
    return Rendered(variant.language, " ".join(variant.subject.split()), text, html)


def list_id(mailing: Mailing) -> str:
    domain = settings.SOLIDAR_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<newsletter.{domain or 'solidar.invalid'}>"


def message(
    rendered: Rendered,
    *,
    mailing: Mailing,
    subscriber: Subscriber | None,
    to: str,
) -> EmailMultiAlternatives:
    """The e-mail for one reader. ``subscriber`` None: a test send to an editor (the
    links then lead to the public newsletter page, which can change nothing)."""
    if subscriber is not None:
        unsubscribe = links.unsubscribe_url(subscriber, mailing, rendered.language)
        preferences = links.preference_url(subscriber, rendered.language)
        one_click = links.one_click_url(subscriber, mailing)
        message_id = links.message_id(mailing, subscriber.pk)
    else:
        with translation.override(rendered.language):
            from django.urls import reverse

            unsubscribe = preferences = one_click = links.absolute(reverse("newsletter:subscribe"))
        message_id = None

    def personal(part: str) -> str:
        return part.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(PREFERENCES_MARK, preferences)

    headers = {
        "List-Id": list_id(mailing),
        "List-Unsubscribe": f"<{one_click}>",
        "Content-Language": rendered.language,
        "Auto-Submitted": "auto-generated",
    }
    if subscriber is not None:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message_id:
        headers["Message-ID"] = message_id
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=personal(rendered.text),
        from_email=settings.SOLIDAR_NEWSLETTER_FROM,
        to=[to],
        headers=headers,
    )
    email.attach_alternative(personal(rendered.html), "text/html")
    return email


# -- the same e-mail, serialised once per language ----------------------------------------------
_TO_MARK = "solidar-recipient@marker.invalid"
_ID_MARK = "<solidar-message-id@marker.invalid>"
# Where the reader's signed tokens go: the unsubscribe token (in List-Unsubscribe and in the
# unsubscribe link of both parts) and the preference token.
_UNSUBSCRIBE_TOKEN = "solidar-unsubscribe-token-marker"  # noqa: S105 - a marker
_PREFERENCES_TOKEN = "solidar-preferences-token-marker"  # noqa: S105 - a marker


@dataclass
class Prepared:
    """``message(...)`` serialised once for a language, then only the reader's address,
    tokens and Message-ID put into the bytes: building a MIME message with Python's email
    package costs more than sending it. The links are reversed once, with markers for the
    tokens, and the bytes are dot-stuffed for SMTP once (``smtplib``'s quoting: a line
    that starts with "." gets another; nothing put in starts a line with one).
    ``bytes_for`` returns None when this reader's e-mail cannot be made that way (an
    address that is not plain ASCII): build it with ``message`` then."""

    rendered: Rendered
    mailing: Mailing
    sender: str = ""
    template: bytes = b""
    usable: bool = False
    _marks: tuple = field(default_factory=tuple)

    def __post_init__(self) -> None:
        from django.urls import reverse

        with translation.override(self.rendered.language):
            one_click = links.absolute(reverse("newsletter_one_click", args=[_UNSUBSCRIBE_TOKEN]))
            unsubscribe = links.absolute(
                reverse("newsletter:unsubscribe", args=[_UNSUBSCRIBE_TOKEN])
            )
            preferences = links.absolute(
                reverse("newsletter:preferences", args=[_PREFERENCES_TOKEN])
            )
        headers = {
            "List-Id": list_id(self.mailing),
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": self.rendered.language,
            "Auto-Submitted": "auto-generated",
            "Message-ID": _ID_MARK,
        }
        email = EmailMultiAlternatives(
            subject=self.rendered.subject,
            body=self.rendered.text,
            from_email=settings.SOLIDAR_NEWSLETTER_FROM,
            to=[_TO_MARK],
            headers=headers,
        )
        email.attach_alternative(self.rendered.html, "text/html")
        self.sender = email.from_email
        template = email.message().as_bytes(linesep="\r\n")
        # Every marker must be in the bytes as written (not folded, not encoded): then a
        # plain replacement gives exactly what ``message`` would have built.
        in_text = self.rendered.text.encode()
        self.usable = all(
            template.count(mark.encode()) >= 1 for mark in (_TO_MARK, _ID_MARK, _UNSUBSCRIBE_TOKEN)
        ) and all(
            mark.encode() in template or mark.encode() not in in_text
            for mark in (UNSUBSCRIBE_MARK, PREFERENCES_MARK)
        )
        template = template.replace(UNSUBSCRIBE_MARK.encode(), unsubscribe.encode())
        template = template.replace(PREFERENCES_MARK.encode(), preferences.encode())
        template = smtplib._quote_periods(template)  # noqa: SLF001 - smtplib's own quoting
        self.template = template if template.endswith(b"\r\n") else template + b"\r\n"
        self._marks = tuple(
            mark.encode() for mark in (_TO_MARK, _ID_MARK, _UNSUBSCRIBE_TOKEN, _PREFERENCES_TOKEN)
        )

    def bytes_for(self, subscriber: Subscriber, to: str) -> bytes | None:
        """The reader's e-mail, dot-stuffed, ready for SMTP's DATA (without the final dot)."""
        if not self.usable or not to.isascii() or "\n" in to or "\r" in to:
            return None
        values = (
            to,
            links.message_id(self.mailing, subscriber.pk),
            links.unsubscribe_token(subscriber, self.mailing),
            links.preference_token(subscriber),
        )
        data = self.template
        for mark, value in zip(self._marks, values, strict=True):
            data = data.replace(mark, value.encode())
        return data
