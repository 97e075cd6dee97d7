"""gunicorn's access log, with secrets in paths masked.

Some links carry their secret in the path, not the query string: personal registration
links, e-mail confirmations, calendar feed URLs, password reset and invitation keys.
Whoever reads the logs must not be able to use them, so every path segment that looks
like a token (20 or more characters of a token's alphabet) is written as ``<secret>``.
Readable slugs of public pages are mostly shorter; a long one is masked too, which costs
nothing but a little detail in the log.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_SECRET = re.compile(r"(?<=/)[A-Za-z0-9_\-:.=]{20,}?(?=\.ics$|/|$)")


def mask_path(path: str) -> str:
    return _SECRET.sub("<secret>", path)


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = mask_path(atoms.get("U", ""))
        return atoms
