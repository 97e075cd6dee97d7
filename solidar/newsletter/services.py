"""Readers and their lists: the business rules of subscribing, confirming and leaving.

Every change to subscribers goes through here (views, the bounce handling, imports and
the periodic purge call these functions).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from solidar.core import audit
from solidar.core.emails import send_templated
from solidar.newsletter import links
from solidar.newsletter.models import Mailing, MailingList, Subscriber, Subscription, Suppression


class NewsletterError(Exception):
    """A refusal with a message for the person (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# -- addresses ---------------------------------------------------------------------------------
def subscriber_for_email(email: str) -> Subscriber | None:
    if not email:
        return None
    return Subscriber.objects.filter(email_digest=links.email_digest(email)).first()


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email_digest=links.email_digest(email)).exists()


def suppress(email_digest: str, reason: str) -> None:
    """Put an address (by its digest) on the suppression list; the first reason stays."""
    Suppression.objects.get_or_create(email_digest=email_digest, defaults={"reason": reason})


def forget(subscriber: Subscriber, *, reason: str) -> None:
    """Delete the subscriber (the address is gone at once; queued deliveries to them are
    skipped by the engine) and keep only the keyed digest on the suppression list."""
    with transaction.atomic():
        suppress(subscriber.email_digest, reason)
        Subscriber.objects.filter(pk=subscriber.pk).delete()


# == readers: sign-up, confirmation, lists, leaving (public helper) ============================
# The version of the consent text readers agree to on the sign-up form. Change it (and the
# text) together: each subscription records the version its reader saw.
CONSENT_VERSION = "2026-11"
CONSENT_TEXT = _(
    "I agree that %(site)s sends the newsletters I chose to this address. I can leave any "
    "time through the link in every newsletter; my address is then deleted. It is used for "
    "nothing else, and nobody sees whether or when I open a newsletter."
)
IMPORT_CONSENT = "import"
MAX_EMAIL_LENGTH = 254
_validate_email = EmailValidator(message=_("Please give a valid e-mail address."))
PENDING = Subscription.Status.PENDING
CONFIRMED = Subscription.Status.CONFIRMED
UNSUBSCRIBED = Suppression.Reason.UNSUBSCRIBED


def consent_text() -> str:
    return str(CONSENT_TEXT) % {"site": settings.SOLIDAR_SITE_NAME}


def new_token() -> str:
    """256 bits from the CSPRNG, for the confirmation link."""
    return secrets.token_urlsafe(32)


def clean_email(email: str) -> str:
    """The address as given (trimmed), or NewsletterError with a message for the person."""
    email = (email or "").strip()
    if not email or len(email) > MAX_EMAIL_LENGTH:
        raise NewsletterError(_("Please give a valid e-mail address."))
    try:
        _validate_email(email)
    except ValidationError:
        raise NewsletterError(_("Please give a valid e-mail address.")) from None
    return email


def _language(language: str | None) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _ids(lists: Iterable) -> set[int]:
    ids = set()
    for item in lists or ():
        value = getattr(item, "pk", item)
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**63:  # what the database can hold
            ids.add(number)
    return ids


def public_lists():
    """The lists offered on the sign-up form."""
    return MailingList.objects.filter(is_active=True, is_public=True)


def member_offer():
    """The lists a member may choose from on their profile: the public ones and those only
    for members."""
    return MailingList.objects.filter(is_active=True)


def confirm_url(token: str, language: str) -> str:
    with translation.override(language):
        return links.absolute(reverse("newsletter:confirm", args=[token]))


def _lock(subscriber: Subscriber) -> Subscriber | None:
    return Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()


