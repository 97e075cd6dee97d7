"""The editors' side: roles, the review workflow, scheduled publishing, translation status."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupPagePermission,
    Locale,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail_localize.models import Translation, TranslationSource

from solidar.accounts.middleware import SessionIdleTimeoutMiddleware
from solidar.accounts.rules import is_privileged
from solidar.accounts.tests.factories import UserFactory, add_totp
from solidar.conftest import client_for
from solidar.core import periodic
from solidar.core.testing import assert_max_queries
from solidar.publishing import editorial, services
from solidar.publishing.editorial import Status
from solidar.publishing.models import ContentPage, HomePage
from solidar.publishing.tasks import publish_scheduled
from solidar.publishing.testing import add_child, publish

pytestmark = pytest.mark.django_db

REPORT = "/cms/translation-status/"


@pytest.fixture
def author(db):
    user = UserFactory(username="author", display_name="Author Vera")
    user.groups.add(Group.objects.get(name=editorial.AUTHORS))
    user.totp_secret = add_totp(user)
    return user


@pytest.fixture
def other_author(db):
    user = UserFactory(username="author2", display_name="Author Kira")
    user.groups.add(Group.objects.get(name=editorial.AUTHORS))
    add_totp(user)
    return user


@pytest.fixture
def author_without_mfa(db):
    user = UserFactory(username="author3", display_name="Author Ilya")
    user.groups.add(Group.objects.get(name=editorial.AUTHORS))
    return user


def home(code: str = "en") -> HomePage:
    return HomePage.objects.get(locale__language_code=code)


def page_form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "An introduction.",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def assert_sent_to_mfa_setup(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


# -- roles ---------------------------------------------------------------------------------
def test_roles_hold_their_rights_on_every_language_home_page():
    homes = set(HomePage.objects.values_list("pk", flat=True))
    assert len(homes) == len(settings.LANGUAGES)

    def rights(name):
        found = GroupPagePermission.objects.filter(group__name=name)
        return {(p.page_id, p.permission.codename) for p in found.select_related("permission")}

    editors = {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert rights(editorial.EDITORS) == {(h, c) for h in homes for c in editors}
    assert rights(editorial.AUTHORS) == {(h, c) for h in homes for c in ("add_page", "change_page")}
    editors_group = Group.objects.get(name=editorial.EDITORS)
    assert set(editors_group.permissions.values_list("codename", flat=True)) >= {
        "access_admin",
        "add_topic",
        "change_topic",
        "submit_translation",
    }
    assert set(
        editors_group.collection_permissions.values_list("permission__codename", flat=True)
    ) >= {"add_image", "choose_image", "add_document", "choose_document"}
    authors_group = Group.objects.get(name=editorial.AUTHORS)
    assert set(
        authors_group.collection_permissions.values_list("permission__codename", flat=True)
    ) == {"add_image", "choose_image"}


def test_ensure_editorial_roles_is_idempotent():
    def snapshot():
        return (
            GroupPagePermission.objects.count(),
            Group.objects.count(),
            WorkflowPage.objects.count(),
            sorted(Group.objects.get(name="Editors").permissions.values_list("pk", flat=True)),
        )

    before = snapshot()
    editorial.ensure_editorial_roles()
    editorial.ensure_editorial_roles()

    assert snapshot() == before


def test_the_review_workflow_covers_every_language():
    for code, _name in settings.LANGUAGES:
        workflow = home(code).get_workflow()
        assert workflow is not None and workflow.name == editorial.WORKFLOW_NAME
        task = workflow.tasks.get().specific
        assert list(task.groups.values_list("name", flat=True)) == [editorial.EDITORS]
    page = add_child(home("de"), ContentPage(title="Über uns", slug="ueber-uns"))
    assert page.get_workflow().name == editorial.WORKFLOW_NAME


@pytest.mark.parametrize("persona", ["author", "author_without_mfa", "editor_without_mfa"])
def test_everybody_in_a_role_is_privileged(request, persona):
    user = request.getfixturevalue(persona)

    assert is_privileged(user)
    assert SessionIdleTimeoutMiddleware.timeout_for(user) == (
        settings.SOLIDAR_SESSION_IDLE_PRIVILEGED
    )


def test_a_member_is_not_privileged_and_costs_no_extra_query(member):
    from solidar.accounts.models import User
    from solidar.accounts.rules import can_edit_site
    from solidar.publishing import rules as publishing_rules

    assert not is_privileged(member)
    fresh = User.objects.get(pk=member.pk)
    assert not can_edit_site(fresh)  # asked first by is_privileged; fills the permission cache
    with assert_max_queries(0):
        assert not publishing_rules.has_editorial_role(fresh)


@pytest.mark.parametrize("persona", ["author_without_mfa", "editor_without_mfa"])
@pytest.mark.parametrize("url", ["/cms/", "/cms/pages/", REPORT])
def test_roles_without_mfa_are_sent_to_mfa_setup(request, persona, url):
    client = client_for(request.getfixturevalue(persona))

    assert_sent_to_mfa_setup(client.get(url))
    assert_sent_to_mfa_setup(client.post(url, {"anything": "x"}))


# -- the workflow --------------------------------------------------------------------------
def test_an_author_cannot_publish_their_draft(author):
    client = client_for(author)
    parent = home("en")

    response = client.post(
        f"/cms/pages/add/publishing/contentpage/{parent.pk}/",
        page_form("Our meeting place", "meeting-place", **{"action-publish": "publish"}),
    )

    assert response.status_code == 302, response.content[:2000]
    page = ContentPage.objects.get(slug="meeting-place", locale__language_code="en")
    assert not page.live
    assert not page.permissions_for_user(author).can_publish()
    assert Client().get("/en/meeting-place/").status_code == 404
    edit = client.get(f"/cms/pages/{page.pk}/edit/")
    assert b'name="action-publish"' not in edit.content
    assert b'name="action-submit"' in edit.content


def submitted_by(author) -> ContentPage:
    client = client_for(author)
    client.post(
        f"/cms/pages/add/publishing/contentpage/{home('en').pk}/",
        page_form("Our meeting place", "meeting-place", **{"action-submit": "submit"}),
    )
    page = ContentPage.objects.get(slug="meeting-place", locale__language_code="en")
    assert page.workflow_in_progress
    assert page.current_workflow_task.specific.name == editorial.REVIEW_TASK_NAME
    return page


def workflow_action(user, page, action: str, comment: str = ""):
    task_state = page.current_workflow_task_state
    return client_for(user).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        {"comment": comment},
    )


def test_submitted_draft_approved_by_an_editor_goes_live(author, editor):
    page = submitted_by(author)
    assert Client().get("/en/meeting-place/").status_code == 404

    response = workflow_action(editor, page, "approve")

    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None
    public = Client().get("/en/meeting-place/")
    assert public.status_code == 200
    assert b"Our meeting place" in public.content


def test_an_author_cannot_approve_a_draft(author, other_author):
    page = submitted_by(author)

    workflow_action(other_author, page, "approve")

    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress


def test_an_editor_asks_for_changes(author, editor):
    page = submitted_by(author)

    workflow_action(editor, page, "reject", comment="Please add the address.")

    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Please add the address."
    # The author sees it on the edit page and can submit again.
    edit = client_for(author).get(f"/cms/pages/{page.pk}/edit/")
    assert b"Changes requested" in edit.content or b"changes requested" in edit.content.lower()


# -- scheduled publishing ------------------------------------------------------------------
def test_the_periodic_job_publishes_a_page_whose_time_has_come(client):
    page = ContentPage(title="Rally on 8 May", slug="rally", intro="Come.")
    home("en").add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    assert client.get("/en/rally/").status_code == 404  # (and now cached as absent)
    # An hour later (the schedule moved back an hour instead of waiting for it):
    revision.refresh_from_db()
    revision.approved_go_live_at -= datetime.timedelta(hours=1, seconds=1)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    assert "publish_scheduled" in periodic.tick()

    page.refresh_from_db()
    assert page.live
    assert client.get("/en/rally/").status_code == 200


def test_the_task_leaves_future_pages_alone():
    page = ContentPage(title="Later", slug="later")
    home("en").add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()

    publish_scheduled.enqueue()

    page.refresh_from_db()
    assert not page.live


def test_the_job_runs_every_minute_or_two():
    path, interval = settings.SOLIDAR_PERIODIC_JOBS["publish_scheduled"]
    assert path == "solidar.publishing.tasks.publish_scheduled"
    assert interval <= datetime.timedelta(minutes=2)


# -- translation status --------------------------------------------------------------------
def states(source: editorial.SourcePage) -> dict[str, Status]:
    return {s.code: s.status for s in source.states}


def row(title: str, **filters) -> editorial.SourcePage:
    found = [s for s in editorial.translation_status(**filters) if s.title == title]
    assert len(found) == 1, [s.title for s in editorial.translation_status(**filters)]
    return found[0]


def translate_with_localize(page, code: str, captured) -> Translation:
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code=code)
    )
    with captured(execute=True):  # wagtail-localize publishes on commit
        translation.save_target(publish=True)
    return translation


def test_sources_and_their_states(site_tree):
    titles = [s.title for s in editorial.translation_status()]
    # Sources only: no alias, no translation is listed as a page of its own.
    assert sorted(titles) == sorted(
        [
            settings.SOLIDAR_SITE_NAME,
            "Posts",
            "Letters to prisoners",
            "Our programme",
            "Statements",
            "Resolution of the Cologne forum",
            "Kundgebung in Köln",
        ]
    )
    assert states(row("Letters to prisoners")) == {
        "en": Status.ORIGINAL,
        "de": Status.UP_TO_DATE,
        "ru": Status.MISSING,
        "uk": Status.MISSING,
    }
    german = row("Kundgebung in Köln")
    assert german.language == "de"
    assert states(german) == {
        "en": Status.MISSING,
        "de": Status.ORIGINAL,
        "ru": Status.MISSING,
        "uk": Status.MISSING,
    }


def test_a_translation_by_hand_goes_out_of_date_when_the_source_is_republished(site_tree):
    post = site_tree.post_en
    post.title = "Letters to prisoners, every month"
    publish(post)

    assert states(row("Letters to prisoners, every month"))["de"] is Status.OUT_OF_DATE


def test_wagtail_localize_translation_up_to_date_then_out_of_date_then_synced(
    site_tree, django_capture_on_commit_callbacks
):
    programme = site_tree.programme_en
    translation = translate_with_localize(programme, "de", django_capture_on_commit_callbacks)
    german = programme.get_translation(Locale.objects.get(language_code="de"))
    assert german.alias_of_id is None and german.live

    assert states(row("Our programme")) == {
        "en": Status.ORIGINAL,
        "de": Status.UP_TO_DATE,
        "ru": Status.MISSING,
        "uk": Status.MISSING,
    }
    source_state = row("Our programme").state("de")
    assert source_state.translation_source_id == translation.source_id
    assert source_state.page_id == german.pk

    programme.intro = "Who we are, what we want, how to join."
    publish(programme)
    assert row("Our programme").state("de").status is Status.OUT_OF_DATE

    # "Sync translated pages": the source is re-extracted, the translation saved again.
    translation.source.update_from_db()
    assert row("Our programme").state("de").status is Status.OUT_OF_DATE
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    assert row("Our programme").state("de").status is Status.UP_TO_DATE


def test_filters_by_language_and_status(site_tree):
    missing_in_german = editorial.translation_status(language="de", status=Status.MISSING)

    assert {s.title for s in missing_in_german} == {
        settings.SOLIDAR_SITE_NAME,
        "Our programme",
        "Statements",
        "Resolution of the Cologne forum",
    }
    assert all([state.code for state in s.states] == ["de"] for s in missing_in_german)
    up_to_date = editorial.translation_status(status=Status.UP_TO_DATE)
    assert {s.title for s in up_to_date} == {"Posts", "Letters to prisoners"}
    assert len(editorial.translation_status(language="de")) == 7


def test_the_report_for_an_editor(site_tree, editor):
    response = client_for(editor).get(REPORT)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Letters to prisoners" in html
    assert "translated, up to date" in html
    assert "missing" in html
    submit = reverse("wagtail_localize:submit_page_translation", args=[site_tree.programme_en.pk])
    assert f'href="{submit}"' in html
    assert reverse("wagtailadmin_pages:edit", args=[site_tree.post_de.pk]) in html
    assert "<script" not in html.split('id="main"')[1].split("</main>")[0]


def test_the_report_filtered_without_javascript(site_tree, editor):
    response = client_for(editor).get(REPORT, {"language": "de", "status": "missing"})

    html = response.content.decode()
    assert "Our programme" in html
    assert "Letters to prisoners" not in html
    assert "Kundgebung in Köln" not in html


@pytest.mark.parametrize("query", [{"language": "xx"}, {"status": "lost"}])
def test_the_report_refuses_bad_filters_with_a_message(site_tree, editor, query):
    response = client_for(editor).get(REPORT, query)

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_the_report_is_for_editors_only(site_tree, author, member, editor, admin_user):
    # Wagtail's answer to PermissionDenied in its admin: back to the dashboard, with a message.
    refused = client_for(author).get(REPORT)
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
    followed = client_for(author).get(REPORT, follow=True)
    assert b"Sorry, you do not have permission" in followed.content
    assert b"Letters to prisoners" not in followed.content
    # A signed-in person with no admin access finds nothing there; anonymous: the login page.
    assert client_for(member).get(REPORT, follow=True).status_code == 404
    anonymous = Client().get(REPORT)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert client_for(admin_user).get(REPORT).status_code == 200
    # The menu item shows for editors, not for authors.
    assert b"translation-status" in client_for(editor).get("/cms/").content
    assert b"translation-status" not in client_for(author).get("/cms/").content


def content_pages(start: int, count: int) -> None:
    parent = home("en")
    for n in range(start, start + count):
        page = add_child(parent, ContentPage(title=f"Page {n}", slug=f"page-{n}"))
        services.sync_aliases(page)


# The view: session, user, memberships (the privileged roles are asked before the
# site-editing permission), MFA and Wagtail's admin (menus, locale) plus the report's four.
VIEW_QUERIES = 16


def test_the_report_costs_the_same_queries_for_1_and_20_pages(editor):
    client = client_for(editor)
    client.get(REPORT)  # the session's first stamp and Wagtail's caches
    counts = []
    for start, count in ((0, 1), (1, 19)):
        content_pages(start, count)
        with assert_max_queries(4, exact=True):
            found = editorial.translation_status()
        assert len(found) == start + count + 1  # and the home page
        with assert_max_queries(VIEW_QUERIES) as ctx:
            response = client.get(REPORT)
        assert response.status_code == 200
        assert response.content.count(b'class="translation-status-row"') == start + count + 1
        counts.append(len(ctx.captured_queries))

    assert counts[0] == counts[1], counts
