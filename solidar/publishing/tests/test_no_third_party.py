"""Nothing on the public site comes from another origin (THREATS 21), and every page keeps
the strict CSP (THREATS 19).

A crawler starts at each language's home page (and robots.txt, the sitemap, a search) with
Django's test client and follows every same-site link, up to a bound: pages, listings, feeds,
the sitemap, search results, other languages. On every HTML page it fails on a resource from
another origin (src, srcset, poster, the href of any <link>, url() in styles, og: URLs, form
actions), on any <iframe>, <embed>, <object> or <base>, on inline scripts and styles, and on a
missing or weakened CSP; in feeds, the sitemap and robots.txt, on any absolute URL but ours.
Links (<a href>) to other sites are allowed: following them is the reader's choice.
"""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from wagtail.models import Site

from solidar.publishing import demo

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LIMIT = 300  # URLs fetched at most
# Not the public site: the admins have their own CSP and need a login.
NOT_PUBLIC = tuple(settings.SOLIDAR_ADMIN_CSP_PREFIXES)
# Files: checked for their origin, not fetched.
FILES = (settings.STATIC_URL, settings.MEDIA_URL)
EMBEDDING = {"iframe", "frame", "embed", "object", "applet", "portal", "base"}
URL_ATTRIBUTES = {"src", "poster", "data", "action", "formaction", "background", "ping"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[^\s"'<>)\]]+""", re.IGNORECASE)
# In XML documents: namespace names (never fetched) are not links.
XML_NAMESPACE = re.compile(
    r"""\sxmlns(?::\w+)?=["'][^"']*["']|\sxsi:schemaLocation=["'][^"']*["']"""
)
# Script sources that would let an injected or foreign script run.
WEAK_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:"}


@dataclass
class Page:
    """What one HTML document refers to."""

    resources: list[tuple[str, str]] = field(default_factory=list)  # (what, url)
    links: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._inline = None  # the tag whose text is being read: "script" or "style"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        page = self.page
        if tag in EMBEDDING:
            page.problems.append(f"<{tag}> {attributes}")
        if "style" in attributes:
            page.problems.append(f"style attribute on <{tag}>: {attributes['style']!r}")
            page.resources.extend(
                ("inline style", u) for u in CSS_URL.findall(attributes["style"] or "")
            )
        for name in URL_ATTRIBUTES & attributes.keys():
            page.resources.append((f"<{tag} {name}>", attributes[name] or ""))
        for name in ("srcset", "imagesrcset"):
            for candidate in (attributes.get(name) or "").split(","):
                if candidate.strip():
                    page.resources.append((f"<{tag} {name}>", candidate.split()[0]))
        if tag == "link":
            page.resources.append(
                (f"<link rel={attributes.get('rel')}>", attributes.get("href") or "")
            )
            page.links.append(attributes.get("href") or "")
        elif tag == "a" and attributes.get("href"):
            page.links.append(attributes["href"])
        elif tag == "meta":
            content = attributes.get("content") or ""
            if ABSOLUTE_URL.match(content):
                page.resources.append(
                    (f"<meta {attributes.get('property') or attributes.get('name')}>", content)
                )
            if (attributes.get("http-equiv") or "").lower() == "refresh":
                page.problems.append(f"<meta http-equiv=refresh content={content!r}>")
        elif tag == "script" and "src" not in attributes:
            if attributes.get("type", "text/javascript") not in {
                "application/json",
                "application/ld+json",
            }:
                self._inline = "script"
        elif tag == "style":
            self._inline = "style"
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            # A search form: follow it with a query, as a reader would.
            page.links.append(f"{attributes.get('action') or ''}?q=solidarity")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._inline = None

    def handle_data(self, data):
        if self._inline and data.strip():
            self.page.problems.append(f"inline <{self._inline}>: {data.strip()[:80]!r}")
            if self._inline == "style":
                self.page.resources.extend(("<style>", u) for u in CSS_URL.findall(data))


def own_origins() -> set[tuple[str, str]]:
    """The site as the test client sees it, as Wagtail names it, and as configured."""
    addresses = ["http://testserver", settings.SOLIDAR_SITE_URL]
    addresses += [site.root_url for site in Site.objects.all()]
    return {(urlsplit(a).scheme, urlsplit(a).netloc) for a in addresses}


def is_own(url: str, origins) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob"} and url.startswith(("data:image/", "blob:")):
        return True  # inline images: nothing fetched from anywhere
    if not parts.scheme and not parts.netloc:
        return True  # relative: this site
    return (parts.scheme or "http", parts.netloc) in origins or (
        not parts.scheme and any(netloc == parts.netloc for _s, netloc in origins)
    )


def csp_problems(response) -> list[str]:
    header = response.headers.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name.lower()] = sources
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        return [f"the CSP limits no script: {header}"]
    problems = [f"script-src allows {s}" for s in scripts if s.lower() in WEAK_SCRIPT_SOURCES]
    problems += [f"script-src names another origin: {s}" for s in scripts if "." in s or "://" in s]
    for directive, expected in (("object-src", ["'none'"]), ("base-uri", ["'none'"])):
        if directives.get(directive) != expected:
            problems.append(f"{directive} is {directives.get(directive)}, not {expected}")
    return problems


