"""manage.py read_bounces: realistic bounce messages (Postfix, Gmail, Exim, qmail) in an
mbox file and a Maildir, garbage among them, and junk bytes that must never stop a run."""

from __future__ import annotations

import contextlib
import email
import io
import mailbox
import re
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from solidar.newsletter import bounces, links
from solidar.newsletter.models import Subscriber, Suppression

DATA = Path(__file__).parent / "data"


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def run(*args) -> dict[str, int]:
    out = io.StringIO()
    call_command("read_bounces", *map(str, args), stdout=out)
    text = out.getvalue()
    return {key.strip(): int(value) for key, value in re.findall(r"([a-z ]+): (\d+)", text)} | {
        "_text": text
    }


def make_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


def reason(address: str) -> str | None:
    row = Suppression.objects.filter(email_digest=links.email_digest(address)).first()
    return row.reason if row else None


def parsed(name: str) -> list[bounces.Bounce]:
    return bounces.bounces_in(email.message_from_bytes(sample(name)))


# -- the parser ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("postfix_hard.eml", [(("gone@example.org",), True)]),
        ("postfix_delayed.eml", [(("busy@example.net",), False)]),
        (
            "postfix_two_recipients.eml",
            [
                (("left@example.com",), True),
                (("reader@example.com", "aliased@example.com"), False),  # 4.4.1: gave up
            ],
        ),
        # Only the report counts, not the addresses in the returned copy of the message.
        ("gmail_hard.eml", [(("no.such.reader@example.com",), True)]),
        ("exim_hard.eml", [(("nobody@example.net",), True)]),
        ("exim_retry_timeout.eml", [(("slow@example.net",), False)]),
        ("qmail_hard.eml", [(("closed@example.com",), True)]),
        ("autoreply.eml", []),
    ],
)
def test_samples(name, expected):
    assert [(b.addresses, b.hard) for b in parsed(name)] == expected


def test_a_report_without_recipients_is_unparsable():
    with pytest.raises(bounces.UnparsableError):
        parsed("report_without_recipient.eml")


# -- the command --------------------------------------------------------------------------------
@pytest.fixture
def readers(make_list, make_subscriber):
    monthly = make_list()
    return {
        address: make_subscriber(address, lists=[monthly])
        for address in (
            "gone@example.org",
            "busy@example.net",
            "left@example.com",
            "reader@example.com",  # the original recipient, forwarded to aliased@
            "no.such.reader@example.com",
            "nobody@example.net",
            "closed@example.com",
            "happy@example.org",
        )
    }


ALL_SAMPLES = [
    "postfix_hard.eml",
    "postfix_delayed.eml",
    "postfix_two_recipients.eml",
    "gmail_hard.eml",
    "exim_hard.eml",
    "exim_retry_timeout.eml",  # slow@example.net: not a subscriber
    "qmail_hard.eml",
    "autoreply.eml",
    "report_without_recipient.eml",
]


def test_an_mbox_of_bounces(tmp_path, readers, caplog):
    path = make_mbox(tmp_path / "bounces", [sample(n) for n in ALL_SAMPLES] + [b"\x00garbage"])

    counts = run(path)

    assert counts["messages"] == 10
    assert counts["hard bounces"] == 5  # gone, left, no.such.reader, nobody, closed
    assert counts["soft bounces"] == 2  # busy (delayed), reader (gave up after 4.4.1)
    assert counts["unknown addresses"] == 1  # slow@example.net
    assert counts["not bounces"] == 2  # the auto-reply and the garbage
    assert counts["unparsable"] == 1
    assert counts["subscribers removed"] == 5
    assert counts["messages deleted"] == 0
    assert "@" not in counts["_text"]

    for address in ("gone@example.org", "left@example.com", "nobody@example.net"):
        assert reason(address) == Suppression.Reason.HARD_BOUNCE
    remaining = {s.email: s.soft_bounces for s in Subscriber.objects.all()}
    assert remaining == {"busy@example.net": 1, "reader@example.com": 1, "happy@example.org": 0}
    assert len(mailbox.mbox(path)) == 10  # nothing removed without --delete
    assert "example" not in caplog.text


def test_running_twice_counts_a_soft_bounce_once(tmp_path, readers):
    path = make_mbox(tmp_path / "bounces", [sample("postfix_delayed.eml")])
    run(path)
    counts = run(path)
    assert counts["soft bounces"] == 1
    assert (
        Subscriber.objects.get(email_digest=links.email_digest("busy@example.net")).soft_bounces
        == 1
    )


