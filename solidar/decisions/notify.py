"""The e-mails of decisions (filled in below): each in the recipient's language."""

from __future__ import annotations


def vote_opened(vote_id: int) -> int:
    return 0


def vote_closed(vote_id: int) -> int:
    return 0


def send_reminders() -> int:
    return 0