# -- signing up (double opt-in) ---------------------------------------------------------------
def subscribe(
    email: str,
    lists: Iterable,
    *,
    language: str,
    source: str = Subscription.Source.FORM,
) -> None:
    """A reader asks for lists: nothing is sent to them until they open the link we e-mail.

    The outcome is the same whether the address is new, waiting for its confirmation or
    subscribed already (the answer must not tell who reads which newsletter): a new or
    waiting address gets a (new) confirmation link, an address on every chosen list gets
    an e-mail saying so, with the link to its preferences.
    """
    email = clean_email(email)
    wanted = list(public_lists().filter(pk__in=_ids(lists)))
    if not wanted:
        raise NewsletterError(_("Please choose at least one list."))
    language = _language(language)
    digest = links.email_digest(email)
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(
            email_digest=digest, defaults={"email": email}
        )
        if not created:
            subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        current = {s.mailing_list_id: s for s in subscriber.subscriptions.all()}
        fresh = []
        for mailing_list in wanted:
            subscription = current.get(mailing_list.pk)
            if subscription is None:
                fresh.append(
                    Subscription(
                        subscriber=subscriber,
                        mailing_list=mailing_list,
                        status=PENDING,
                        source=source,
                        consent_version=CONSENT_VERSION,
                        requested_at=now,
                    )
                )
            elif subscription.status == PENDING:
                subscription.consent_version = CONSENT_VERSION
                subscription.requested_at = now
                subscription.save(update_fields=["consent_version", "requested_at"])
        Subscription.objects.bulk_create(fresh)
        pending = list(
            MailingList.objects.filter(
                subscriptions__subscriber=subscriber, subscriptions__status=PENDING
            )
        )
        if not pending:
            _send_already_subscribed(subscriber, wanted, language)
            return
        token = new_token()
        subscriber.confirm_digest = links.digest(token, "confirm")
        subscriber.confirm_expires_at = now + timedelta(
            days=settings.SOLIDAR_NEWSLETTER_CONFIRM_DAYS
        )
        subscriber.save(update_fields=["confirm_digest", "confirm_expires_at"])
        send_templated(
            "newsletter/email/confirm_subscription",
            email,
            {
                "lists": pending,
                "confirm_link": confirm_url(token, language),
                "days": settings.SOLIDAR_NEWSLETTER_CONFIRM_DAYS,
            },
            language,
        )


def _send_already_subscribed(subscriber: Subscriber, lists, language: str) -> None:
    send_templated(
        "newsletter/email/confirm_already",
        subscriber.email,
        {"lists": lists, "preferences_link": links.preference_url(subscriber, language)},
        language,
    )


@dataclass
class Confirmation:
    """What a confirmation link does (or did): the subscriber and the lists concerned;
    ``already`` when the link was used before (confirming twice is not an error)."""

    subscriber: Subscriber
    lists: list[MailingList] = field(default_factory=list)
    already: bool = False


def _by_confirm_token(token: str, *, lock: bool = False) -> Subscriber:
    if not token or len(token) > 200:
        raise NewsletterError(_("This link is not valid. Please copy the whole link."))
    found = Subscriber.objects.filter(confirm_digest=links.digest(token, "confirm"))
    subscriber = (found.select_for_update() if lock else found).first()
    if subscriber is None:
        raise NewsletterError(
            _(
                "This link is not valid. A newer one may have been sent, or the sign-up "
                "expired: please sign up again."
            )
        )
    return subscriber


def _lists_of(subscriber: Subscriber, status: str) -> list[MailingList]:
    return list(
        MailingList.objects.filter(
            subscriptions__subscriber=subscriber, subscriptions__status=status
        )
    )


def pending_confirmation(token: str) -> Confirmation:
    """What the confirmation link would confirm, reading only (mail scanners open links):
    NewsletterError when it cannot be used."""
    subscriber = _by_confirm_token(token)
    if subscriber.confirm_expires_at is None:
        return Confirmation(subscriber, _lists_of(subscriber, CONFIRMED), already=True)
    if subscriber.confirm_expires_at <= timezone.now():
        raise NewsletterError(_("This link has expired. Please sign up again to get a new one."))
    pending = _lists_of(subscriber, PENDING)
    if not pending:
        return Confirmation(subscriber, _lists_of(subscriber, CONFIRMED), already=True)
    return Confirmation(subscriber, pending)