def addresses_in(text: str) -> list[str]:
    """Every absolute address in a feed, sitemap or robots.txt, but XML namespace names."""
    return ABSOLUTE_URL.findall(html.unescape(XML_NAMESPACE.sub(" ", text)))


@dataclass
class Crawl:
    visited: dict[str, str] = field(default_factory=dict)  # path -> content type
    problems: list[str] = field(default_factory=list)


def crawl(client, start: list[str], *, limit: int = LIMIT) -> Crawl:
    origins = own_origins()
    result = Crawl()
    queue = deque(start)
    queued = set(start)

    def follow(base: str, href: str) -> None:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        if parts.scheme not in {"", "http", "https"} or not is_own(url, origins):
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(NOT_PUBLIC + FILES) or path in queued:
            return
        queued.add(path)
        queue.append(path)

    while queue and len(result.visited) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in {301, 302, 303, 307, 308}:
            follow(path, response["Location"])
            continue
        if response.status_code != 200:
            result.problems.append(f"{path}: answered {response.status_code} (a broken link?)")
            continue
        kind = response["Content-Type"].split(";")[0]
        result.visited[path] = kind
        body = response.content.decode()
        if kind == "text/html":
            reader = PageReader()
            reader.feed(body)
            found = reader.page.problems + csp_problems(response)
            found += [
                f"{what} from another origin: {url}"
                for what, url in reader.page.resources
                if not is_own(urljoin(path, url), origins)
            ]
            for href in reader.page.links:
                follow(path, href)
        else:
            if kind == "text/calendar":
                # Unfold the long lines (RFC 5545: CRLF and a space), and leave out PRODID,
                # a product name ("-//Solidar//Events//EN") in the shape of an address.
                body = re.sub(r"\r\n[ \t]", "", body)
                body = re.sub(r"(?m)^PRODID:.*$", "", body)
            # Feeds, calendars, the sitemap, robots.txt: every address in them must be ours.
            urls = addresses_in(body)
            found = [f"an address of another origin: {u}" for u in urls if not is_own(u, origins)]
            for url in urls:
                follow(path, url)
        result.problems.extend(f"{path}: {problem}" for problem in found)
    return result


@pytest.fixture
def public_site(rich_post):
    """The demo site (real texts, every language) beside the test tree's pages and a post
    with an image (srcset) and a cover (og:image)."""
    demo.seed()
    return rich_post


def test_no_third_party_resource_anywhere_on_the_public_site(public_site, client):
    start = [f"/{lang}/" for lang in LANGUAGES] + ["/robots.txt", "/sitemap.xml"]
    result = crawl(client, start)

    assert not result.problems, "\n".join(result.problems)
    visited = result.visited
    # The crawl reached every kind of public document (so it could have found something).
    kinds = set(visited.values())
    assert {"text/html", "application/rss+xml", "application/atom+xml"} <= kinds, kinds
    for lang in LANGUAGES:
        assert f"/{lang}/posts/every-block/" in visited
        assert any(p.startswith(f"/{lang}/search/?q=") for p in visited)
        assert any(p.startswith(f"/{lang}/posts/topic/") for p in visited)
        assert any(re.match(rf"/{lang}/posts/\d{{4}}/\d{{2}}/$", p) for p in visited)
        assert f"/{lang}/programme/" in visited
    assert "/sitemap.xml" in visited
    print(f"crawled {len(visited)} URLs (bound {LIMIT})")


def test_the_crawler_notices_foreign_resources(db, client):
    """A control: each kind of leak the crawl looks for is found in a page made for it."""
    document = """<!doctype html><html><head>
      <link rel="stylesheet" href="https://cdn.example.net/site.css">
      <link rel="preload" href="//fonts.example.net/a.woff2" as="font">
      <meta property="og:image" content="https://images.example.net/a.png">
    </head><body>
      <img src="/static/a.png" srcset="/media/a.png 1x, https://img.example.net/b.png 2x" alt="">
      <p style="background: url('https://track.example.net/p.gif')">x</p>
      <iframe src="/en/"></iframe><script>alert(1)</script>
      <a href="https://example.org/">a link elsewhere is fine</a>
    </body></html>"""
    reader = PageReader()
    reader.feed(document)
    origins = own_origins()
    foreign = sorted(url for _what, url in reader.page.resources if not is_own(url, origins))
    assert foreign == [
        "//fonts.example.net/a.woff2",
        "https://cdn.example.net/site.css",
        "https://images.example.net/a.png",
        "https://img.example.net/b.png",
        "https://track.example.net/p.gif",
    ]
    assert any(p.startswith("<iframe>") for p in reader.page.problems)
    assert any(p.startswith("inline <script>") for p in reader.page.problems)
    assert any(p.startswith("style attribute") for p in reader.page.problems)
    assert is_own("http://testserver/en/", origins)
    assert not is_own("http://testserver.example.net/en/", origins)

    class Weak:
        headers = {
            "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"
        }

    assert "script-src allows 'unsafe-inline'" in csp_problems(Weak())
    feed = """<feed xmlns="http://www.w3.org/2005/Atom"><link href="http://testserver/en/"/>
      <entry><content type="html">&lt;img src=&quot;https://pixel.example.net/t.gif&quot;&gt;</content></entry></feed>"""
    assert [u for u in addresses_in(feed) if not is_own(u, origins)] == [
        "https://pixel.example.net/t.gif"
    ]
    assert csp_problems(client.get("/en/")) == []
