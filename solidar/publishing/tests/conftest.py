import datetime
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.rich_text import RichText

from solidar.publishing import services
from solidar.publishing.models import PostPage, SiteImage
from solidar.publishing.testing import add_child, build_site


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture
def rich_post(site_tree, settings, tmp_path):
    """/<lang>/posts/every-block/: an English post with every kind of block (headings, an
    image with caption and credit, a quote, a link elsewhere) and a cover; aliased in every
    other language. Media go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    data = io.BytesIO()
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(data, "PNG")
    image = SiteImage.objects.create(
        title="Banner",
        description="A red banner at the forum",
        credit="Olga",
        file=ImageFile(data, name="banner.png"),
    )
    post = add_child(
        site_tree.index_en,
        PostPage(
            title="Every kind of block",
            slug="every-block",
            date=datetime.date(2024, 11, 5),
            cover=image,
            author_name="Mila",
            body=[
                ("paragraph", RichText("<p>Before the first heading.</p>")),
                ("heading", {"text": "What happened", "level": "h2"}),
                ("image", {"image": image, "caption": "Our banner", "credit": ""}),
                ("heading", {"text": "In detail", "level": "h3"}),
                ("quote", {"quote": "We stay.\nTogether.", "attribution": "A speaker"}),
                ("paragraph", RichText('<p>Read <a href="https://example.org/">more</a>.</p>')),
            ],
        ),
    )
    services.sync_aliases(post)
    return post
