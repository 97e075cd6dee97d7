from html.parser import HTMLParser

import pytest

from solidar.core.markup import ALLOWED_TAGS, render_markdown


class _Elements(HTMLParser):
    """Collects the real elements and attributes (escaped text does not count)."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser


PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "![x](https://tracker.example/pixel.gif)",
    "<style>body{display:none}</style>",
    "[x](vbscript:msgbox(1))",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives(payload):
    found = elements(render_markdown(payload))
    assert set(found.tags) <= ALLOWED_TAGS
    for tag, name, value in found.attributes:
        assert not name.startswith("on"), (payload, tag, name)
        if name in {"href", "src"}:
            assert value.startswith(("https://", "mailto:", "/")), (payload, value)
            assert not value.startswith("//")
        assert "tracker.example" not in value


def test_markdown_still_formats():
    html = render_markdown(
        "## Title\n\n**bold** and [a link](https://example.org) and [mail](mailto:a@b.org)"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'href="mailto:a@b.org"' in html


def test_plain_http_links_are_dropped():
    html = render_markdown("[insecure](http://example.org)")
    assert "http://example.org" not in html
    assert "insecure" in html


def test_own_images_are_kept():
    html = render_markdown("![poster](/media/images/poster.png)")
    assert 'src="/media/images/poster.png"' in html
    assert 'alt="poster"' in html
