"""Editors can work with every page type in Wagtail's admin (behind MFA)."""

from __future__ import annotations

import pytest

from solidar.conftest import client_for
from solidar.publishing.models import HomePage

pytestmark = pytest.mark.django_db


def test_every_page_types_add_and_edit_forms_render(site_tree, admin_user):
    client = client_for(admin_user)
    home = HomePage.objects.get(locale__language_code="en")
    for model, parent in (
        ("postpage", site_tree.index_en),
        ("contentpage", home),
        ("postindexpage", home),
        ("statementindexpage", home),
        ("statementpage", site_tree.statement_en.get_parent()),
    ):
        response = client.get(f"/cms/pages/add/publishing/{model}/{parent.pk}/")
        assert response.status_code == 200, model
    for page in (site_tree.post_en, site_tree.programme_en, site_tree.statement_en, home):
        response = client.get(f"/cms/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
        assert b"gravatar" not in response.content.lower()


def test_a_post_is_previewed_and_published_through_the_admin(site_tree, admin_user, client):
    admin = client_for(admin_user)
    post = site_tree.post_en
    response = admin.get(f"/cms/pages/{post.pk}/view_draft/")
    assert response.status_code == 200
    assert b"Letters to prisoners" in response.content
    assert admin.get(f"/cms/pages/{post.pk}/unpublish/").status_code == 200
    admin.post(f"/cms/pages/{post.pk}/unpublish/", {"include_descendants": ""})
    assert client.get("/en/posts/letters-to-prisoners/").status_code == 404
