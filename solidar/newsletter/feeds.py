"""The RSS feed of a language's newsletter archive (``/<lang>/newsletter/archive/feed.rss``).

The same items as the archive page: sent mailings marked for the archive, the version in
the feed's language, newest first. Served through ``views.archive.feed``, so the
anonymous page cache keeps it like the archive pages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext as _
from django.utils.translation import override

from solidar.newsletter import compose, links
from solidar.newsletter.models import Mailing, MailingVariant

FEED_ITEMS = 20


def archived_variants(language: str) -> QuerySet[MailingVariant]:
    """The language versions the public archive shows in ``language``, newest first."""
    return (
        MailingVariant.objects.filter(
            language=language,
            mailing__status=Mailing.Status.SENT,
            mailing__in_archive=True,
        )
        .exclude(archive_slug="")
        .select_related("mailing")
        .only(
            "language",
            "subject",
            "body",
            "archive_slug",
            "mailing__id",
            "mailing__finished_at",
            "mailing__started_at",
        )
        .order_by("-mailing__finished_at", "-mailing__started_at", "-pk")
    )


class ArchiveFeed(Feed):
    feed_type = feedgenerator.Rss201rev2Feed

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def __call__(self, request, *args, **kwargs):
        with override(self.language):  # the feed's own strings in its language
            return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Newsletter of %(site)s") % {"site": settings.SOLIDAR_SITE_NAME}

    def description(self):
        return _("The newsletters sent by %(site)s.") % {"site": settings.SOLIDAR_SITE_NAME}

    def link(self):
        return links.absolute(reverse("newsletter:archive"))

    def feed_url(self):
        return links.absolute(reverse("newsletter:archive_feed"))

    def items(self):
        return list(archived_variants(self.language)[:FEED_ITEMS])

    def item_title(self, item):
        return item.subject  # the feed generator escapes it

    def item_description(self, item):
        return compose.body_html(item)

    def item_link(self, item):
        return links.absolute(reverse("newsletter:archive_detail", args=[item.archive_slug]))

    def item_guid(self, item):
        return self.item_link(item)

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        return item.mailing.finished_at or item.mailing.started_at
