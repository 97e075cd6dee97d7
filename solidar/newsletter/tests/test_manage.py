"""The editors' pages and mailings.py: write, preview, test, address, schedule, pause,
resume, cancel; lists and imports. Everything through the pages, as an editor does it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.core.models import AuditEvent
from solidar.core.testing import assert_max_queries
from solidar.newsletter import links, mailings, services
from solidar.newsletter.models import Delivery, Mailing, MailingList, MailingVariant

pytestmark = pytest.mark.django_db
S = Mailing.Status


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def monthly_de(make_list, make_subscriber):
    monthly = make_list("monthly-de", "de")
    for n in range(3):
        make_subscriber(f"leser{n}@example.org", [monthly])
    return monthly


def test_write_address_and_send_a_mailing(editor, editor_client, monthly_de):
    response = editor_client.post(
        reverse("newsletter:mailing_create"), {"title": "März", "in_archive": "on"}
    )
    mailing = Mailing.objects.get(title="März")
    assert response["Location"] == reverse("newsletter:mailing", args=[mailing.pk])
    assert mailing.created_by == editor and mailing.status == S.DRAFT

    response = editor_client.post(
        reverse("newsletter:variant", args=[mailing.pk, "de"]),
        {"de-subject": "Rundbrief März", "de-body": "## Köln\n\nHallo ![Bild](/media/x.png)"},
    )
    assert response.status_code == 302
    variant = MailingVariant.objects.get(mailing=mailing, language="de")
    assert variant.subject == "Rundbrief März"
    assert variant.archive_slug.startswith("rundbrief-marz-")

    response = editor_client.post(
        reverse("newsletter:recipients", args=[mailing.pk]),
        {"lists": [monthly_de.pk], "languages": ["de"]},
    )
    assert response.status_code == 302
    page = editor_client.get(reverse("newsletter:mailing", args=[mailing.pk]))
    assert "3 readers would get it now." in page.content.decode()
    # The preview frame and the plain-text part.
    assert reverse("newsletter:preview", args=[mailing.pk, "de"]) in page.content.decode()
    assert "Hallo" in page.content.decode()

    response = editor_client.post(
        reverse("newsletter:schedule", args=[mailing.pk]),
        {
            "when": "now",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response["Location"] == reverse("newsletter:progress", args=[mailing.pk])
    mailing.refresh_from_db()
    assert mailing.status == S.SCHEDULED
    assert abs(mailing.scheduled_at - timezone.now()) < timedelta(minutes=1)
    actions = list(
        AuditEvent.objects.filter(object_id=str(mailing.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "newsletter.mailing_created",
        "newsletter.variant_saved",
        "newsletter.recipients_set",
        "newsletter.mailing_scheduled",
    ]


def test_schedule_later_in_the_editors_time_zone(editor_client, make_mailing, monthly_de):
    mailing = make_mailing(lists=[monthly_de])
    day = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("Asia/Tbilisi")).date()
    response = editor_client.post(
        reverse("newsletter:schedule", args=[mailing.pk]),
        {"when": "later", "day": day.isoformat(), "clock": "09:30", "time_zone": "Asia/Tbilisi"},
    )
    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == S.SCHEDULED
    local = mailing.scheduled_at.astimezone(ZoneInfo("Asia/Tbilisi"))
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)
    # Back to draft, then it can be edited again.
    response = editor_client.post(reverse("newsletter:unschedule", args=[mailing.pk]))
    mailing.refresh_from_db()
    assert mailing.status == S.DRAFT and mailing.scheduled_at is None


def test_preview_is_sandboxed_and_framed_only_by_us(editor_client, make_mailing):
    mailing = make_mailing(variants={"uk": ("Розсилка", "Привіт із **Кельна**")})
    response = editor_client.get(reverse("newsletter:preview", args=[mailing.pk, "uk"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Кельна</strong>" in html and 'lang="uk"' in html
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "script-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The page that frames it allows frames of its own site only... (the site's policy)
    page = editor_client.get(reverse("newsletter:mailing", args=[mailing.pk]))
    assert "<iframe" in page.content.decode() and " sandbox " in page.content.decode()


def test_send_me_a_test(editor, editor_client, make_mailing, django_capture_on_commit_callbacks):
    mailing = make_mailing(variants={"ru": ("Рассылка", "Привет из Кёльна")})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("newsletter:send_test", args=[mailing.pk]), {"language": "ru"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [editor.email]
    assert message.subject == "[Test] Рассылка"
    assert "Привет из Кёльна" in message.body
    assert message.alternatives and "Привет из Кёльна" in message.alternatives[0][0]
    # A test has no one-click unsubscribe: nothing personal in it.
    assert "List-Unsubscribe-Post" not in message.extra_headers
    mailing.refresh_from_db()
    assert mailing.status == S.DRAFT
    assert AuditEvent.objects.filter(action="newsletter.test_sent").count() == 1


def test_progress_pause_resume_cancel(editor_client, make_mailing, make_subscriber, monthly_de):
    mailing = make_mailing(lists=[monthly_de], status=S.SENDING, recipient_count=5)
    readers = [make_subscriber(f"r{n}@example.org") for n in range(5)]
    statuses = ["sent", "sent", "failed", "skipped", "queued"]
    for reader, status in zip(readers, statuses, strict=True):
        Delivery.objects.create(mailing=mailing, subscriber=reader, language="de", status=status)
    url = reverse("newsletter:progress", args=[mailing.pk])
    html = editor_client.get(url).content.decode()
    assert '<progress id="progress-bar" max="5" value="4">' in html
    assert "<dt>Remaining</dt><dd>1</dd>" in html
    assert "<dt>Sent</dt><dd>2</dd>" in html
    assert f'href="{url}"' in html  # refresh without JavaScript

    editor_client.post(reverse("newsletter:pause", args=[mailing.pk]))
    mailing.refresh_from_db()
    assert mailing.status == S.PAUSED
    assert "Resume" in editor_client.get(url).content.decode()
    editor_client.post(reverse("newsletter:resume", args=[mailing.pk]))
    mailing.refresh_from_db()
    assert mailing.status == S.SENDING

    response = editor_client.post(reverse("newsletter:cancel", args=[mailing.pk]))
    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == S.CANCELLED and mailing.finished_at is not None
    by_status = sorted(Delivery.objects.filter(mailing=mailing).values_list("status", flat=True))
    assert by_status == ["cancelled", "failed", "sent", "sent", "skipped"]
    # Cancelled is final.
    response = editor_client.post(reverse("newsletter:resume", args=[mailing.pk]))
    assert response.status_code == 409
    assert "Only a paused mailing can be resumed." in response.content.decode()


def test_pause_of_a_draft_is_refused(editor_client, make_mailing):
    mailing = make_mailing()
    response = editor_client.post(reverse("newsletter:pause", args=[mailing.pk]))
    assert response.status_code == 409
    assert "Only a mailing that is being sent can be paused." in response.content.decode()
    mailing.refresh_from_db()
    assert mailing.status == S.DRAFT


def test_mark_sent_retires_cached_pages(make_mailing, django_capture_on_commit_callbacks):
    from solidar.core import pagecache

    mailing = make_mailing(status=S.SENDING)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        mailings.mark_sent(mailing)
        assert pagecache.generation() == before  # not before the commit
    mailing.refresh_from_db()
    assert mailing.status == S.SENT and mailing.finished_at is not None
    assert pagecache.generation() != before
    # Only a sending mailing becomes sent: a second call changes nothing.
    finished = mailing.finished_at
    mailings.mark_sent(mailing)
    mailing.refresh_from_db()
    assert mailing.finished_at == finished


def test_lists_create_edit_and_numbers_only(editor_client, make_subscriber):
    response = editor_client.post(
        reverse("newsletter:lists"),
        {
            "slug": "prisoners-ru",
            "language": "ru",
            "is_public": "on",
            "is_active": "on",
            "position": "3",
            "name_ru": "Солидарность с политзаключёнными",
            "name_en": "Solidarity with political prisoners (Russian)",
            "description_ru": "Письма и кампании.",
        },
    )
    assert response.status_code == 302
    created = MailingList.objects.get(slug="prisoners-ru")
    assert created.name_ru == "Солидарность с политзаключёнными"
    assert created.name_en == "Solidarity with political prisoners (Russian)"
    assert created.language == "ru" and created.position == 3
    make_subscriber("secret-reader@example.org", [created])
    html = editor_client.get(reverse("newsletter:lists")).content.decode()
    assert "Solidarity with political prisoners (Russian)" in html
    assert "<td>1</td>" in html
    assert "secret-reader" not in html

    response = editor_client.post(
        reverse("newsletter:list_edit", args=[created.pk]),
        {"slug": "prisoners-ru", "language": "ru", "position": "1", "name_de": "Gefangene"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert not created.is_public and not created.is_active
    assert created.name_de == "Gefangene" and created.name_ru == ""


def test_import_shows_the_services_numbers(editor_client, make_list, make_subscriber):
    monthly = make_list("monthly-en", "en")
    make_subscriber("known@example.org", [monthly])
    services.suppress(links.email_digest("gone@example.org"), "unsubscribed")
    response = editor_client.post(
        reverse("newsletter:list_import", args=[monthly.pk]),
        {
            "addresses": "new1@example.org\nnew2@example.org\nknown@example.org\n"
            "gone@example.org\nnot an address",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>Added</dt><dd>2</dd>" in html
    assert "<dt>Already on the list</dt><dd>1</dd>" in html
    assert "<dt>Skipped: they unsubscribed or bounced before</dt><dd>1</dd>" in html
    assert "<dt>Not an e-mail address</dt><dd>1</dd>" in html
    assert monthly.subscriptions.count() == 3


def test_overview_queries_do_not_grow(editor_client, make_mailing, make_list, make_subscriber):
    monthly = make_list()
    reader = make_subscriber("a@example.org", [monthly])

    def add(n):
        for i in range(n):
            sent = make_mailing(title=f"Sent {i}", status=S.SENT, finished_at=timezone.now())
            Delivery.objects.create(mailing=sent, subscriber=reader, language="de", status="sent")
            make_mailing(title=f"Draft {i}")

    url = reverse("newsletter:manage")
    add(1)
    editor_client.get(url)  # warm the session and permission caches
    with assert_max_queries(100) as one:
        assert editor_client.get(url).status_code == 200
    add(19)
    with assert_max_queries(len(one.captured_queries), exact=True):
        html = editor_client.get(url).content.decode()
    assert "Sent 18" in html and "Draft 18" in html
