"""User Markdown, rendered and sanitised: the only way user text becomes HTML.

CommonMark through markdown-it (raw HTML disabled), then nh3 with an allow-list:
no scripts, no styles, no event handlers, links only to https: and mailto:, every
link opened with rel="nofollow noopener noreferrer", images only from our own site.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "hr", "a", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
URL_SCHEMES = {"https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.validateLink = lambda url: True  # nh3 decides; markdown-it would drop some silently


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        # Only our own media: relative paths, never another origin (no tracking pixels).
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_filter_attribute,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown from a user -> HTML safe to put into a page."""
    return mark_safe(sanitize_html(_markdown.render(text or "")))  # noqa: S308 - sanitised by nh3
