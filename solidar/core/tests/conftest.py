"""Fixtures for the core's own tests: subprocesses with a production-like environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from solidar.core import crypto

ROOT = Path(__file__).resolve().parents[3]

# Variables the test settings put into os.environ, which a child process must not inherit.
# (Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly refuses.)
_TEST_ONLY = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SOLIDAR_TESTING",
    "SOLIDAR_DATA_KEYS",
    "SECRET_KEY",
    "SOLIDAR_AID_CODENAME_KEY",
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts subprocesses (gunicorn, manage.py); runs in `make test` too"
    )


def clean_environ(**overrides: str) -> dict[str, str]:
    """os.environ without the test suite's settings, plus ``overrides``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _TEST_ONLY and not key.startswith(("SOLIDAR_", "DATABASE_", "EMAIL_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "solidar.settings"
    env.update(overrides)
    return env


def run_python(args: list[str], env: dict[str, str], timeout: int = 120):
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def production_environ(tmp_path):
    """Everything production needs, on a throwaway SQLite file and data folder."""
    return clean_environ(
        SOLIDAR_PRODUCTION="1",
        SECRET_KEY=os.urandom(48).hex()[:64],
        SOLIDAR_DATA_KEYS=f"k1:{crypto.generate_key()}",
        SOLIDAR_AID_CODENAME_KEY=os.urandom(32).hex(),
        EMAIL_HOST="localhost",
        ALLOWED_HOSTS="solidar.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SOLIDAR_DATA_DIR=str(tmp_path / "data"),
    )
