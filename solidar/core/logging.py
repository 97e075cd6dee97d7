"""A logging filter that blanks anything that parses as an IP address."""

from __future__ import annotations

import ipaddress
import logging
import re

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(
    r"(?<![\w:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:%\w+)?"
    r"(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)"
)


def _replace(match: re.Match) -> str:
    text = match.group(0)
    try:
        ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return text
    return "[address]"


def scrub(text: str) -> str:
    # IPv6 first: an IPv4-mapped address (::ffff:1.2.3.4) must go as a whole.
    return _IPV4.sub(_replace, _IPV6.sub(_replace, text))


class ScrubAddressesFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
