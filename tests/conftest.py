"""The test harness: the real parts, started by the tests themselves.

- PostgreSQL: the suite runs on it when ``DATABASE_URL`` points at it (``make test``
  does so when a server answers on 127.0.0.1:5432).
- S3: moto's server mode, a real S3-compatible HTTP server on loopback, with
  django-storages' production S3 storage pointed at it.
- Browser: Debian's Chromium driven by Playwright, with axe-core checks.

Outside CI a missing part skips its tests with the reason; with ``CI=true`` it fails them.
"""

import logging
import os
import shutil
import socket
from collections.abc import Iterator

import boto3
import pytest
from django.db import connection

from tests.support.tasks import run_queued_tasks

# Playwright's synchronous API runs an event loop in the test's thread; Django
# would otherwise refuse database calls made beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
S3_BUCKET = "cif-test-media"


def need(available: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when a real part the test needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing part fails the run instead of skipping)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db) -> None:
    need(
        connection.vendor == "postgresql",
        "needs PostgreSQL: run through `make test`, or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/cif",
    )


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Tests sign people in with made-up passwords; hashing them with production's deliberately
    slow hasher would cost most of a second for each person a test makes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    """Uploads made by a test land in its own folder, never in the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
        },
    }


@pytest.fixture
def tasks():
    """Call ``tasks()`` to work the queued tasks (e-mails) as the worker would."""
    return run_queued_tasks


# --- S3 ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A real S3-compatible HTTP server on loopback (moto in server mode)."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:  # pragma: no cover - only without the dev dependencies
        need(False, f"needs moto[server] for the loopback S3 server: {error}")
    os.environ.update(
        AWS_ACCESS_KEY_ID="cif-test-key",
        AWS_SECRET_ACCESS_KEY="cif-test-secret",
        AWS_DEFAULT_REGION="eu-west-2",
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
        s3.create_bucket(Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """Point the default storage at the loopback S3 server, configured as in production, with the
    bucket emptied first: a test counts the files it made, whatever ran before it on this server."""
    bucket = boto3.resource("s3", endpoint_url=s3_server, region_name="eu-west-2").Bucket(S3_BUCKET)
    bucket.objects.all().delete()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "region_name": "eu-west-2",
                "endpoint_url": s3_server,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    from django.core.files.storage import default_storage

    return default_storage


# --- Browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    need(
        shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM),
        f"needs Chromium at {CHROMIUM} (Debian package 'chromium'; `make test` installs it)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def _open_context(chromium, live_server, refused: list[str]):
    """A browser context on the live server that notes every Content Security Policy refusal.

    Chromium reports each thing the policy blocks (an inline script or style, a file from
    elsewhere) on the console; the fixtures fail the test if any was reported.
    """
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.on(
        "console",
        lambda message: (
            refused.append(f"{message.page.url if message.page else ''}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context


def _assert_nothing_refused(refused: list[str]) -> None:
    assert not refused, "The Content Security Policy blocked something:\n" + "\n".join(refused)


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (no cookies) whose relative addresses go to the live server."""
    refused: list[str] = []
    context = _open_context(chromium, live_server, refused)
    tab = context.new_page()
    yield tab
    context.close()
    _assert_nothing_refused(refused)


@pytest.fixture
def person(chromium, live_server):
    """``person(user)`` opens a browser of that person's own, signed in, and returns its tab."""
    from tests.factories import PASSWORD

    contexts = []
    refused: list[str] = []

    def open_as(user):
        context = _open_context(chromium, live_server, refused)
        contexts.append(context)
        tab = context.new_page()
        tab.goto("/accounts/login/")
        tab.get_by_label("Email address").fill(user.email)
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        return tab

    yield open_as
    for context in contexts:
        context.close()
    _assert_nothing_refused(refused)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core's WCAG 2.2 AA rules on the page as it is now; fail listing any violation."""

    def check(tab) -> None:
        results = axe.run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"axe found problems on {tab.url}:\n" + results.generate_report()

    return check


# --- Summary ----------------------------------------------------------------

REAL_PARTS = {"postgres": "PostgreSQL", "s3": "S3 (loopback server)", "browser": "Chromium + axe"}


def pytest_terminal_summary(terminalreporter):
    """Say how the tests that need a real part fared, so a skipped part cannot go unnoticed."""
    counts = {marker: {} for marker in REAL_PARTS}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if outcome == "passed" and report.when != "call":
                continue
            for marker in REAL_PARTS:
                if marker in report.keywords:
                    counts[marker][outcome] = counts[marker].get(outcome, 0) + 1
    terminalreporter.section("real parts")
    for marker, label in REAL_PARTS.items():
        outcomes = ", ".join(f"{n} {outcome}" for outcome, n in counts[marker].items()) or "no tests"
        terminalreporter.write_line(f"{label}: {outcomes}")
