"""An SMTP sink for the newsletter benchmark: aiosmtpd in its own process, counting.

Usage: _smtp_sink.py PORT CONTROL_SOCKET [--nice N]

It accepts every message on 127.0.0.1:PORT and keeps, per envelope recipient, how many
messages arrived and the ``Content-Language`` of the first; it keeps no message. It runs in
its own process (so it shares no interpreter lock with the sender it measures) at the
niceness it is given (the sending engine's), and answers on a Unix socket, one command
line in, one JSON line out:

    stats        {"messages", "recipients", "repeated", "bytes", "connections",
                  "without_unsubscribe", "first", "last", "cpu"}  (first/last: time.monotonic()
                  of the first and last message since the last reset, comparable across
                  processes on Linux; cpu: seconds of CPU this process has used)
    reset        forget everything counted (the answer is the stats before)
    dump PATH    write {recipient: [count, language]} to PATH; the answer is the stats
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import time

from aiosmtpd.smtp import SMTP

_LANGUAGE = re.compile(rb"^Content-Language:[ \t]*([A-Za-z-]+)", re.MULTILINE | re.IGNORECASE)
_UNSUBSCRIBE = re.compile(rb"^List-Unsubscribe:", re.MULTILINE | re.IGNORECASE)


class Counter:
    """The aiosmtpd handler: counts what arrives, per recipient."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.connections = 0
        self.without_unsubscribe = 0
        self.first: float | None = None
        self.last: float | None = None
        self.recipients: dict[str, list] = {}

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        now = time.monotonic()
        content = envelope.original_content or b""
        head = content[: content.find(b"\r\n\r\n") + 2]
        match = _LANGUAGE.search(head)
        language = match[1].decode("ascii").lower() if match else ""
        if not _UNSUBSCRIBE.search(head):
            self.without_unsubscribe += 1
        for rcpt in envelope.rcpt_tos:
            seen = self.recipients.get(rcpt)
            if seen is None:
                self.recipients[rcpt] = [1, language]
            else:
                seen[0] += 1
        self.messages += 1
        self.bytes += len(content)
        if self.first is None:
            self.first = now
        self.last = now
        return "250 OK"

    def stats(self) -> dict:
        return {
            "messages": self.messages,
            "recipients": len(self.recipients),
            "repeated": sum(1 for count, _language in self.recipients.values() if count > 1),
            "bytes": self.bytes,
            "connections": self.connections,
            "without_unsubscribe": self.without_unsubscribe,
            "first": self.first,
            "last": self.last,
            "cpu": time.process_time(),
        }


class CountingSMTP(SMTP):
    def connection_made(self, transport) -> None:
        self.event_handler.connections += 1
        super().connection_made(transport)


async def control(counter: Counter, reader, writer) -> None:
    try:
        while line := await reader.readline():
            command, _, argument = line.decode().strip().partition(" ")
            answer = counter.stats()
            if command == "reset":
                counter.reset()
            elif command == "dump":
                with open(argument, "w", encoding="utf-8") as f:
                    json.dump(counter.recipients, f)
            elif command != "stats":
                answer = {"error": f"unknown command {command!r}"}
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
    finally:
        writer.close()


async def serve(port: int, control_path: str) -> None:
    loop = asyncio.get_running_loop()
    counter = Counter()
    smtp = await loop.create_server(
        lambda: CountingSMTP(
            counter,
            hostname="sink.bench.invalid",
            data_size_limit=None,
            enable_SMTPUTF8=True,
            loop=loop,
        ),
        host="127.0.0.1",
        port=port,
        backlog=64,
    )
    ctl = await asyncio.start_unix_server(lambda r, w: control(counter, r, w), path=control_path)
    print("ready", flush=True)
    async with smtp, ctl:
        await asyncio.gather(smtp.serve_forever(), ctl.serve_forever())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("port", type=int)
    parser.add_argument("control")
    parser.add_argument("--nice", type=int, default=0)
    args = parser.parse_args()
    if args.nice:
        # Niced like the engine, and in the same way (its own session, the session's
        # weight lowered too: see solidar/core/priority.py).
        from solidar.core.priority import lower_priority

        lower_priority(args.nice)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.control))


if __name__ == "__main__":
    main()
