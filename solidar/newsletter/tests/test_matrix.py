"""Every editor URL × every persona: login for the anonymous, 404 for everyone who is not
an editor (never 403), the MFA setup for an editor without it, the page for editors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from solidar.conftest import client_for
from solidar.newsletter.models import Delivery, Mailing

pytestmark = pytest.mark.django_db

NOT_EDITORS = ("member", "other_member", "coordinator")
WITHOUT_MFA = ("editor_without_mfa", "coordinator_without_mfa")
EDITORS = ("editor", "admin")


@pytest.fixture
def world(
    client,
    member,
    other_member,
    coordinator,
    coordinator_without_mfa,
    editor,
    editor_without_mfa,
    admin_user,
    make_list,
    make_mailing,
    make_subscriber,
):
    monthly = make_list("monthly-de", "de")
    reader = make_subscriber("reader@example.org", [monthly])
    draft = make_mailing(lists=[monthly])
    sending = make_mailing(title="Running", lists=[monthly], status=Mailing.Status.SENDING)
    Delivery.objects.create(mailing=sending, subscriber=reader, language="de")
    users = {
        "member": member,
        "other_member": other_member,
        "coordinator": coordinator,
        "coordinator_without_mfa": coordinator_without_mfa,
        "editor": editor,
        "editor_without_mfa": editor_without_mfa,
        "admin": admin_user,
    }
    clients = {"outsider": client} | {name: client_for(user) for name, user in users.items()}
    return {"clients": clients, "list": monthly, "draft": draft, "sending": sending}


def get_urls(world) -> list[str]:
    draft, sending, monthly = world["draft"], world["sending"], world["list"]
    return [
        reverse("newsletter:manage"),
        reverse("newsletter:lists"),
        reverse("newsletter:list_edit", args=[monthly.pk]),
        reverse("newsletter:list_import", args=[monthly.pk]),
        reverse("newsletter:mailing", args=[draft.pk]),
        reverse("newsletter:preview", args=[draft.pk, "de"]),
        reverse("newsletter:progress", args=[sending.pk]),
    ]


def post_urls(world) -> list[str]:
    draft, sending = world["draft"], world["sending"]
    return [
        reverse("newsletter:mailing_create"),
        reverse("newsletter:mailing_details", args=[draft.pk]),
        reverse("newsletter:variant", args=[draft.pk, "de"]),
        reverse("newsletter:variant_delete", args=[draft.pk, "de"]),
        reverse("newsletter:recipients", args=[draft.pk]),
        reverse("newsletter:schedule", args=[draft.pk]),
        reverse("newsletter:unschedule", args=[draft.pk]),
        reverse("newsletter:send_test", args=[draft.pk]),
        reverse("newsletter:mailing_delete", args=[draft.pk]),
        reverse("newsletter:pause", args=[sending.pk]),
        reverse("newsletter:resume", args=[sending.pk]),
        reverse("newsletter:cancel", args=[sending.pk]),
    ]


def expected(persona: str) -> int:
    if persona == "outsider":
        return 302  # to the login page
    if persona in WITHOUT_MFA:
        return 302  # to the MFA setup, before anything is looked up
    if persona in NOT_EDITORS:
        return 404
    return 200


def test_pages(world):
    failures = []
    for persona, client in world["clients"].items():
        for url in get_urls(world):
            response = client.get(url)
            if response.status_code != expected(persona):
                failures.append((persona, url, response.status_code))
            elif persona == "outsider":
                assert "/accounts/login/" in response["Location"]
            elif persona in WITHOUT_MFA:
                assert response["Location"] == reverse("mfa_index")
    assert failures == []


def test_actions_refused_to_everyone_but_editors(world):
    """POSTs by non-editors are refused before anything changes."""
    failures = []
    for persona, client in world["clients"].items():
        if persona in EDITORS:
            continue
        for url in post_urls(world):
            status = client.post(url, {"title": "x"}).status_code
            if status != expected(persona):
                failures.append((persona, url, status))
    assert failures == []
    draft = Mailing.objects.get(pk=world["draft"].pk)
    assert draft.status == Mailing.Status.DRAFT and draft.variants.count() == 1
    assert Mailing.objects.get(pk=world["sending"].pk).status == Mailing.Status.SENDING
    assert Mailing.objects.count() == 2


def test_unknown_mailing_and_language_are_404_for_editors(world):
    client = world["clients"]["editor"]
    draft = world["draft"]
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("newsletter:mailing", args=[missing])).status_code == 404
    assert client.get(reverse("newsletter:preview", args=[draft.pk, "xx"])).status_code == 404
    # No English version written: no preview of it.
    assert client.get(reverse("newsletter:preview", args=[draft.pk, "en"])).status_code == 404
    assert client.post(reverse("newsletter:variant", args=[draft.pk, "xx"])).status_code == 404
    assert client.get(reverse("newsletter:list_edit", args=[999999])).status_code == 404


def test_wagtail_admin_menu_links_editors_to_the_newsletters(world):
    """Editors find the pages where they find their other tools: Wagtail's menu."""
    html = world["clients"]["editor"].get("/cms/").content.decode()
    assert reverse("newsletter:manage") in html
