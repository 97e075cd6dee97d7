"""Wagtail's admin and page events, handed to the services."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail import hooks
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import register_snippet

from solidar.publishing import services
from solidar.publishing.models import Topic

register_snippet(Topic)


@hooks.register("after_create_page")
def mirror_new_page(request, page):
    services.sync_aliases(page)


# Wagtail's and Django's events, each handed to the one service that says what follows.
def _published(instance, **kwargs):
    services.page_published(instance)


def _withdrawn(instance, **kwargs):
    services.page_withdrawn(instance)


def _moved(instance, **kwargs):
    services.page_moved(instance)


def _restriction_changed(instance, **kwargs):
    services.view_restriction_changed(instance)


def _topic_saved(sender, instance, created, **kwargs):
    services.topic_saved(instance, created=created)


page_published.connect(_published, dispatch_uid="publishing-published")
page_unpublished.connect(_withdrawn, dispatch_uid="publishing-unpublished")
post_page_move.connect(_moved, dispatch_uid="publishing-moved")
post_delete.connect(_withdrawn, sender="wagtailcore.Page", dispatch_uid="publishing-deleted")
post_save.connect(_topic_saved, sender=Topic, dispatch_uid="publishing-topic")
for signal, uid in ((post_save, "restricted"), (post_delete, "unrestricted")):
    signal.connect(
        _restriction_changed,
        sender="wagtailcore.PageViewRestriction",
        dispatch_uid=f"publishing-{uid}",
    )


# -- editorial: the translation status report (admin_views, editorial) ---------------------
@hooks.register("register_admin_urls")
def register_editorial_urls():
    from django.urls import path

    from solidar.publishing import admin_views

    return [
        path(
            "translation-status/",
            admin_views.translation_status,
            name="publishing_translation_status",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from solidar.publishing.admin_views import TranslationStatusMenuItem

    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("publishing_translation_status"),
        name="translation-status",
        icon_name="globe",
        order=1300,
    )
