"""Strict parsers for settings read from the environment.

Each parser raises ImproperlyConfigured for a value it does not understand, so a typo in
production configuration stops the start instead of silently falling back to a default.
For secrets, ``NAME_FILE`` may name a file whose contents are used instead of ``NAME``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        file_name = self.environ.get(f"{name}_FILE")
        if file_name:
            try:
                return Path(file_name).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
        return self.environ.get(name)

    def str(self, name: str, default: str = "") -> str:
        value = self.raw(name)
        return default if value is None else value.strip()

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}: expected a boolean (1/0, true/false), got {value!r}")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.raw(name)
        if value is None or not value.strip():
            return default
        try:
            number = int(value.strip())
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from exc
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}")
        return number

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.str(name, default)
        if value not in choices:
            raise ImproperlyConfigured(
                f"{name}: expected one of {', '.join(choices)}, got {value!r}"
            )
        return value
