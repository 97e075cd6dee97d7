"""Editors work in Wagtail's admin: its menu links to the newsletter pages (which live on
the site, under the editor's language, with the same MFA rule)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class NewsletterMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("newsletter.manage")


@hooks.register("register_admin_menu_item")
def register_newsletter_menu_item():
    return NewsletterMenuItem(
        _("Newsletters"),
        reverse("newsletter:manage"),
        name="newsletters",
        icon_name="mail",
        order=350,
    )