def test_delete_removes_the_bounces_and_keeps_the_rest(tmp_path, readers):
    path = make_mbox(
        tmp_path / "bounces",
        [
            sample("postfix_hard.eml"),
            sample("autoreply.eml"),
            b"\xff\xfe junk",
            sample("qmail_hard.eml"),
        ],
    )

    counts = run(path, "--delete")

    assert counts["messages deleted"] == 2
    box = mailbox.mbox(path)
    left = [box.get_bytes(key) for key in box.iterkeys()]
    assert len(left) == 2
    assert b"Out of office" in left[0]
    assert b"junk" in left[1]
    assert run(path)["hard bounces"] == 0


def test_a_maildir(tmp_path, readers):
    box = mailbox.Maildir(tmp_path / "Maildir")
    for name in ("gmail_hard.eml", "exim_hard.eml", "autoreply.eml"):
        box.add(sample(name))

    counts = run(tmp_path / "Maildir", "--maildir", "--delete")

    assert (counts["hard bounces"], counts["not bounces"], counts["messages deleted"]) == (2, 1, 2)
    assert len(mailbox.Maildir(tmp_path / "Maildir", create=False)) == 1
    assert reason("no.such.reader@example.com") == Suppression.Reason.HARD_BOUNCE


def test_one_message_on_stdin(readers, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(sample("postfix_hard.eml"))))
    counts = run("-")
    assert (counts["messages"], counts["hard bounces"]) == (1, 1)
    assert reason("gone@example.org") == Suppression.Reason.HARD_BOUNCE


def test_a_missing_mailbox_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot open the mailbox"):
        run(tmp_path / "nothing-here", "--maildir")
    with pytest.raises(CommandError, match="Cannot open the mailbox"):
        run(tmp_path / "nothing-here")


def test_a_forwarded_address_is_found_by_the_final_recipient(tmp_path, make_subscriber):
    make_subscriber("aliased@example.com")  # we only know the address the mail ended at
    counts = run(make_mbox(tmp_path / "b", [sample("postfix_two_recipients.eml")]))
    assert (counts["soft bounces"], counts["unknown addresses"]) == (1, 1)


# -- junk never stops a run ---------------------------------------------------------------------
def fuzz(examples: int):
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


MUTATED_HEADERS = [
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n',
    b"Content-Type: message/delivery-status\n\n",
    b"X-Failed-Recipients: ",
    b"Hi. This is the qmail-send program\n<",
    b"Content-Type: text/plain; charset=x\x00y\n\n",  # once a ValueError
    b"Content-Type: message/global-delivery-status\nContent-Transfer-Encoding: base64\n\n",
]


@fuzz(150)
@given(
    prefix=st.sampled_from([b"", *MUTATED_HEADERS]),
    junk=st.binary(max_size=600),
)
def test_junk_bytes_never_crash_the_parser(prefix, junk):
    message = email.message_from_bytes(prefix + junk)
    try:
        result = bounces.bounces_in(message)
    except bounces.UnparsableError:
        return
    assert all(isinstance(b, bounces.Bounce) and b.addresses for b in result)


@fuzz(150)
@given(cut=st.integers(min_value=0, max_value=4000), noise=st.binary(min_size=1, max_size=40))
def test_damaged_samples_never_crash_the_parser(cut, noise):
    for name in ("postfix_hard.eml", "gmail_hard.eml", "postfix_two_recipients.eml"):
        raw = sample(name)
        damaged = raw[:cut] + noise + raw[cut + len(noise) :]
        with contextlib.suppress(bounces.UnparsableError):
            bounces.bounces_in(email.message_from_bytes(damaged))


@fuzz(15)
@given(messages=st.lists(st.binary(max_size=300), min_size=1, max_size=6))
def test_an_mbox_of_junk_is_read_to_the_end(tmp_path_factory, db, messages):
    path = tmp_path_factory.mktemp("junk") / "mbox"
    make_mbox(path, [*messages, sample("postfix_hard.eml")])

    counts = run(path, "--delete")

    assert counts["messages"] == len(messages) + 1
    assert counts["unknown addresses"] >= 1  # the real bounce at the end was reached
