"""Running behind the web: for background processes that may take the CPU for a while
(the newsletter engine). No Django in here: the benchmark's SMTP sink uses it too."""

from __future__ import annotations

import contextlib
import os


def lower_priority(nice: int) -> None:
    """Let web requests come first: ``nice`` for this process (threads started later
    inherit it). Linux with autogroup scheduling (``/proc/sys/kernel/sched_autogroup_
    enabled``, on in most distributions) shares the CPU fairly between sessions first and
    applies nice only within one: a niced engine in its own session would still take a
    full share from gunicorn in another. So the engine moves into a session of its own
    (when it can: not when it already leads a process group) and lowers that session's
    weight as well; nothing else runs in it."""
    os.nice(nice)
    with contextlib.suppress(OSError):
        os.setsid()
    if os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as autogroup:
            autogroup.write(str(nice))
