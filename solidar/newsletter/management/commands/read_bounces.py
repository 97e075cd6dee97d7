"""Read bounce messages (delivery status notifications) from a mailbox and apply them.

    manage.py read_bounces /var/mail/newsletter-bounces            an mbox file
    manage.py read_bounces ~/Maildir --maildir --delete            a Maildir, emptied
    manage.py read_bounces -                                       one message on stdin

Each message is parsed by ``bounces.bounces_in`` (RFC 3464 reports as Postfix, Exim,
Gmail and most servers send them; Exim's and qmail's plain-text bounces) and each reported
recipient goes through ``bounces.record``. A message that cannot be read is counted and
left alone; it never stops the run. With ``--delete`` the messages that were bounces are
removed from the mailbox afterwards (those that were not, or could not be read, stay for a
person to look at). The summary counts; it never prints an address.
"""

from __future__ import annotations

import email
import logging
import mailbox
import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from solidar.newsletter import bounces

logger = logging.getLogger("solidar.newsletter.bounces")

MAX_MESSAGE_BYTES = 10 * 1024 * 1024  # a bounce is small; a bigger message is no bounce


class Command(BaseCommand):
    help = (
        "Apply the bounce messages (delivery status notifications) of an mbox file, a "
        "Maildir (--maildir) or one message on standard input (-): hard bounces unsubscribe "
        "the address, soft bounces are counted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The mbox file, the Maildir folder, or - for stdin.")
        parser.add_argument("--maildir", action="store_true", help="PATH is a Maildir.")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove the messages that were bounces from the mailbox once applied.",
        )

    def handle(self, *args, path: str, maildir: bool = False, delete: bool = False, **options):
        counts: Counter[str] = Counter()
        if path == "-":
            self._apply(sys.stdin.buffer.read(MAX_MESSAGE_BYTES + 1), counts)
        else:
            self._read_mailbox(path, maildir=maildir, delete=delete, counts=counts)
        self.stdout.write(
            "messages: {messages}, hard bounces: {hard}, soft bounces: {soft}, "
            "unknown addresses: {unknown}, not bounces: {ignored}, unparsable: {unparsable}, "
            "subscribers removed: {removed}, messages deleted: {deleted}".format(
                **{
                    key: counts[key]
                    for key in (
                        "messages",
                        "hard",
                        "soft",
                        "unknown",
                        "ignored",
                        "unparsable",
                        "removed",
                        "deleted",
                    )
                }
            )
        )

    def _read_mailbox(self, path: str, *, maildir: bool, delete: bool, counts: Counter) -> None:
        try:
            if maildir:
                box = mailbox.Maildir(path, factory=None, create=False)
            else:
                box = mailbox.mbox(path, create=False)
        except (OSError, mailbox.Error) as error:
            raise CommandError(f"Cannot open the mailbox {path}: {error}") from error
        locked = False
        try:
            if delete and not maildir:
                try:
                    box.lock()
                except (OSError, mailbox.Error) as error:
                    raise CommandError(f"Cannot lock the mailbox {path}: {error}") from error
                locked = True
            try:
                keys = list(box.iterkeys())
            except (OSError, mailbox.Error) as error:
                raise CommandError(f"Cannot read the mailbox {path}: {error}") from error
            for key in keys:
                try:
                    raw = box.get_bytes(key)
                except (OSError, KeyError, mailbox.Error):
                    counts["messages"] += 1
                    counts["unparsable"] += 1
                    continue
                if self._apply(raw, counts) and delete:
                    box.remove(key)
                    counts["deleted"] += 1
        finally:
            if delete:
                box.flush()
            if locked:
                box.unlock()
            box.close()

    def _apply(self, raw: bytes, counts: Counter) -> bool:
        """Apply one message; True when it was a bounce (and so may be deleted)."""
        counts["messages"] += 1
        if len(raw) > MAX_MESSAGE_BYTES:
            counts["ignored"] += 1
            return False
        try:
            found = bounces.bounces_in(email.message_from_bytes(raw))
        except Exception:  # noqa: BLE001 - a malformed message never stops the run
            logger.info("read_bounces: a message that could not be read")
            counts["unparsable"] += 1
            return False
        if not found:
            counts["ignored"] += 1
            return False
        for bounce in found:
            outcome = bounces.record_bounce(bounce)
            if outcome == bounces.Outcome.UNKNOWN:
                counts["unknown"] += 1
                continue
            counts["hard" if bounce.hard else "soft"] += 1
            if outcome == bounces.Outcome.REMOVED:
                counts["removed"] += 1
        return True
