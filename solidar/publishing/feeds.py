"""RSS and Atom feeds of a language's posts, all of them or one topic's.

    /<lang>/posts/feed.rss   /<lang>/posts/feed.atom
    /<lang>/posts/topic/<slug>/feed.rss   /<lang>/posts/topic/<slug>/feed.atom

A feed holds the newest posts *written or translated* in its language: an alias (the
original shown in another language's tree) is left out, so a reader of the German feed
gets German text only, and every item appears in exactly one feed per language. Served
through the page tree (``PostIndexPage.feed``), so the anonymous page cache keeps them too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from solidar.publishing import services
from solidar.publishing.models import PostIndexPage, PostPage, Topic

FEED_ITEMS = 20
FORMATS = {"rss": feedgenerator.Rss201rev2Feed, "atom": feedgenerator.Atom1Feed}


def feed_posts(index: PostIndexPage, topic: Topic | None = None) -> list[PostPage]:
    """The newest live public posts of the index that are real content in its language
    (not aliases), with ``local_topics`` and ``teaser_text`` (two queries plus topics)."""
    posts = (
        PostPage.objects.live()
        .public()
        .child_of(index)
        .filter(locale_id=index.locale_id, alias_of__isnull=True)
        .select_related("author_collective", "locale")
        .prefetch_related("topics")
        .order_by("-date", "-first_published_at")
    )
    if topic is not None:
        posts = posts.filter(topics__translation_key=topic.translation_key)
    return services.with_local_topics(posts[:FEED_ITEMS], index.locale)


class PostFeed(Feed):
    """One language's posts (``obj`` is ``(index, topic or None, request)``)."""

    def __init__(self, kind: str, language: str):
        super().__init__()
        self.kind = kind
        self.feed_type = FORMATS[kind]
        self.language = language

    def get_object(self, request, index, topic):
        return index, topic, request

    def title(self, obj):
        index, topic, _request = obj
        if topic is not None:
            return f"{topic.name} · {index.title} · {settings.SOLIDAR_SITE_NAME}"
        return f"{index.title} · {settings.SOLIDAR_SITE_NAME}"

    def link(self, obj):
        index, topic, request = obj
        url = index.get_full_url(request)
        if topic is not None:
            url += index.reverse_subpage("by_topic", args=[topic.slug])
        return url

    def description(self, obj):
        index, topic, _request = obj
        if topic is not None:
            return _("Posts on %(topic)s") % {"topic": topic.name}
        return index.intro or _("Posts of %(site)s") % {"site": settings.SOLIDAR_SITE_NAME}

    def feed_url(self, obj):
        index, topic, request = obj
        url = index.get_full_url(request)  # the site's address, as every other link
        if topic is not None:
            return url + index.reverse_subpage(f"topic_feed_{self.kind}", args=[topic.slug])
        return url + index.reverse_subpage(f"feed_{self.kind}")

    def items(self, obj):
        index, topic, request = obj
        posts = feed_posts(index, topic)
        for post in posts:
            post.feed_url = post.get_full_url(request)
        return posts

    def item_title(self, item):
        return item.title  # the feed generator escapes it

    def item_description(self, item):
        return item.teaser_text

    def item_link(self, item):
        return item.feed_url

    def item_guid(self, item):
        return item.feed_url

    def item_guid_is_permalink(self, item):
        return True

    def item_pubdate(self, item):
        # The post's own date, at midnight where the network lives; published earlier that
        # day (the usual case), the real moment of publishing.
        zone = timezone.get_default_timezone()
        first = item.first_published_at
        if first is not None and timezone.localtime(first, zone).date() == item.date:
            return first
        return datetime.datetime.combine(item.date, datetime.time.min, tzinfo=zone)

    def item_updateddate(self, item):
        pubdate = self.item_pubdate(item)
        last = item.last_published_at
        return last if last is not None and last > pubdate else pubdate

    def item_author_name(self, item):
        return services.author_of(item) or None

    def item_categories(self, item):
        return [topic.name for topic in item.local_topics]


def serve_feed(index: PostIndexPage, request, topic_slug: str | None = None):
    """The feed of ``index`` (optionally of one topic) in the format the path ends with;
    an unknown topic is a 404."""
    kind = "atom" if request.path.endswith(".atom") else "rss"
    topic = services.get_topic(index.locale, topic_slug) if topic_slug is not None else None
    language = index.locale.language_code
    with override(language):  # the feed's own strings in the feed's language
        return PostFeed(kind, language)(request, index=index, topic=topic)
