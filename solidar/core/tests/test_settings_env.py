"""Settings from the environment: strict parsers, a production profile that refuses to
start half-configured, and `check --deploy` clean (THREATS 20)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from solidar.core.env import Env
from solidar.core.tests.conftest import run_python

# --- the parsers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("off", False)],
)
def test_bool_accepts_plain_words(text, expected):
    assert Env({"FLAG": text}).bool("FLAG") is expected


@pytest.mark.parametrize("text", ["ture", "2", "y", "enabled", "-1"])
def test_bool_refuses_anything_else(text):
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        Env({"FLAG": text}).bool("FLAG", True)


def test_missing_values_take_the_default():
    env = Env({})
    assert env.bool("FLAG", True) is True
    assert env.int("N", 7) == 7
    assert env.str("S", "x") == "x"
    assert env.list("L", ["a"]) == ["a"]
    assert Env({"N": "  "}).int("N", 7) == 7


@pytest.mark.parametrize("text", ["ten", "1.5", "0x10", "3 4"])
def test_int_refuses_non_numbers(text):
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        Env({"N": text}).int("N", 1)


def test_int_minimum():
    assert Env({"N": "60"}).int("N", 1, minimum=60) == 60
    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        Env({"N": "59"}).int("N", 1, minimum=60)


def test_list_and_choice():
    assert Env({"L": " a, ,b ,"}).list("L") == ["a", "b"]
    assert Env({"C": "redis"}).choice("C", ("db", "redis"), "db") == "redis"
    with pytest.raises(ImproperlyConfigured, match="one of db, redis"):
        Env({"C": "memcached"}).choice("C", ("db", "redis"), "db")


def test_name_file_is_read_and_wins_over_name(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file\n", encoding="utf-8")
    env = Env({"SECRET_KEY": "from-the-variable", "SECRET_KEY_FILE": str(secret)})
    assert env.str("SECRET_KEY") == "from-the-file"
    flag = tmp_path / "flag"
    flag.write_text("yes", encoding="utf-8")
    assert Env({"FLAG_FILE": str(flag)}).bool("FLAG") is True


def test_unreadable_name_file_raises(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        Env({"SECRET_KEY_FILE": str(tmp_path / "missing")}).str("SECRET_KEY")


# --- the production profile (real processes with a clean environment) ------------------------

SETUP = "import django; django.setup(); print('started')"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("remove", "change", "message"),
    [
        ("SECRET_KEY", {}, "SECRET_KEY must be set"),
        (None, {"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ("SOLIDAR_DATA_KEYS", {}, "SOLIDAR_DATA_KEYS must be set"),
        ("SOLIDAR_AID_CODENAME_KEY", {}, "SOLIDAR_AID_CODENAME_KEY must be set"),
        (None, {"SOLIDAR_AID_CODENAME_KEY": "short"}, "SOLIDAR_AID_CODENAME_KEY must be set"),
        ("EMAIL_HOST", {}, "EMAIL_HOST must be set"),
        (None, {"DEBUG": "1"}, "DEBUG must be off"),
        (None, {"SOLIDAR_PRODUCTION": "yes please"}, "SOLIDAR_PRODUCTION: expected a boolean"),
    ],
)
def test_production_refuses_to_start_half_configured(production_environ, remove, change, message):
    env = {**production_environ, **change}
    if remove:
        del env[remove]
    result = run_python(["-c", SETUP], env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.slow
def test_production_starts_with_everything_set(production_environ):
    result = run_python(
        [
            "-c",
            SETUP + "; from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.EMAIL_BACKEND)",
        ],
        production_environ,
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
    assert "False True 63072000 django.core.mail.backends.smtp.EmailBackend" in result.stdout


@pytest.mark.slow
def test_check_deploy_reports_nothing_in_production(production_environ):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environ
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.slow
def test_check_deploy_fails_on_development_settings(production_environ):
    env = {**production_environ, "SOLIDAR_PRODUCTION": "0"}
    result = run_python(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "solidar.E002" in result.stderr
