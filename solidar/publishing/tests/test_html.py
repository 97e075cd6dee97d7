"""Every kind of public page, in every language, is valid HTML: html5lib's parser in strict
mode finds no parse error, no id is used twice, and (when java is there) the Nu HTML Checker
reports no error."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import html5lib
import pytest
from django.conf import settings

from solidar.browser import browser_required

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = {
    "home": "/{lang}/",
    "post index": "/{lang}/posts/",
    "post": "/{lang}/posts/letters-to-prisoners/",
    "post with every block": "/{lang}/posts/every-block/",
    # Written in German only: an alias everywhere else, with the notice.
    "German-only post": "/{lang}/posts/kundgebung-koeln/",
    "topic": "/{lang}/posts/topic/political-prisoners/",
    "month": "/{lang}/posts/2024/11/",
    "programme": "/{lang}/programme/",
    "statements": "/{lang}/statements/",
    "statement": "/{lang}/statements/cologne-forum-resolution/",
    "search results": "/{lang}/search/?q=letters",
}
VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")


def render(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def parse_errors(html: str) -> list[str]:
    """html5lib's parse errors, each with its line of source."""
    try:
        html5lib.HTMLParser(strict=True).parse(html)
    except html5lib.html5parser.ParseError:
        pass
    else:
        return []
    parser = html5lib.HTMLParser()  # strict mode stops at the first error: list them all
    parser.parse(html)
    lines = html.splitlines()
    found = []
    for (line, column), code, data in parser.errors:
        source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        message = html5lib.constants.E.get(code, code) % (data or {})
        found.append(f"line {line}, column {column}: {message}\n      {source[:200]}")
    return found


def duplicate_ids(html: str) -> list[str]:
    ids = Counter(a or b for a, b in ID.findall(html))
    return [f"id {name!r} used {count} times" for name, count in ids.items() if count > 1]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_parse_without_errors(rich_post, client, lang):
    problems = []
    for kind, pattern in PAGES.items():
        url = pattern.format(lang=lang)
        html = render(client, url)
        if found := parse_errors(html) + duplicate_ids(html):
            problems.append(f"{kind} ({url}):\n" + "\n".join(f"  {p}" for p in found))
    assert not problems, "invalid HTML:\n" + "\n".join(problems)


def test_the_checks_catch_invalid_markup():
    """The checks above can fail: a stray end tag, a block in a paragraph, a repeated id."""
    page = '<!doctype html><html lang="en"><head><title>t</title></head><body>{}</body></html>'
    assert parse_errors(page.format("<p>fine</p>")) == []
    assert "line 1" in parse_errors(page.format("<p>a</div>"))[0]
    assert parse_errors(page.format("<ul><li>a</li></ul></p>"))
    assert duplicate_ids(page.format('<p id="x"></p><p id="x"></p>')) == ["id 'x' used 2 times"]


def java() -> str:
    path = shutil.which("java")
    missing = [
        what for what, there in (("java", path), (str(VNU_JAR), VNU_JAR.exists())) if not there
    ]
    if missing:
        why = f"the Nu HTML Checker needs {' and '.join(missing)} (`npm ci`, a Java runtime)"
        if browser_required():
            pytest.fail(f"{why}; SOLIDAR_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(why)
    return path


# A control in the same run: the checker must find this file's stray end tag.
CONTROL = (
    '<!doctype html><html lang="en"><head><title>t</title></head><body><p>a</div></body></html>'
)


def test_public_pages_pass_the_nu_html_checker(rich_post, client, tmp_path):
    java_path = java()
    pages = tmp_path / "pages"  # not tmp_path itself: the media files are there
    pages.mkdir()
    files = {"control.html": "control"}
    (pages / "control.html").write_text(CONTROL, encoding="utf-8")
    for lang in LANGUAGES:
        for kind, pattern in PAGES.items():
            url = pattern.format(lang=lang)
            name = f"{lang}-{kind.replace(' ', '-')}.html"
            (pages / name).write_text(render(client, url), encoding="utf-8")
            files[name] = url
    result = subprocess.run(  # noqa: S603 (our own file names; java from PATH)
        [java_path, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(pages)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]  # the checker reports on stderr
    errors = {}
    for m in messages:
        url = files.get(Path(m.get("url", "")).name, m.get("url"))
        errors.setdefault(url, []).append(
            f"{url} line {m.get('lastLine')}: {m.get('message')}\n"
            f"      {m.get('extract', '').strip()[:200]}"
        )
    assert any("Stray end tag" in e for e in errors.pop("control", [])), messages
    assert not errors, "the Nu HTML Checker found errors:\n" + "\n".join(
        line for lines in errors.values() for line in lines
    )
