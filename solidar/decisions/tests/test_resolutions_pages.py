# ruff: noqa: F811 - fixtures are imported, then asked for by name
"""The resolution pages: the resolution, its versions, corrections and translations.

Role matrix: the body's members read (newcomers too); coordinators with MFA correct,
translate and publish; everyone else gets 404 (a published resolution sends them to its
public page instead).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solidar.conftest import client_for
from solidar.decisions import resolutions, voting
from solidar.decisions.models import Resolution, ResolutionTranslation
from solidar.network.tests.conftest import coordinator_without_mfa  # noqa: F401

pytestmark = pytest.mark.django_db


def adopt(proposal_factory, coordinator, yes_voters, no_voters=(), **fields) -> Resolution:
    """A proposal adopted by a closed yes/no vote: its resolution."""
    proposal = proposal_factory("discussion", **fields)
    closes = timezone.now() + timedelta(days=2)
    [vote] = voting.start_voting(proposal, by=coordinator, closes_at=closes)
    for user in yes_voters:
        voting.cast(vote, user, "yes")
    for user in no_voters:
        voting.cast(vote, user, "no")
    voting.close(vote, now=closes + timedelta(seconds=1))
    proposal.refresh_from_db()
    return proposal.resolution


@pytest.fixture
def resolution(proposal_factory, coordinator, member, other_member, voters):
    return adopt(
        proposal_factory,
        coordinator,
        [coordinator, member, other_member, *voters[:3]],
        no_voters=voters[3:4],
    )


def url(name: str, resolution: Resolution, *args) -> str:
    return reverse(f"decisions:{name}", args=[resolution.pk, *args])


def test_the_resolution_page_shows_the_text_the_vote_and_the_versions(resolution, member):
    response = client_for(member).get(url("resolution", resolution))

    assert response.status_code == 200
    page = response.content.decode()
    assert resolution.number in page
    assert "Solidarity fund for the riders&#x27; strike" in page
    assert "Members collect donations at every meeting" in page
    assert page.count("<li><p>") == 3  # the three numbered decisions
    assert "Yes: 6" in page and "No: 1" in page and "Abstentions: 0" in page
    assert url("resolution_version", resolution, 1) in page
    assert "As adopted" in page
    assert reverse("decisions:revise", args=[resolution.pk]) not in page  # not a coordinator
    assert "Publish" not in page


def test_the_vote_record_links_the_results(resolution, member):
    page = client_for(member).get(url("resolution", resolution)).content.decode()
    assert reverse("decisions:results", args=[resolution.vote_id]) in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 404),
        ("stranger", 404),
        ("newcomer", 200),
        ("member", 200),
        ("coordinator", 200),
    ],
)
def test_who_may_read_the_resolution_and_its_versions(resolution, request, who, expected):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    assert client.get(url("resolution", resolution)).status_code == expected
    assert client.get(url("resolution_version", resolution, 1)).status_code == expected


def test_an_unknown_resolution_or_version_is_404(resolution, member):
    client = client_for(member)
    assert client.get(reverse("decisions:resolution", args=[resolution.pk + 99])).status_code == 404
    assert client.get(url("resolution_version", resolution, 2)).status_code == 404


EDITING = [("revise", ()), ("translate", ("ru",))]


@pytest.mark.parametrize(("name", "args"), EDITING)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),  # to sign in
        ("stranger", 404),
        ("newcomer", 404),
        ("member", 404),
        ("coordinator_without_mfa", 302),  # to set up MFA
        ("coordinator", 200),
    ],
)
def test_who_may_correct_and_translate(resolution, request, name, args, who, expected):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    response = client.get(url(name, resolution, *args))
    assert response.status_code == expected
    if who == "coordinator_without_mfa":
        assert response["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("who", ["anonymous", "stranger", "member", "coordinator_without_mfa"])
def test_only_a_coordinator_may_publish(resolution, request, who):
    client = Client() if who == "anonymous" else client_for(request.getfixturevalue(who))
    response = client.post(url("publish", resolution))
    assert response.status_code in (302, 404)
    resolution.refresh_from_db()
    assert resolution.published_at is None


def test_publishing_is_post_only(resolution, coordinator):
    assert client_for(coordinator).get(url("publish", resolution)).status_code == 405


def test_a_coordinator_sees_the_tools(resolution, coordinator):
    page = client_for(coordinator).get(url("resolution", resolution)).content.decode()
    assert url("revise", resolution) in page
    assert url("publish", resolution) in page
    assert url("translate", resolution, "ru") in page
    assert url("translate", resolution, "en") not in page  # the original's language


def test_a_correction_is_a_new_version_and_the_old_one_stays(resolution, coordinator, member):
    response = client_for(coordinator).post(
        url("revise", resolution),
        {
            "title": "Solidarity fund for the riders",
            "preamble": "The riders asked for *help*.",
            "decisions": "First.\r\n\r\nSecond.\r\n\r\nThird, corrected.",
            "note": "A typo in the third decision",
        },
    )

    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.version == 2
    assert resolution.decisions == ["First.", "Second.", "Third, corrected."]
    client = client_for(member)
    page = client.get(url("resolution", resolution)).content.decode()
    assert "<em>help</em>" in page
    assert "A typo in the third decision" in page
    old = client.get(url("resolution_version", resolution, 1)).content.decode()
    assert "Members collect donations" in old
    assert "This is an earlier version." in old


def test_a_correction_without_a_note_is_refused_and_keeps_what_was_typed(resolution, coordinator):
    response = client_for(coordinator).post(
        url("revise", resolution),
        {"title": "New title", "preamble": "", "decisions": "Only one now.", "note": "  "},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Only one now." in page
    assert 'value="New title"' in page
    assert "This field is required." in page or "Say what was corrected" in page
    resolution.refresh_from_db()
    assert resolution.version == 1


def test_a_correction_with_no_decisions_is_refused(resolution, coordinator):
    response = client_for(coordinator).post(
        url("revise", resolution),
        {"title": "T", "preamble": "", "decisions": "\r\n\r\n", "note": "why"},
    )
    assert response.status_code == 400
    resolution.refresh_from_db()
    assert resolution.version == 1


def test_the_translation_page_shows_the_original_beside_the_form(resolution, coordinator):
    page = client_for(coordinator).get(url("translate", resolution, "ru")).content.decode()
    assert "The original (English)" in page
    assert "Members collect donations at every meeting" in page
    assert 'name="decisions"' in page
    assert "exactly 3 decisions" in page


def test_a_translation_is_saved_and_listed(resolution, coordinator, member):
    response = client_for(coordinator).post(
        url("translate", resolution, "ru"),
        {
            "title": "Фонд солидарности",
            "preamble": "",
            "decisions": "Первое.\n\nВторое.\n\nТретье.",
        },
    )

    assert response.status_code == 302
    translation = ResolutionTranslation.objects.get(resolution=resolution, language="ru")
    assert translation.decisions == ["Первое.", "Второе.", "Третье."]
    client = client_for(member)
    page = client.get(url("resolution", resolution)).content.decode()
    assert f"{url('resolution', resolution)}?language=ru" in page
    assert "outdated" not in page
    russian = client.get(url("resolution", resolution) + "?language=ru").content.decode()
    assert "Второе." in russian
    assert 'lang="ru"' in russian


def test_a_translation_must_have_as_many_decisions(resolution, coordinator):
    response = client_for(coordinator).post(
        url("translate", resolution, "de"),
        {"title": "Solidaritätsfonds", "preamble": "", "decisions": "Eins.\n\nZwei."},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The original has 3 decisions; this translation has 2." in page
    assert "Zwei." in page  # kept
    assert not ResolutionTranslation.objects.filter(resolution=resolution).exists()


def test_a_translation_of_an_earlier_version_is_marked_outdated(resolution, coordinator, member):
    resolutions.translate(
        resolution, "de", by=coordinator, title="Fonds", preamble="", decisions=["A", "B", "C"]
    )
    resolutions.revise(
        resolution,
        by=coordinator,
        title=resolution.title,
        preamble="",
        decisions=["A", "B", "C"],
        note="shorter",
    )

    page = client_for(member).get(url("resolution", resolution)).content.decode()
    assert "outdated" in page
    german = client_for(member).get(url("resolution", resolution) + "?language=de")
    assert "It translates an earlier version" in german.content.decode()
    form = client_for(coordinator).get(url("translate", resolution, "de")).content.decode()
    assert "of an earlier version" in form


@pytest.mark.parametrize("language", ["en", "xx", "be"])
def test_translating_into_the_original_or_an_unknown_language_is_404(
    resolution, coordinator, language
):
    response = client_for(coordinator).get(url("translate", resolution, language))
    assert response.status_code == 404


def test_the_page_and_a_version_take_a_fixed_number_of_queries(
    resolution, member, django_assert_max_num_queries
):
    client = client_for(member)
    client.get(url("resolution", resolution))  # session, caches
    # Session, user, resolution, memberships, versions, translations; with Redis
    # (cached_db) the session comes from the cache.
    expected = 5 if settings.SESSION_ENGINE.endswith("cached_db") else 6
    with django_assert_max_num_queries(expected):
        assert client.get(url("resolution", resolution)).status_code == 200
    for n in range(5):
        resolution = resolutions.revise(
            resolution,
            by=None,
            title=f"Title {n}",
            preamble="",
            decisions=["A", "B"],
            note=f"correction {n}",
        )
        resolutions.translate(
            resolution,
            ["de", "ru", "uk"][n % 3],
            by=None,
            title="T",
            preamble="",
            decisions=["1", "2"],
        )
    with django_assert_max_num_queries(expected):
        page = client.get(url("resolution", resolution)).content.decode()
    assert "correction 4" in page
