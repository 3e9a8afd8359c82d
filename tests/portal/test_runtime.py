"""The runtime as a newcomer and a council meet it, in real processes.

- The embedded default (no variables: SQLite, local media, console e-mail and the
  database task queue) migrates, seeds the demo, serves the main pages and works
  its task queue with the real worker.
- Production settings insist on what they need and pass ``check --deploy``.
"""

import http.cookiejar
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables the suite itself may set; the processes here start from none of them.
PORTAL_VARIABLES = (
    "DATABASE_URL",
    "DJANGO_ENV",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_HOST",
    "SQLITE_PATH",
    "MEDIA_ROOT",
)


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ENCRYPTION_SALT": secrets.token_urlsafe(16),
    "DJANGO_ALLOWED_HOSTS": "communityfund.example.gov.uk",
    "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
    "AWS_STORAGE_BUCKET_NAME": "council-community-fund",
    "EMAIL_HOST": "smtp.example.gov.uk",
    "SITE_URL": "https://communityfund.example.gov.uk",
}


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_environment(**PRODUCTION), check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ENCRYPTION_SALT", "DATABASE_URL", "AWS_STORAGE_BUCKET_NAME", "EMAIL_HOST"],
)
def test_production_names_a_missing_variable(missing):
    settings = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = _manage("check", env=_environment(**settings), check=False)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production." in result.stderr


def test_production_cannot_turn_off_staff_mfa():
    result = _manage("check", env=_environment(**PRODUCTION, STAFF_MFA_REQUIRED="false"), check=False)
    assert "STAFF_MFA_REQUIRED cannot be turned off in production." in result.stderr


def test_production_refuses_debug_pages():
    result = _manage("check", "--deploy", env=_environment(**PRODUCTION, DJANGO_DEBUG="true"), check=False)
    assert result.returncode != 0
    assert "DJANGO_DEBUG cannot be turned on in production." in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _task_statuses(database: Path, *, wait_for: str, count: int = 1, seconds: float = 30) -> list[str]:
    """The statuses of the queued tasks, once there are ``count`` and all have reached ``wait_for``."""
    deadline = time.monotonic() + seconds
    while True:
        with sqlite3.connect(database) as connection:
            statuses = [
                row[0] for row in connection.execute("SELECT status FROM django_tasks_database_dbtaskresult")
            ]
        done = len(statuses) >= count and all(status == wait_for for status in statuses)
        if done or time.monotonic() > deadline:
            return statuses
        time.sleep(0.2)


def test_embedded_default_migrates_seeds_serves_and_works_its_task_queue(tmp_path):
    env = _environment(SQLITE_PATH=str(tmp_path / "portal.sqlite3"), MEDIA_ROOT=str(tmp_path / "media"))
    _manage("migrate", "--noinput", env=env)
    first = _manage("seed_demo", env=env)
    again = _manage("seed_demo", env=env)
    assert "officer@demo.example" in first.stdout and again.stdout == first.stdout

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    web = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"{base}/healthz")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        def get(path: str) -> str:
            with browser.open(base + path, timeout=10) as response:
                assert response.status == 200, path
                return response.read().decode()

        def post(path: str, data: dict) -> str:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', get(path)).group(1)
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
            with browser.open(
                urllib.request.Request(base + path, body, headers={"Referer": base}), timeout=10
            ) as r:
                return r.read().decode()

        assert '"status": "ok"' in get("/healthz")
        assert "Round 1: 2026 to 2027" in get("/")
        assert "Create an account" in get("/accounts/signup/")
        assert "--govuk-frontend-version" in get("/static/portal/portal.css")

        landing = post(
            "/accounts/login/", {"login": "officer@demo.example", "password": "demo-password-2026"}
        )
        assert '<h1 class="govuk-heading-l">Your work</h1>' in landing
        assert "Deal for Communities Investment Fund" in landing

        # A password reset e-mail is queued by the request and sent by the worker (to the console),
        # after the e-mails seed_demo queued for its made-up applications.
        seeded = len(_task_statuses(tmp_path / "portal.sqlite3", wait_for="SUCCESSFUL"))
        post("/accounts/password/reset/", {"email": "applicant@demo.example"})
        statuses = _task_statuses(tmp_path / "portal.sqlite3", wait_for="SUCCESSFUL", count=seeded + 1)
        assert statuses == ["SUCCESSFUL"] * (seeded + 1)
        worker.terminate()
        output = worker.communicate(timeout=15)[0]
        assert "To: applicant@demo.example" in output, output
        assert "/accounts/password/reset/key/" in output
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=15)
