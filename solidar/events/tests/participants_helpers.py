"""Helpers of the participant-list, check-in and letter tests (plain functions)."""

from __future__ import annotations

import re
import zlib

from django.core import mail

from solidar.events import services
from solidar.events.models import Registration


def add_guest(event, name: str, email: str, committed, **fields) -> Registration:
    """A guest registered and confirmed through the link in their e-mail."""
    before = len(mail.outbox)
    with committed():
        services.register_guest(event, name=name, email=email, language="en", **fields)
    body = "\n".join(message.body for message in mail.outbox[before:])
    token = re.search(r"/events/confirm/([^/\s]+)/", body).group(1)
    with committed():
        registration = services.confirm_guest(token)
    event.refresh_from_db()
    return registration


# -- reading the text of a PDF made by fpdf2 (no PDF library is installed) --------------------
_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)", re.S)
# Select a font; show a string (Tj); show strings with spacing between them (TJ).
_TOKEN = re.compile(
    rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|\[((?:\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ",
    re.S,
)


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    if not found:
        return b""
    data = found.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body else data


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(literal):
        char = literal[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += simple.get(following, following)
            i += 2
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the pages, decoded with each font's ToUnicode map."""
    objects = {int(num): body for num, body in _OBJECT.findall(pdf)}
    cmaps = {}
    for num, body in objects.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if ref and b"/Type0" in body:
            cmap_text = _stream(objects[int(ref.group(1))])
            pairs = re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", cmap_text)
            cmaps[num] = {
                int(code, 16): bytes.fromhex(uni.decode()).decode("utf-16-be")
                for code, uni in pairs
            }
    resources = {}
    for body in objects.values():
        block = re.search(rb"/Font\s*<<(.*?)>>", body, re.S)
        if block:
            for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", block.group(1)):
                resources[name] = cmaps.get(int(ref), {})
    words = []
    for body in objects.values():
        if b"/Contents" in body or b"/FlateDecode" not in body:
            continue
        content = _stream(body)
        current = {}
        for match in _TOKEN.finditer(content):
            if match.group(1):
                current = resources.get(match.group(1), {})
                continue
            literals = [match.group(2)] if match.group(2) is not None else []
            if match.group(3) is not None:
                literals = _LITERAL.findall(match.group(3))
            raw = b"".join(_unescape(literal) for literal in literals)
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            words.append("".join(current.get(code, "\ufffd") for code in codes))
    return " ".join(" ".join(words).split())
