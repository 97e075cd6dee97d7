"""Seed the publishing benchmark's posts, whatever the demo data holds.

Run by bench/publishing.py with the server's environment, after seed_demo:

    python bench/_publishing_seed.py

Through the real publishing path (``solidar.publishing.testing``: revisions, publish, the
aliases in every language): the English post index (the demo's, or a new one), three
topics, 30 posts, and the measured post ``bench-measured`` with all three topics and a
German translation. Prints the paths of the measured post and of the index.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from wagtail.models import Locale  # noqa: E402

from solidar.publishing import services  # noqa: E402
from solidar.publishing.models import HomePage, PostIndexPage, PostPage, Topic  # noqa: E402
from solidar.publishing.testing import add_child, post, translate  # noqa: E402

POSTS = 30
MEASURED = "bench-measured"
TEXT = (
    "The evening began with letters: forty cards to people held for speaking against the "
    "war, written in four languages around two long tables. ",
    "Afterwards the working group on legal aid reported on the hearings it had followed and "
    "asked for volunteers to translate the court documents before the next session.",
)


def seed() -> tuple[str, str]:
    english = Locale.objects.get(language_code="en")
    index = PostIndexPage.objects.filter(locale=english).first()
    if index is None:
        home = HomePage.objects.get(locale=english)
        index = add_child(home, PostIndexPage(title="Posts", slug="posts"))
    existing = PostPage.objects.filter(locale=english, slug=MEASURED).first()
    if existing is not None:
        return path_of(existing), path_of(index)
    topics = []
    for n, name in enumerate(("Bench letters", "Bench hearings", "Bench solidarity")):
        topic = Topic.objects.create(name=name, slug=f"bench-topic-{n}", locale=english)
        topics.append(topic)
    services.sync_topics()
    for n in range(POSTS):
        post(
            index,
            f"Bench post {n:02}",
            slug=f"bench-post-{n:02}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            topics=[topics[n % len(topics)]],
            texts=TEXT,
            author_name="Bench",
        )
    measured = post(
        index,
        "Letters across borders",
        slug=MEASURED,
        date=datetime.date(2026, 3, 1),
        topics=topics,
        texts=TEXT * 4,
        author_name="Mila",
    )
    if PostIndexPage.objects.filter(locale__language_code="de", alias_of__isnull=True).exists():
        translate(measured, "de", title="Briefe über Grenzen")
    services.sync_all_aliases()
    return path_of(measured), path_of(index)


def path_of(page) -> str:
    return page.get_url_parts()[2]  # the path, whatever host the site is configured with


if __name__ == "__main__":
    print(*seed())
