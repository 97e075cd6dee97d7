"""The bounce webhook: real POSTs through the test client in the formats the e-mail
services send (Postmark, Brevo, SendGrid, Mailjet, SparkPost), the basic-auth secret,
404 without it, 400 for bodies nobody can read."""

from __future__ import annotations

import base64
import json
import logging

import pytest
from django.urls import reverse

from solidar.core.testing import assert_max_queries
from solidar.newsletter import links
from solidar.newsletter.models import Subscriber, Suppression

SECRET = "bounces:correct-horse-battery-staple"


def auth(secret: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def url(service: str) -> str:
    return reverse(f"newsletter_bounces:{service}_tracking_webhook")


@pytest.fixture
def webhook(db, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def assert_not_found(client, response):
    """A plain 404: never redirected into the language prefix (core's LanguageMiddleware
    redirects no POST)."""
    assert response.status_code == 404
    assert "WWW-Authenticate" not in response


def post(client, service, payload, **extra):
    return client.post(
        url(service), data=json.dumps(payload), content_type="application/json", **extra
    )


def reason(email: str) -> str | None:
    row = Suppression.objects.filter(email_digest=links.email_digest(email)).first()
    return row.reason if row else None


def postmark_bounce(email: str, kind: str = "HardBounce", details: str = "") -> dict:
    return {
        "RecordType": "Bounce",
        "ID": 4323372036,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce/Undeliverable",
        "Tag": "monthly",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ServerID": 23,
        "MessageStream": "broadcast",
        "Description": "The server was unable to deliver your message.",
        "Details": details or "smtp;550 5.1.1 The email account does not exist.",
        "Email": email,
        "From": "newsletter@solidar.example",
        "BouncedAt": "2026-03-03T10:15:02Z",
        "DumpAvailable": False,
        "Inactive": kind == "HardBounce",
        "CanActivate": True,
        "Subject": "Rundbrief März",
    }


# -- the secret ---------------------------------------------------------------------------------
@pytest.mark.parametrize("secret", [None, ""])
def test_without_a_configured_secret_there_is_no_webhook(client, settings, make_subscriber, secret):
    settings.ANYMAIL = {"WEBHOOK_SECRET": secret}
    reader = make_subscriber("gone@example.org")
    for service in ("postmark", "brevo", "sendgrid", "mailjet", "sparkpost"):
        for headers in ({}, auth()):
            response = post(client, service, postmark_bounce("gone@example.org"), **headers)
            assert_not_found(client, response)
    assert Subscriber.objects.filter(pk=reader.pk).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        auth("bounces:wrong"),
        auth("bounces:correct-horse-battery-stapl"),
        {"HTTP_AUTHORIZATION": "Bearer " + SECRET},
        {"HTTP_AUTHORIZATION": "Basic !!not-base64!!"},
        {"HTTP_AUTHORIZATION": "Basic"},
    ],
    ids=["none", "wrong", "prefix", "bearer", "garbled", "empty"],
)
def test_without_the_secret_the_webhook_refuses(client, webhook, make_subscriber, headers):
    reader = make_subscriber("gone@example.org")

    response = post(client, "postmark", postmark_bounce("gone@example.org"), **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic ")
    assert "password" in response.content.decode()
    assert Subscriber.objects.filter(pk=reader.pk).exists()
    assert reason("gone@example.org") is None


def test_a_service_that_needs_its_own_signing_key_is_not_there_without_it(client, webhook):
    # Mailgun signs its webhooks; anymail needs MAILGUN_WEBHOOK_SIGNING_KEY to check them.
    response = post(client, "mailgun", {"signature": {}, "event-data": {}}, **auth())
    assert_not_found(client, response)


def test_the_deprecated_sendinblue_address_is_not_mounted(client, webhook):
    response = client.post(
        "/newsletter/bounces/sendinblue/tracking/",
        data=json.dumps({"event": "spam", "email": "x@example.org"}),
        content_type="application/json",
        **auth(),
    )
    assert_not_found(client, response)


# -- Postmark -----------------------------------------------------------------------------------
def test_postmark_hard_bounce_unsubscribes(client, webhook, make_list, make_subscriber, caplog):
    caplog.set_level(logging.DEBUG)
    reader = make_subscriber("gone@example.org", lists=[make_list()])

    response = post(client, "postmark", postmark_bounce("Gone@example.org"), **auth())

    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert reason("gone@example.org") == Suppression.Reason.HARD_BOUNCE
    assert "gone@" not in caplog.text.lower()


def test_postmark_soft_bounce_is_counted(client, webhook, make_subscriber):
    reader = make_subscriber("full@example.org")
    payload = postmark_bounce("full@example.org", "SoftBounce", "smtp;552 5.2.2 Mailbox full")

    assert post(client, "postmark", payload, **auth()).status_code == 200

    reader.refresh_from_db()
    assert reader.soft_bounces == 1
    assert reader.last_bounce_at is not None
    assert reason("full@example.org") is None


def test_postmark_spam_complaint_and_unsubscribe(client, webhook, make_subscriber):
    make_subscriber("angry@example.org")
    make_subscriber("leaving@example.org")
    complaint = {
        "RecordType": "SpamComplaint",
        "ID": 901542550,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "MessageID": "2706ee8a-737c-4285-b032-ccd317af53ed",
        "Details": "Test spam complaint details",
        "Email": "angry@example.org",
        "BouncedAt": "2026-03-03T16:28:50Z",
    }
    unsubscribe = {
        "RecordType": "SubscriptionChange",
        "MessageID": "a4909a96-73d7-4c49-b148-a54522d3f7ac",
        "ServerID": 23,
        "MessageStream": "broadcast",
        "ChangedAt": "2026-03-05T17:17:32Z",
        "Recipient": "leaving@example.org",
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
    }

    assert post(client, "postmark", complaint, **auth()).status_code == 200
    assert post(client, "postmark", unsubscribe, **auth()).status_code == 200

    assert reason("angry@example.org") == Suppression.Reason.COMPLAINT
    assert reason("leaving@example.org") == Suppression.Reason.UNSUBSCRIBED
    assert not Subscriber.objects.exists()


def test_events_that_are_no_bounce_change_nothing(client, webhook, make_subscriber):
    reader = make_subscriber("happy@example.org")
    delivered = {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Recipient": "happy@example.org",
        "DeliveredAt": "2026-03-03T13:28:10Z",
        "Details": "Test delivery webhook details",
    }
    assert post(client, "postmark", delivered, **auth()).status_code == 200
    reader.refresh_from_db()
    assert (reader.soft_bounces, reader.last_bounce_at) == (0, None)


def test_a_bounce_for_an_unknown_address_is_accepted_and_ignored(client, webhook):
    response = post(client, "postmark", postmark_bounce("stranger@example.org"), **auth())
    assert response.status_code == 200
    assert not Suppression.objects.exists()


# -- Brevo --------------------------------------------------------------------------------------
def test_brevo_hard_and_soft_bounces(client, webhook, make_subscriber):
    make_subscriber("not-a-user@example.com")
    soft = make_subscriber("recipient@no-mx.example.com")
    hard_event = {
        "event": "hard_bounce",
        "email": "not-a-user@example.com",
        "id": 9999999,
        "date": "2026-03-06 11:10:23",
        "ts_epoch": 1772795423000,
        "message-id": "<202603061110.27287306012@smtp-relay.mailin.fr>",
        "reason": " RecipientError: 550 5.5.0 Requested action not taken: mailbox unavailable.",
        "tag": "monthly",
    }
    soft_event = {
        "event": "soft_bounce",
        "email": "recipient@no-mx.example.com",
        "ts_epoch": 1772795423000,
        "message-id": "<202603061110.9876543210@smtp-relay.mailin.fr>",
        "reason": "undefined Unable to find MX of domain no-mx.example.com",
    }

    assert post(client, "brevo", hard_event, **auth()).status_code == 200
    assert post(client, "brevo", soft_event, **auth()).status_code == 200
    # Brevo reports a soft bounce once per attempt: one episode.
    assert post(client, "brevo", soft_event, **auth()).status_code == 200

    assert reason("not-a-user@example.com") == Suppression.Reason.HARD_BOUNCE
    soft.refresh_from_db()
    assert soft.soft_bounces == 1  # the second report was the same episode


# -- SendGrid (a batch) -------------------------------------------------------------------------
def sendgrid_events(n_unknown: int = 0) -> list[dict]:
    base = {"timestamp": 1772795423, "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>"}
    events = [
        {**base, "email": "gone@example.com", "event": "bounce", "type": "bounce",
         "status": "5.1.1", "reason": "550 5.1.1 user unknown", "sg_event_id": "e1"},
        {**base, "email": "ann@example.com", "event": "bounce", "type": "blocked",
         "status": "5.7.1", "reason": "554 blocked", "sg_event_id": "e2"},
        {**base, "email": "bob@example.com", "event": "spamreport", "sg_event_id": "e3"},
        {**base, "email": "cy@example.com", "event": "deferred",
         "response": "421 4.7.0 try later", "attempt": "1", "sg_event_id": "e4"},
        {**base, "email": "dee@example.com", "event": "delivered",
         "response": "250 OK", "sg_event_id": "e5"},
    ]  # fmt: skip
    events += [
        {**base, "email": f"stranger{i}@example.com", "event": "bounce", "type": "bounce",
         "status": "5.1.1", "reason": "550 5.1.1 user unknown", "sg_event_id": f"u{i}"}
        for i in range(n_unknown)
    ]  # fmt: skip
    return events


def test_sendgrid_batch(client, webhook, make_subscriber):
    for address in ("gone", "ann", "bob", "cy", "dee"):
        make_subscriber(f"{address}@example.com")

    assert post(client, "sendgrid", sendgrid_events(), **auth()).status_code == 200

    assert reason("gone@example.com") == Suppression.Reason.HARD_BOUNCE
    assert reason("bob@example.com") == Suppression.Reason.COMPLAINT
    remaining = {s.email: s.soft_bounces for s in Subscriber.objects.all()}
    assert remaining == {"ann@example.com": 1, "cy@example.com": 1, "dee@example.com": 0}


@pytest.mark.parametrize("unknown", [1, 50])
def test_queries_per_event_stay_constant(client, webhook, make_subscriber, unknown):
    for address in ("gone", "ann", "bob", "cy", "dee"):
        make_subscriber(f"{address}@example.com")
    # Measured on SQLite: 40 queries for the five known events (savepoints included: a
    # removal is about 14), one lookup per unknown address.
    with assert_max_queries(40 + unknown):
        response = post(client, "sendgrid", sendgrid_events(unknown), **auth())
    assert response.status_code == 200


# -- Mailjet and SparkPost ----------------------------------------------------------------------
def test_mailjet_bounce(client, webhook, make_subscriber):
    soft = make_subscriber("quota@example.net")
    make_subscriber("unknown-user@example.net")
    events = [
        {"event": "bounce", "time": 1772795423, "MessageID": 1302315578386532,
         "email": "unknown-user@example.net", "mj_campaign_id": 0, "mj_contact_id": 0,
         "customcampaign": "", "CustomID": "", "Payload": "", "blocked": False,
         "hard_bounce": True, "error_related_to": "recipient", "error": "user unknown"},
        {"event": "bounce", "time": 1772795423, "MessageID": 1302315578386533,
         "email": "quota@example.net", "blocked": False, "hard_bounce": False,
         "error_related_to": "recipient", "error": "quota exceeded"},
    ]  # fmt: skip

    assert post(client, "mailjet", events, **auth()).status_code == 200

    assert reason("unknown-user@example.net") == Suppression.Reason.HARD_BOUNCE
    soft.refresh_from_db()
    assert soft.soft_bounces == 1


def test_sparkpost_bounce_classes(client, webhook, make_subscriber):
    make_subscriber("invalid@example.net")
    full = make_subscriber("full@example.net")

    def bounce(address, klass, raw_reason):
        return {"msys": {"message_event": {
            "type": "bounce", "bounce_class": klass, "raw_rcpt_to": address,
            "rcpt_to": address.lower(), "raw_reason": raw_reason, "reason": raw_reason,
            "error_code": raw_reason[:3], "timestamp": "1772795423",
            "transmission_id": "65832150921904138", "event_id": f"9211{klass}",
        }}}  # fmt: skip

    payload = [
        bounce("invalid@example.net", "10", "550 5.1.1 <invalid@example.net>: unknown"),
        bounce("full@example.net", "22", "552 5.2.2 mailbox full"),
        {"msys": {}},  # SparkPost's "ping"
    ]
    assert post(client, "sparkpost", payload, **auth()).status_code == 200

    assert reason("invalid@example.net") == Suppression.Reason.HARD_BOUNCE
    full.refresh_from_db()
    assert full.soft_bounces == 1


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("service", "body"),
    [
        ("postmark", b"not json at all"),
        ("postmark", b"\xff\xfe\x00garbage"),
        ("sendgrid", b'{"an": "object, not a list"}'),
        ("sendgrid", b"[1, 2, 3]"),
        ("sparkpost", b'[{"msys": {"a": {}, "b": {}}}]'),
        ("mailjet", b"null"),
        ("brevo", b"[]"),
        ("postmark", b'{"FromFull": {"Email": "x@example.org"}}'),  # an inbound mail
    ],
)
def test_a_body_nobody_can_read_is_a_400(client, webhook, make_subscriber, service, body):
    reader = make_subscriber("gone@example.org")
    response = client.post(url(service), data=body, content_type="application/json", **auth())
    assert response.status_code == 400
    assert "notification" in response.content.decode()
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_only_post(client, webhook):
    assert client.get(url("postmark"), **auth()).status_code == 405
    assert client.head(url("postmark"), **auth()).status_code == 200  # services probe it


def test_one_bad_event_in_a_batch_changes_nothing(client, webhook, make_subscriber):
    make_subscriber("gone@example.com")
    events = [*sendgrid_events()[:1], {"no": "event key"}]
    response = post(client, "sendgrid", events, **auth())
    assert response.status_code == 400
    assert Subscriber.objects.filter(email_digest=links.email_digest("gone@example.com")).exists()
