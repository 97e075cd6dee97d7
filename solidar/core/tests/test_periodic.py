"""The periodic scheduler: each due job is enqueued once per interval, even with two ticks."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task

from solidar.core import periodic
from solidar.core.models import PeriodicJob

pytestmark = pytest.mark.django_db

RUNS: list[str] = []
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@task()
def spy_hourly() -> None:
    RUNS.append("hourly")


@task()
def spy_daily() -> None:
    RUNS.append("daily")


JOBS = {
    "hourly": (f"{__name__}.spy_hourly", timedelta(hours=1)),
    "daily": (f"{__name__}.spy_daily", timedelta(days=1)),
}


@pytest.fixture(autouse=True)
def spy_jobs(django_capture_on_commit_callbacks):
    RUNS.clear()
    with (
        override_settings(SOLIDAR_PERIODIC_JOBS=JOBS),
        django_capture_on_commit_callbacks(execute=True),
    ):
        yield RUNS


def test_first_tick_enqueues_every_job_once():
    assert sorted(periodic.tick(T0)) == ["daily", "hourly"]
    assert sorted(RUNS) == ["daily", "hourly"]
    job = PeriodicJob.objects.get(name="hourly")
    assert job.last_enqueued_at == T0
    assert job.next_run_at == T0 + timedelta(hours=1)


def test_not_again_before_the_interval():
    periodic.tick(T0)
    assert periodic.tick(T0 + timedelta(minutes=59)) == []
    assert periodic.tick(T0 + timedelta(hours=1)) == ["hourly"]
    assert periodic.tick(T0 + timedelta(hours=1, minutes=30)) == []
    assert periodic.tick(T0 + timedelta(days=1)) == ["hourly", "daily"]
    assert RUNS.count("hourly") == 3
    assert RUNS.count("daily") == 2


def test_two_ticks_at_the_same_time_enqueue_once():
    first = periodic.tick(T0)
    second = periodic.tick(T0)
    assert sorted(first) == ["daily", "hourly"]
    assert second == []
    assert sorted(RUNS) == ["daily", "hourly"]
    assert PeriodicJob.objects.count() == 2


def test_a_late_scheduler_does_not_catch_up_with_a_burst():
    periodic.tick(T0)
    RUNS.clear()
    assert periodic.tick(T0 + timedelta(hours=5)) == ["hourly"]
    assert RUNS == ["hourly"]
    assert PeriodicJob.objects.get(name="hourly").next_run_at == T0 + timedelta(hours=6)


def test_run_scheduler_once():
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert sorted(out.getvalue().split("\n")) == ["", "enqueued daily", "enqueued hourly"]
    assert sorted(RUNS) == ["daily", "hourly"]
    again = io.StringIO()
    call_command("run_scheduler", "--once", stdout=again)
    assert again.getvalue() == ""


def test_configured_jobs_point_at_real_tasks():
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    from solidar import settings as configured  # not the override above

    assert configured.SOLIDAR_PERIODIC_JOBS
    for _name, (path, interval) in configured.SOLIDAR_PERIODIC_JOBS.items():
        assert isinstance(import_string(path), Task)
        assert interval >= timedelta(minutes=1)
