"""The bounce rules (bounces.record, is_permanent, verdict_for_event): what a hard bounce,
a soft bounce, a complaint and an unknown address do to the subscriber."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent
from django.utils import timezone

from solidar.core.models import AuditEvent
from solidar.newsletter import bounces, links
from solidar.newsletter.models import Delivery, Subscriber, Suppression

ADDRESS = "Reader@Example.org"


@pytest.fixture
def reader(make_list, make_subscriber):
    return make_subscriber(ADDRESS, lists=[make_list()])


def suppression_reason(email: str) -> str | None:
    row = Suppression.objects.filter(email_digest=links.email_digest(email)).first()
    return row.reason if row else None


def test_a_hard_bounce_forgets_the_subscriber_and_suppresses_the_address(reader, caplog):
    caplog.set_level(logging.INFO, logger="solidar.newsletter.bounces")

    outcome = bounces.record("  reader@example.ORG ", hard=True)

    assert outcome == bounces.Outcome.REMOVED
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert suppression_reason(ADDRESS) == Suppression.Reason.HARD_BOUNCE
    event = AuditEvent.objects.get(action="newsletter.subscriber_bounced")
    assert event.object_id == str(reader.pk)
    assert event.data == {"reason": "hard_bounce"}
    assert caplog.records, "the removal is logged"
    assert "example.org" not in caplog.text.lower()
    assert links.email_digest(ADDRESS)[:12] in caplog.text


def test_a_complaint_forgets_with_its_own_reason(reader):
    assert bounces.record(ADDRESS, hard=True, reason=Suppression.Reason.COMPLAINT) == "removed"
    assert suppression_reason(ADDRESS) == Suppression.Reason.COMPLAINT


def test_queued_deliveries_lose_their_reader(reader, make_mailing):
    mailing = make_mailing()
    delivery = Delivery.objects.create(mailing=mailing, subscriber=reader, language="de")

    bounces.record(ADDRESS, hard=True)

    delivery.refresh_from_db()
    assert delivery.subscriber_id is None  # the engine skips it


def test_an_unknown_address_changes_nothing(db):
    assert bounces.record("stranger@example.org", hard=True) == bounces.Outcome.UNKNOWN
    assert bounces.record("stranger@example.org", hard=False) == bounces.Outcome.UNKNOWN
    assert bounces.record("", hard=True) == bounces.Outcome.UNKNOWN
    assert not Suppression.objects.exists()
    assert not AuditEvent.objects.filter(action="newsletter.subscriber_bounced").exists()


def test_soft_bounces_are_counted_and_stop_delivery_at_the_limit(reader, settings):
    settings.SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    start = timezone.now()

    assert bounces.record(ADDRESS, hard=False, now=start) == bounces.Outcome.COUNTED
    reader.refresh_from_db()
    assert (reader.soft_bounces, reader.last_bounce_at) == (1, start)

    assert bounces.record(ADDRESS, hard=False, now=start + timedelta(days=7)) == "counted"
    reader.refresh_from_db()
    assert reader.soft_bounces == 2
    assert suppression_reason(ADDRESS) is None

    assert bounces.record(ADDRESS, hard=False, now=start + timedelta(days=14)) == "removed"
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert suppression_reason(ADDRESS) == Suppression.Reason.SOFT_BOUNCES


def test_soft_bounces_of_one_episode_count_once(reader):
    start = timezone.now()
    bounces.record(ADDRESS, hard=False, now=start)

    for hours in (1, 5, 19):
        outcome = bounces.record(ADDRESS, hard=False, now=start + timedelta(hours=hours))
        assert outcome == bounces.Outcome.REPEATED

    reader.refresh_from_db()
    assert (reader.soft_bounces, reader.last_bounce_at) == (1, start)
    assert bounces.record(ADDRESS, hard=False, now=start + timedelta(hours=21)) == "counted"


def test_an_old_soft_bounce_no_longer_counts(reader, settings):
    settings.SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    start = timezone.now() - timedelta(days=200)
    bounces.record(ADDRESS, hard=False, now=start)
    bounces.record(ADDRESS, hard=False, now=start + timedelta(days=30))

    later = start + timedelta(days=30) + bounces.WINDOW + timedelta(days=1)
    assert bounces.record(ADDRESS, hard=False, now=later) == bounces.Outcome.COUNTED
    reader.refresh_from_db()
    assert reader.soft_bounces == 1  # started afresh, still subscribed


def test_a_monthly_newsletter_to_a_full_mailbox_reaches_the_limit(reader, settings):
    settings.SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    start = timezone.now() - timedelta(days=100)
    outcomes = [
        bounces.record(ADDRESS, hard=False, now=start + timedelta(days=31 * month))
        for month in range(3)
    ]
    assert outcomes == ["counted", "counted", "removed"]


def test_a_limit_of_one_removes_at_the_first_soft_bounce(reader, settings):
    settings.SOLIDAR_NEWSLETTER_SOFT_BOUNCE_LIMIT = 1
    assert bounces.record(ADDRESS, hard=False) == bounces.Outcome.REMOVED
    assert suppression_reason(ADDRESS) == Suppression.Reason.SOFT_BOUNCES


def test_the_first_reason_stays_on_the_suppression_list(reader):
    Suppression.objects.create(
        email_digest=links.email_digest(ADDRESS), reason=Suppression.Reason.UNSUBSCRIBED
    )
    bounces.record(ADDRESS, hard=True)
    assert suppression_reason(ADDRESS) == Suppression.Reason.UNSUBSCRIBED
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("text", "permanent"),
    [
        ("5.1.1", True),
        ("smtp; 550 5.1.1 <x@example.org>: User unknown", True),
        ("550-5.1.1 The email account that you tried to reach does not exist.", True),
        ("4.4.1", False),
        ("smtp; 452 4.2.2 Mailbox full", False),
        ("552 5.2.2 Mailbox full", False),  # mailbox full is soft, whatever the class
        ("smtp; 421 Try again later", False),
        ("550 Requested action not taken", True),
        ("2.0.0", None),
        ("250 OK", None),
        ("connect to 192.0.2.5.25: timed out", None),
        ("", None),
        ("undefined Unable to find MX of domain no-mx.example.com", None),
    ],
)
def test_is_permanent(text, permanent):
    assert bounces.is_permanent(text) is permanent


def event(kind, reason=None, mta=None, raw=None):
    return AnymailTrackingEvent(
        event_type=kind,
        reject_reason=reason,
        mta_response=mta,
        recipient=ADDRESS,
        esp_event=raw or {},
    )


@pytest.mark.parametrize(
    ("tracking_event", "esp", "verdict"),
    [
        (event("complained", "spam"), "Postmark", bounces.COMPLAINT),
        (event("unsubscribed", "unsubscribed"), "SendGrid", bounces.UNSUBSCRIBED),
        (event("deferred", mta="421 4.7.0 try later"), "SendGrid", bounces.SOFT),
        (event("bounced", "bounced", "smtp;550 5.1.1 no such user"), "Postmark", bounces.HARD),
        (event("bounced", "bounced", None), "Mailgun", bounces.HARD),
        (event("bounced", "bounced", "452 4.2.2 over quota"), "Mailgun", bounces.SOFT),
        (event("bounced", "timed_out"), "SparkPost", bounces.SOFT),
        (
            event("bounced", "bounced", "smtp;552 mailbox full", {"Type": "SoftBounce"}),
            "Postmark",
            bounces.SOFT,
        ),
        (event("bounced", "bounced", "x", {"event": "soft_bounce"}), "Brevo", bounces.SOFT),
        (event("bounced", "bounced", "x", {"event": "soft_bounce"}), "Mandrill", bounces.SOFT),
        (event("bounced", "bounced", "x", {"hard_bounce": False}), "Mailjet", bounces.SOFT),
        (event("bounced", "bounced", "x", {"hard_bounce": True}), "Mailjet", bounces.HARD),
        (
            event("bounced", None, "554 blocked", {"type": "blocked", "status": "5.7.1"}),
            "SendGrid",
            bounces.SOFT,
        ),
        (
            event("bounced", "bounced", None, {"bounce": {"bounceType": "Transient"}}),
            "Amazon SES",
            bounces.SOFT,
        ),
        (
            event("bounced", "bounced", None, {"bounce": {"bounceType": "Permanent"}}),
            "Amazon SES",
            bounces.HARD,
        ),
        (
            event("bounced", "bounced", None, {"data": {"bounce": {"type": "Transient"}}}),
            "Resend",
            bounces.SOFT,
        ),
        (
            event("bounced", "bounced", None, {"msys": {"message_event": {"bounce_class": "22"}}}),
            "SparkPost",
            bounces.SOFT,
        ),
        (
            event("bounced", "invalid", None, {"msys": {"message_event": {"bounce_class": "10"}}}),
            "SparkPost",
            bounces.HARD,
        ),
        (event("rejected", "bounced"), "SendGrid", bounces.HARD),
        (event("rejected", "invalid"), "Brevo", bounces.HARD),
        (event("rejected", "spam"), "Mandrill", bounces.COMPLAINT),
        (event("rejected", "unsubscribed"), "SendGrid", bounces.UNSUBSCRIBED),
        (event("rejected", "timed_out"), "SendGrid", bounces.SOFT),
        (event("rejected", "blocked"), "Postmark", None),  # the service's policy: ours
        (event("rejected", None), "Postmark", None),
        (event("failed"), "Brevo", None),
        (event("delivered"), "Postmark", None),
        (event("opened"), "Postmark", None),
        (event("queued"), "SendGrid", None),
    ],
)
def test_verdict_for_event(tracking_event, esp, verdict):
    assert bounces.verdict_for_event(tracking_event, esp) == verdict
