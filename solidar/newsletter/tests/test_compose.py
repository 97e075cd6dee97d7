"""The e-mail of a mailing: built per reader (``compose.message``) and, fast, from bytes
serialised once per language (``compose.Prepared``): both must say the same."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from solidar.newsletter import compose, links

BODY = """## Форум у Кельні

Понад 70 людей з **трьох країн**. [Програма](/uk/programme/) та [звіт](https://example.org/report).

![Зала](/media/images/hall.jpg)

. a line that starts with a dot
"""


@pytest.fixture
def mailing(make_list, make_mailing):
    return make_mailing(
        variants={"uk": ("Розсилка: листопад", BODY), "de": ("Rundbrief", "Hallo **Köln**.")},
        lists=[make_list("monthly-uk", "uk")],
    )


def _parts(raw: bytes) -> dict:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    headers = {
        name: str(message[name])
        for name in ("Subject", "From", "To", "List-Id", "List-Unsubscribe-Post",
                     "Content-Language", "Auto-Submitted", "Message-ID")
    }  # fmt: skip
    return {"headers": headers, "text": text, "html": html, "unsub": message["List-Unsubscribe"]}


def _token_free(url: str) -> str:
    """A signed link without its signature part (signatures carry the signing time)."""
    return url.rsplit("/", 2)[0] if url.endswith("/") else url.rsplit("/", 1)[0]


@pytest.mark.parametrize("language", ["uk", "de"])
def test_prepared_bytes_say_what_the_built_message_says(mailing, make_subscriber, language):
    variant = mailing.variants.get(language=language)
    rendered = compose.render(variant)
    subscriber = make_subscriber("olena@example.org")
    prepared = compose.Prepared(rendered, mailing)
    assert prepared.usable

    fast = _parts(unstuffed(prepared.bytes_for(subscriber, "olena@example.org")))
    slow = _parts(
        compose.message(rendered, mailing=mailing, subscriber=subscriber, to="olena@example.org")
        .message()
        .as_bytes()
    )

    assert fast["headers"] == slow["headers"]
    assert fast["headers"]["To"] == "olena@example.org"
    assert fast["headers"]["Message-ID"] == links.message_id(mailing, subscriber.pk)
    assert _token_free(fast["unsub"].strip("<>")) == _token_free(slow["unsub"].strip("<>"))
    # The reader's own links work: the unsubscribe token in the body names this reader.
    for part in ("text", "html"):
        assert compose.UNSUBSCRIBE_MARK not in fast[part]
        assert compose.PREFERENCES_MARK not in fast[part]
    unsubscribe_link = next(
        word for word in fast["text"].split() if "/newsletter/unsubscribe/" in word
    )
    token = unsubscribe_link.rstrip("/").rsplit("/", 1)[1]
    assert links.unsubscribe_target(token) == (subscriber, mailing)
    one_click = fast["unsub"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert links.unsubscribe_target(one_click) == (subscriber, mailing)
    preference_link = next(
        word for word in fast["text"].split() if "/newsletter/preferences/" in word
    )
    token = preference_link.rstrip("/").rsplit("/", 1)[1]
    assert links.subscriber_for_preferences(token) == subscriber


def unstuffed(data: bytes) -> bytes:
    """SMTP's dot-stuffing undone (what the receiving server does)."""
    return re.sub(rb"(?m)^\.\.", b".", data)


def test_prepared_bytes_are_dot_stuffed_once_and_end_with_a_line_break(mailing, make_subscriber):
    variant = mailing.variants.get(language="de")
    variant.body = "Erste Zeile\n\n.Zeile mit Punkt\n\n...und drei"
    variant.save()
    prepared = compose.Prepared(compose.render(variant), mailing)
    data = prepared.bytes_for(make_subscriber("olena@example.org"), "olena@example.org")

    assert b"\r\n..Zeile mit Punkt" in data
    assert b"\r\n....und drei" in data
    assert data.endswith(b"\r\n")
    assert b"\r\n.Zeile" not in data  # no line starts with a single dot


def test_relative_links_and_images_become_absolute_and_no_other_origin_is_loaded(mailing):
    html = compose.render(mailing.variants.get(language="uk")).html
    assert 'src="http://' in html or 'src="https://' in html
    assert 'href="/' not in html and 'src="/' not in html
    assert 'src="https://example.org' not in html


def test_an_address_that_is_not_ascii_is_left_to_the_slow_path(mailing, make_subscriber):
    prepared = compose.Prepared(compose.render(mailing.variants.get(language="de")), mailing)
    subscriber = make_subscriber("jürgen@example.org")
    assert prepared.bytes_for(subscriber, "jürgen@example.org") is None
    assert prepared.bytes_for(subscriber, "a@example.org\r\nBcc: x@example.org") is None
