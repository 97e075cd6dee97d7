"""Plumbing shared by the benchmarks: the load generator, a production-like server, results.

A benchmark module usually needs only:

    with Server("mybench") as server:
        cookie = server.login("lena")
        results = run_load(server, [Phase("page", "/en/x/", headers={"Cookie": cookie})])
    print_results(results)
    return check_targets([Target("page p95", results["page"].p95_ms, "<=", 50, "ms")])

Knobs (environment): BENCH_USERS (8), BENCH_DURATION (20 s per phase), BENCH_WARMUP (5 s),
BENCH_KEEP=1 keeps the server's temporary data folder for a look afterwards.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"

# The load generator lives in its own virtualenv: Locust pulls gevent and Flask.
LOCUST_VERSION = "2.47.0"
LOCUST_VENV = BENCH_DIR / ".venv"
LOCUST_PYTHON = LOCUST_VENV / "bin" / "python"

DEMO_PASSWORD = "solidarity-demo-2024"  # noqa: S105 - the public demo password (seed_demo)

USERS = int(os.environ.get("BENCH_USERS", "8"))
DURATION = float(os.environ.get("BENCH_DURATION", "20"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
SESSION_COOKIE = "__Host-session"


def project_python() -> str:
    venv_python = ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def run_seed(server: Server, script: str, *args: str, timeout: float = 600) -> tuple[str, float]:
    """Run bench/<script> (with ``args``) with the server's environment: (its output,
    seconds taken)."""
    started = time.monotonic()
    proc = subprocess.run(
        [project_python(), str(BENCH_DIR / script), *args],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc.stdout.strip(), time.monotonic() - started


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- Load generator ------------------------------------------------------------------------


def ensure_locust() -> Path:
    """Create bench/.venv with the pinned Locust once; later runs only check the version."""
    if LOCUST_PYTHON.exists():
        probe = subprocess.run(
            [str(LOCUST_PYTHON), "-c", "import locust; print(locust.__version__)"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.returncode == 0 and probe.stdout.strip() == LOCUST_VERSION:
            return LOCUST_PYTHON
    log(f"installing locust=={LOCUST_VERSION} into {LOCUST_VENV.relative_to(ROOT)} (once)")
    if not LOCUST_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True, timeout=120)
    subprocess.run(
        [
            str(LOCUST_PYTHON),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"locust=={LOCUST_VERSION}",
        ],
        check=True,
        timeout=600,
    )
    return LOCUST_PYTHON


@dataclass
class Phase:
    """One endpoint under load; phases run one after the other, never together."""

    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    expect_status: int = 200
    expect_text: str = ""


@dataclass
class Result:
    name: str
    path: str
    users: int
    seconds: float
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float
    p99_ms: float
    avg_ms: float
    max_ms: float
    client_cpu_pct: float
    server_cpu_pct: float
    load: float
    errors: list[dict]


def run_load(
    server: Server,
    phases: list[Phase],
    *,
    users: int = USERS,
    duration: float = DURATION,
    warmup: float = WARMUP,
) -> dict[str, Result]:
    """Run each phase with `users` closed-loop Locust users; results by phase name."""
    python = ensure_locust()
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > 0.5 * cores:
        log(
            f"warning: the machine is busy before the run (load {load:.1f} on {cores} cores); "
            "other work competes with the server and the load generator for CPU"
        )
    spec = {
        "host": server.url,
        "users": users,
        "spawn_rate": users,
        "warmup": warmup,
        "duration": duration,
        "server_pids": server.pids(),
        "phases": [vars(p) for p in phases],
    }
    with tempfile.TemporaryDirectory(prefix="solidar-bench-locust-") as tmp:
        spec_path, result_path = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        log(
            f"locust: {users} users, {warmup:g} s warm-up + {duration:g} s per phase, "
            f"{len(phases)} phase(s)"
        )
        # Bound: every phase plus start-up and shutdown slack.
        limit = len(phases) * (warmup + duration + 30) + 60
        with _process_group(
            [str(python), str(BENCH_DIR / "_locust_driver.py"), str(spec_path), str(result_path)],
            cwd=tmp,
        ) as proc:
            try:
                code = proc.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                raise RuntimeError(f"locust did not finish within {limit:.0f} s") from None
        if code != 0 or not result_path.exists():
            raise RuntimeError(f"locust failed (exit {code})")
        raw = json.loads(result_path.read_text(encoding="utf-8"))
    results = {r["name"]: Result(**r) for r in raw}
    if any(r.failures for r in results.values()):
        log(f"requests failed; the end of the server's log:\n{server.log_tail()}")
    return results


@contextlib.contextmanager
def _process_group(cmd: list[str], **kwargs):
    """Start `cmd` in its own process group; on the way out, end the whole group."""
    proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
    try:
        yield proc
    finally:
        _stop_group(proc)


def _stop_group(proc: subprocess.Popen, grace: float = 15) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    # Children (gunicorn workers) may outlive their parent: kill what is left of the group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# --- Server ----------------------------------------------------------------------------------


# --- PostgreSQL: the benchmarks that need it run in a throw-away database ---------------------
# A server with trust authentication for user postgres; BENCH_PG_URL overrides (without the
# database's name).
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


def pg_admin_connection():
    """A connection to the server's ``postgres`` database (raises when there is none)."""
    import psycopg

    return psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5)


