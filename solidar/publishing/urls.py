"""Inside i18n_patterns: the site's own views (``publishing:``), and the page tree, which
takes every path nothing else claimed and so comes last (``serve_patterns``)."""

from django.urls import path, re_path
from django.views.generic import RedirectView
from wagtail import views as wagtail_views

from solidar.publishing import views

app_name = "publishing"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("go/posts/", views.posts, name="posts"),
    path("go/programme/", views.programme, name="programme"),
]

# Not namespaced: Wagtail reverses "wagtail_serve" to build page URLs.
serve_patterns = [
    # Wagtail reverses this name even with WAGTAIL_FRONTEND_LOGIN_URL set: our one login.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailcore_login",
    ),
    # Pages with a shared password (Wagtail's view restrictions) post their form here.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", views.serve_page, {"path": ""}, name="home"),
    re_path(r"^((?:[\w\-]+/)*)$", views.serve_page, name="wagtail_serve"),
    # Feeds of a post index (PostIndexPage.feed): the one page path without a final slash.
    re_path(r"^((?:[\w\-]+/)+feed\.(?:rss|atom))$", views.serve_page, name="wagtail_serve_feed"),
]