def confirm(token: str) -> Confirmation:
    """The reader confirms their address: every list waiting for it is confirmed, and
    the address leaves the suppression list (their own new confirmation lifts it).

    The link works once; opened again it only says the address is confirmed already
    (``already``). Its digest stays as that marker until the next sign-up replaces it.
    An unknown or expired link raises NewsletterError and changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = _by_confirm_token(token, lock=True)
        if subscriber.confirm_expires_at is None:
            return Confirmation(subscriber, _lists_of(subscriber, CONFIRMED), already=True)
        if subscriber.confirm_expires_at <= now:
            raise NewsletterError(
                _("This link has expired. Please sign up again to get a new one.")
            )
        pending = _lists_of(subscriber, PENDING)
        subscriber.subscriptions.filter(status=PENDING).update(status=CONFIRMED, confirmed_at=now)
        Suppression.objects.filter(email_digest=subscriber.email_digest).delete()
        subscriber.confirm_expires_at = None
        subscriber.save(update_fields=["confirm_expires_at"])
        audit.record(None, "newsletter.confirmed", subscriber, lists=[m.slug for m in pending])
    return Confirmation(subscriber, pending, already=not pending)


# -- the reader's lists ------------------------------------------------------------------------
def choosable_lists(subscriber: Subscriber) -> list[MailingList]:
    """The lists on a reader's preference page: the public ones, those they are on, and
    (for a member's address) those only for members."""
    mine = Subscription.objects.filter(subscriber=subscriber).values("mailing_list_id")
    offer = MailingList.objects.filter(is_active=True)
    if subscriber.user_id is None:
        offer = offer.filter(Q(is_public=True) | Q(pk__in=mine))
    return list(offer)


def subscriptions_of(subscriber: Subscriber) -> dict[int, Subscription]:
    """The reader's subscriptions by list id."""
    return {s.mailing_list_id: s for s in Subscription.objects.filter(subscriber=subscriber)}


def _add_confirmed(subscriber: Subscriber, list_ids, source: str, now) -> None:
    """Confirmed subscriptions to ``list_ids`` (the address is known to be theirs)."""
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=subscriber,
            mailing_list_id=pk,
            status=CONFIRMED,
            source=source,
            consent_version=CONSENT_VERSION,
            requested_at=now,
            confirmed_at=now,
        )
        for pk in sorted(list_ids)
    )