def pg_version() -> str:
    """The server's version (raises when it cannot be reached)."""
    with pg_admin_connection() as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def recreate_database(name: str) -> None:
    with pg_admin_connection() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def drop_database(name: str) -> None:
    with contextlib.suppress(Exception), pg_admin_connection() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The real production stack on loopback: gunicorn + SQLite in a temporary data folder.

    Entering migrates, seeds the demo data, collects static files (manifest storage) and
    starts gunicorn with solidar/gunicorn_conf.py; leaving stops the process group and
    deletes the folder. `extra_env` overrides any variable (e.g. REDIS_URL, DATABASE_URL).
    """

    def __init__(self, name: str, *, workers: int = 2, extra_env: dict[str, str] | None = None):
        self.name = name
        self.workers = workers
        self.extra_env = extra_env or {}
        self.port = 0
        self.url = ""
        self.data_dir: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.env: dict[str, str] = {}

    def __enter__(self) -> Server:
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"solidar-bench-{self.name}-"))
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            _stop_group(self.proc)
            self.proc = None
            self._log.close()
        if self.data_dir is not None:
            if KEEP:
                log(f"kept {self.data_dir}")
            else:
                shutil.rmtree(self.data_dir, ignore_errors=True)

    def _start(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        data_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "solidar.settings",
            "SOLIDAR_PRODUCTION": "1",
            "SOLIDAR_DATA_DIR": str(self.data_dir),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "SOLIDAR_DATA_KEYS": f"k1:{data_key}",
            "SOLIDAR_AID_CODENAME_KEY": secrets.token_urlsafe(48),
            "EMAIL_HOST": "localhost",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SOLIDAR_BEHIND_TLS_PROXY": "0",
            "SOLIDAR_SITE_URL": self.url,
            "SOLIDAR_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(self.workers),
            "SOLIDAR_ACCESS_LOG": "",  # access log off: its I/O would be measured too
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
            self.env.pop(name, None)
        self.env.update(self.extra_env)
        log(f"server data in {self.data_dir}")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("seed_demo")
        self.manage("collectstatic", "--no-input", "-v", "0")
        log_path = self.data_dir / "gunicorn.log"
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                project_python(),
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "solidar" / "gunicorn_conf.py"),
                "solidar.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()
        log(f"gunicorn up at {self.url} ({self.workers} workers, pids {self.pids()})")

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _headers, _body = self.get("/healthz")
                if status == 200 and len(self.pids()) > self.workers:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready within {timeout:.0f} s")

    def log_tail(self, chars: int = 3000) -> str:
        path = self.data_dir / "gunicorn.log" if self.data_dir else None
        if path is None or not path.exists():
            return ""
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Run manage.py with the server's environment; its output, or an error with it."""
        proc = subprocess.run(
            [project_python(), str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
        return proc.stdout

    def pids(self) -> list[int]:
        """The gunicorn master and its workers."""
        if self.proc is None:
            return []
        pids = [self.proc.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.append(int(stat.parent.name))
        return pids

    # A tiny HTTP client: cookies are handled by hand because production marks them Secure
    # (and names them __Host-…), which cookie jars rightly refuse to send over plain http.
    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body or None, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None):
        return self.request("GET", path, headers=headers)

    def login(self, username: str, password: str = DEMO_PASSWORD, language: str = "en") -> str:
        """Sign in through the real login form (CSRF and all); the Cookie header to send."""
        login_path = f"/{language}/accounts/login/"
        status, headers, body = self.get(login_path)
        if status != 200:
            raise RuntimeError(f"GET {login_path}: status {status}")
        cookies = _set_cookies(headers)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match:
            raise RuntimeError("no CSRF token in the login form")
        form = urllib.parse.urlencode(
            {"login": username, "password": password, "csrfmiddlewaretoken": match[1].decode()}
        ).encode()
        status, headers, body = self.request(
            "POST",
            login_path,
            headers={
                "Cookie": _cookie_header(cookies),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=form,
        )
        cookies.update(_set_cookies(headers))
        if status not in (302, 303) or SESSION_COOKIE not in cookies:
            raise RuntimeError(f"login as {username} failed: status {status}")
        return _cookie_header({SESSION_COOKIE: cookies[SESSION_COOKIE]})


def _set_cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    cookies = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# --- Signing in with a second factor ---------------------------------------------------
def demo_totp_secret(username: str) -> str:
    text = (ROOT / "solidar" / "accounts" / "demo.py").read_text(encoding="utf-8")
    match = re.search(rf'"{username}": "([A-Z2-7]+)"', text)
    if not match:
        raise RuntimeError(f"no demo TOTP secret for {username} in accounts/demo.py")
    return match[1]


def totp(secret: str, period: int = 30) -> str:
    """RFC 6238, as an authenticator app shows it; never a code about to expire."""
    import base64
    import hashlib
    import hmac
    import struct

    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.05)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // period)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**6).zfill(6)


def form_post(server: Server, path: str, cookies: dict[str, str], fields: dict[str, str]):
    status, headers, body = server.get(path, headers={"Cookie": _cookie_header(cookies)})
    if status != 200:
        raise RuntimeError(f"GET {path}: status {status}")
    cookies.update(_set_cookies(headers))
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        raise RuntimeError(f"no CSRF token in {path}")
    form = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": match[1].decode()})
    status, headers, _body = server.request(
        "POST",
        path,
        headers={
            "Cookie": _cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=form.encode(),
    )
    cookies.update(_set_cookies(headers))
    return status, headers


def login_with_totp(server: Server, username: str) -> str:
    """Sign in through the login form and allauth's code step; the Cookie header."""
    cookies: dict[str, str] = {}
    status, headers = form_post(
        server, "/en/accounts/login/", cookies, {"login": username, "password": DEMO_PASSWORD}
    )
    step = headers.get("Location", "")
    if status not in (302, 303) or "/2fa/authenticate/" not in step:
        raise RuntimeError(f"login as {username}: status {status}, to {step!r}")
    code = totp(demo_totp_secret(username))
    status, headers = form_post(server, step, cookies, {"code": code})
    if status not in (302, 303) or "/2fa/" in headers.get("Location", ""):
        raise RuntimeError(f"TOTP step for {username}: status {status}")
    return _cookie_header({SESSION_COOKIE: cookies[SESSION_COOKIE]})


# --- Reporting ------------------------------------------------------------------------------


@dataclass
class Target:
    """One checked number: `value op limit` must hold (op is ">=" or "<=")."""

    name: str
    value: float
    op: str
    limit: float
    unit: str = ""

    @property
    def met(self) -> bool:
        return self.value >= self.limit if self.op == ">=" else self.value <= self.limit


def print_results(results: dict[str, Result]) -> None:
    rows = [("phase", "path", "req/s", "median", "p95", "p99", "fail", "client", "server", "load")]
    for r in results.values():
        rows.append(
            (
                r.name,
                r.path,
                f"{r.rps:.0f}",
                f"{r.median_ms:.0f} ms",
                f"{r.p95_ms:.0f} ms",
                f"{r.p99_ms:.0f} ms",
                str(r.failures),
                f"{r.client_cpu_pct:.0f}%",
                f"{r.server_cpu_pct:.0f}%",
                f"{r.load:.1f}",
            )
        )
    _table(rows)
    print(
        "  client/server: CPU used by Locust / by gunicorn while measuring (100% = one core);\n"
        f"  load: the machine's 1-minute load average at the end of the phase "
        f"({os.cpu_count()} cores)"
    )
    for r in results.values():
        for e in r.errors:
            print(f"  ! {r.name}: {e['occurrences']} x {e['error']}")


def check_targets(targets: list[Target]) -> bool:
    rows = [("target", "measured", "limit", "")]
    for t in targets:
        rows.append(
            (
                t.name,
                f"{t.value:.2f}{t.unit}",
                f"{t.op} {t.limit:g}{t.unit}",
                "ok" if t.met else "MISSED",
            )
        )
    _table(rows)
    return all(t.met for t in targets)


def save_results(
    name: str, results: dict[str, Result], targets: list[Target], extra: dict | None = None
) -> Path:
    """Keep the numbers in bench/results/ (git-ignored) to compare runs; ``extra``: other
    numbers of the benchmark (JSON-serialisable), kept under "extra"."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    data = {
        "benchmark": name,
        "results": [vars(r) for r in results.values()],
        "targets": [{**vars(t), "met": t.met} for t in targets],
    }
    if extra:
        data["extra"] = extra
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  " + "  ".join(cells).rstrip())
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
    print()