def update_lists(subscriber: Subscriber, lists: Iterable) -> bool:
    """Set the reader's lists to exactly ``lists`` (of those offered to them): new ones
    are confirmed at once (the preference link came to the address), unticked ones end.
    With none left the reader is forgotten; returns True then."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(subscriber)
        if locked is None:
            return True
        offered = {m.pk: m for m in choosable_lists(locked)}
        wanted = _ids(lists) & offered.keys()
        current = subscriptions_of(locked)
        Subscription.objects.filter(subscriber=locked).exclude(mailing_list_id__in=wanted).delete()
        _add_confirmed(locked, wanted - current.keys(), Subscription.Source.FORM, now)
        if not wanted:
            forget(locked, reason=UNSUBSCRIBED)
            audit.record(None, "newsletter.left", None)
            return True
        audit.record(None, "newsletter.lists_changed", locked, lists=len(wanted))
    return False


def unsubscribe(subscriber: Subscriber, lists: Iterable) -> list[MailingList]:
    """Take the reader off ``lists``; returns the lists they stay on (none: the reader is
    forgotten, their address deleted and its digest suppressed)."""
    with transaction.atomic():
        locked = _lock(subscriber)
        if locked is None:
            return []
        Subscription.objects.filter(subscriber=locked, mailing_list_id__in=_ids(lists)).delete()
        remaining = list(MailingList.objects.filter(subscriptions__subscriber=locked))
        if not remaining:
            forget(locked, reason=UNSUBSCRIBED)
            audit.record(None, "newsletter.left", None)
        else:
            audit.record(None, "newsletter.unsubscribed", locked)
    return remaining


def unsubscribe_from_mailing(subscriber: Subscriber, mailing: Mailing) -> list[MailingList]:
    """The unsubscribe link of a mailing (its page, or RFC 8058 one-click): off the lists
    the mailing went through. Returns the lists the reader stays on."""
    return unsubscribe(subscriber, mailing.lists.values_list("pk", flat=True))


def leave(subscriber: Subscriber) -> None:
    """Every list at once: the address is deleted, its digest suppressed."""
    with transaction.atomic():
        forget(subscriber, reason=UNSUBSCRIBED)
        audit.record(None, "newsletter.left", None)


# -- members, from their profile ---------------------------------------------------------------
def member_address(user) -> str | None:
    """The account's verified primary address, or None."""
    return (
        EmailAddress.objects.filter(user=user, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )


def member_subscriber(user) -> Subscriber | None:
    return Subscriber.objects.filter(user=user).first()


def member_lists(user) -> list[MailingList]:
    """The lists the member's address is on (confirmed or waiting)."""
    return list(MailingList.objects.filter(subscriptions__subscriber__user=user))


def subscribe_member(user, lists: Iterable) -> Subscriber | None:
    """A member sets their lists from their profile (exactly ``lists``): with the account's
    verified address, confirmed at once (the account confirmed the address). Unticking
    every list forgets the address. Returns the subscriber, or None when none is left."""
    email = member_address(user)
    if email is None:
        raise NewsletterError(
            _("Please confirm your account's e-mail address first: newsletters go there.")
        )
    wanted = set(member_offer().filter(pk__in=_ids(lists)).values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        subscriber = _member_subscriber_for(user, email)
        if subscriber is None and not wanted:
            return None
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                email=email, email_digest=links.email_digest(email), user=user
            )
        current = subscriptions_of(subscriber)
        Subscription.objects.filter(subscriber=subscriber).exclude(
            mailing_list_id__in=wanted
        ).delete()
        if not wanted:
            forget(subscriber, reason=UNSUBSCRIBED)
            audit.record(user, "newsletter.left", None)
            return None
        Subscription.objects.filter(subscriber=subscriber, status=PENDING).update(
            status=CONFIRMED, confirmed_at=now, source=Subscription.Source.PROFILE
        )
        _add_confirmed(subscriber, wanted - current.keys(), Subscription.Source.PROFILE, now)
        Suppression.objects.filter(email_digest=subscriber.email_digest).delete()
        audit.record(user, "newsletter.member_lists_changed", subscriber, lists=len(wanted))
    return subscriber


def _member_subscriber_for(user, email: str) -> Subscriber | None:
    """The member's subscriber, locked, its address set to ``email``; an earlier sign-up of
    the same address from the form is merged into it."""
    digest = links.email_digest(email)
    mine = Subscriber.objects.select_for_update().filter(user=user).first()
    other = Subscriber.objects.select_for_update().filter(email_digest=digest).first()
    if mine is None:
        if other is not None and other.user_id is None:
            other.user = user
            other.save(update_fields=["user"])
        return other if other is not None and other.user_id == user.pk else None
    if mine.email_digest == digest:
        return mine
    if other is not None:
        # The same address signed up from the form: its lists join the member's.
        have = set(
            Subscription.objects.filter(subscriber=mine).values_list("mailing_list_id", flat=True)
        )
        Subscription.objects.filter(subscriber=other).exclude(mailing_list_id__in=have).update(
            subscriber=mine
        )
        Subscriber.objects.filter(pk=other.pk).delete()
    mine.email = email
    mine.email_digest = digest
    mine.link_version += 1  # links sent to the old address stop working
    mine.save(update_fields=["email", "email_digest", "link_version"])
    return mine


def sync_member_address(user) -> None:
    """The account's primary address changed (allauth's email_changed/email_confirmed):
    the member's newsletters follow it. Nothing to do without a verified primary address."""
    email = member_address(user)
    if email is None or not Subscriber.objects.filter(user=user).exists():
        return
    with transaction.atomic():
        subscriber = _member_subscriber_for(user, email)
        if subscriber is not None:
            audit.record(user, "newsletter.member_address_changed", subscriber)


def forget_account(user) -> None:
    """Before an account is deleted: its newsletter address goes (digest suppressed)."""
    subscriber = member_subscriber(user)
    if subscriber is not None:
        forget(subscriber, reason=UNSUBSCRIBED)


# -- retention ---------------------------------------------------------------------------------
def purge_unconfirmed(now: datetime | None = None) -> int:
    """Sign-ups not confirmed within SOLIDAR_NEWSLETTER_CONFIRM_DAYS are deleted, and
    subscribers left with no list with them (never confirmed: nothing to suppress).
    Returns the number of subscriptions deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SOLIDAR_NEWSLETTER_CONFIRM_DAYS)
    with transaction.atomic():
        stale = Subscription.objects.filter(status=PENDING, requested_at__lt=cutoff)
        touched = set(stale.values_list("subscriber_id", flat=True).distinct())
        deleted, _by_model = stale.delete()
        if touched:
            Subscriber.objects.filter(pk__in=touched, subscriptions__isnull=True).delete()
    return deleted


# -- imports (the editors' CSV or text import) -------------------------------------------------
@dataclass
class ImportResult:
    added: int = 0
    already: int = 0
    suppressed: int = 0
    invalid: int = 0


_HEADERS = {"email", "e-mail", "mail", "address", "email address", "e-mail address"}
_CHUNK = 500


def _address_of(line: str) -> str:
    """The address in one line of a list or a CSV file (its first field)."""
    first = (line or "").replace(";", ",").replace("\t", ",").split(",", 1)[0]
    return first.strip().strip('"').strip("'").strip().strip("<>").strip()


def import_addresses(mailing_list: MailingList, lines: Iterable[str], *, by) -> ImportResult:
    """Add addresses to a list, confirmed (source IMPORT, consent "import": the editor
    answers for their consent). An address on the suppression list is skipped: only the
    reader's own new confirmation takes it off. Blank lines, comments (#) and a header
    line are ignored; the same address twice counts once."""
    result = ImportResult()
    seen: dict[str, str] = {}
    for line in lines:
        address = _address_of(line)
        if not address or address.startswith("#") or address.lower() in _HEADERS:
            continue
        try:
            email = clean_email(address)
        except NewsletterError:
            result.invalid += 1
            continue
        seen.setdefault(links.email_digest(email), email)
    now = timezone.now()
    digests = list(seen)
    with transaction.atomic():
        for start in range(0, len(digests), _CHUNK):
            chunk = digests[start : start + _CHUNK]
            suppressed = set(
                Suppression.objects.filter(email_digest__in=chunk).values_list(
                    "email_digest", flat=True
                )
            )
            result.suppressed += len(suppressed)
            chunk = [d for d in chunk if d not in suppressed]
            existing = dict(
                Subscriber.objects.filter(email_digest__in=chunk).values_list("email_digest", "pk")
            )
            new = [Subscriber(email=seen[d], email_digest=d) for d in chunk if d not in existing]
            Subscriber.objects.bulk_create(new)
            existing.update({s.email_digest: s.pk for s in new})
            on_list = dict(
                Subscription.objects.filter(
                    mailing_list=mailing_list, subscriber_id__in=existing.values()
                ).values_list("subscriber_id", "status")
            )
            result.already += sum(1 for status in on_list.values() if status == CONFIRMED)
            waiting = [pk for pk, status in on_list.items() if status == PENDING]
            Subscription.objects.filter(
                mailing_list=mailing_list, subscriber_id__in=waiting
            ).update(
                status=CONFIRMED,
                source=Subscription.Source.IMPORT,
                consent_version=IMPORT_CONSENT,
                confirmed_at=now,
            )
            fresh = [
                Subscription(
                    subscriber_id=pk,
                    mailing_list=mailing_list,
                    status=CONFIRMED,
                    source=Subscription.Source.IMPORT,
                    consent_version=IMPORT_CONSENT,
                    requested_at=now,
                    confirmed_at=now,
                )
                for pk in existing.values()
                if pk not in on_list
            ]
            Subscription.objects.bulk_create(fresh)
            result.added += len(fresh) + len(waiting)
        audit.record(
            by,
            "newsletter.imported",
            mailing_list,
            added=result.added,
            already=result.already,
            suppressed=result.suppressed,
            invalid=result.invalid,
        )
    return result
