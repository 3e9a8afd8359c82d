"""The load test, run by ``make bench`` (alone: ``make bench-load``); it prints figures and fails
only on errors, never on slow ones.

1. The fund of ``manage.py seed_scale`` (10,000 applications, 2,000 investments, 100,000 outcome
   records, about 190,000 audit copies) in its own database, ``cif_bench`` (see social_value.py;
   ``--keep`` keeps it and reuses it next time).
2. gunicorn as the Procfile runs it (``config.wsgi``, 3 workers, access log) on 127.0.0.1:8150,
   in production mode (DEBUG off, staff two-factor on, static files collected and served by
   whitenoise); each request carries the headers the platform's load balancer adds
   (X-Forwarded-Proto: https, X-Forwarded-For).
3. 20 accounts, each signed in for real: the sign-in page, then the authenticator code for staff
   (an authenticator app is set up for each with a secret the bench knows). Every page is checked
   to answer 200 to its session, not a redirect to sign in or to set up two-factor.
4. Each page of the table on its own: the median of several requests one after another, and its
   number of queries (read in this process by Django's test client with the same session).
   Goal: under 300 ms each.
5. locust, headless: 20 people (officers, finance, panel members, mentors, group members) going
   round their main pages for 60 s with a short pause to read, and the same people asking for a
   static file for 60 s, in alternating slices so the machine's load falls on both. It prints
   p50/p95/p99 and errors for each, and ``pages p95 / static p95``. Goal: at most 10 times, no errors.
6. The audit log's CSV for 7 and 30 days: seconds and queries (goal: under 5 s, queries the same).
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from loopback import keep_cookies  # noqa: E402 - after the path is set
from social_value import SERVER, SLUG, _admin_sql  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8150"))
BASE = f"http://127.0.0.1:{PORT}"
# The session signs with the secret key: gunicorn and this process share one.
SECRET_KEY = secrets.token_urlsafe(50)
ENCRYPTION_SALT = secrets.token_urlsafe(16)  # production needs one; the pages measured read no bank details
os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As in production, so the queries counted here include the two-factor check.
os.environ["STAFF_MFA_REQUIRED"] = "true"

USERS = 20
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
SLICES = 3  # pages, static, pages, static, pages, static: SECONDS / SLICES each
# Each person's pause between pages, as locust's own examples have it: one to five seconds (a
# person reads a page before the next). BENCH_THINK="0.5,1.5" loads the machine harder.
THINK_SECONDS = tuple(float(part) for part in os.environ.get("BENCH_THINK", "1,5").split(","))
PAGE_GOAL_MS = 300
RATIO_GOAL = 10
CSV_GOAL_S = 5
# Signed-in people for the load: how many of each role, from the accounts seed_scale makes.
ACCOUNTS = {"officer": 5, "finance": 3, "panel": 4, "mentor": 3, "member": 5}
HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def _production_env(static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ENCRYPTION_SALT=ENCRYPTION_SALT,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=SERVER,
        SITE_URL=f"https://127.0.0.1:{PORT}",
        STATIC_ROOT=static_root,
        # Needed to start in production; the pages measured store and send nothing.
        AWS_STORAGE_BUCKET_NAME="cif-bench-unused",
        EMAIL_HOST="127.0.0.1",
        PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
    )
    return env


def _procfile_web(env: dict[str, str]) -> list[str]:
    """The Procfile's web command, word for word, bound to the bench's port on loopback."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = line.removeprefix("web:").strip()
    command = command.replace("0.0.0.0:${PORT:-8000}", f"127.0.0.1:{PORT}")
    command = command.replace("${WEB_CONCURRENCY:-3}", env.get("WEB_CONCURRENCY", "3"))
    return shlex.split(command)


def _goal(met: bool) -> str:
    return "goal met" if met else "GOAL NOT MET"


def main() -> None:
    keep = "--keep" in sys.argv  # keep the database, and reuse it if it is there
    reuse = keep or "--reuse" in sys.argv  # reuse it if it is there, drop it at the end
    if not reuse:
        _admin_sql('DROP DATABASE IF EXISTS "{name}"')
    try:
        _admin_sql('CREATE DATABASE "{name}"')
    except Exception:
        if not reuse:
            raise
    static_root = tempfile.mkdtemp(prefix="cif-bench-static-")
    work = tempfile.mkdtemp(prefix="cif-bench-load-")
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed_scale")
        secrets_of = _authenticators()
        env = _production_env(static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        server = subprocess.Popen(  # noqa: S603 - the Procfile's command, on loopback
            _procfile_web(env),
            cwd=ROOT,
            env=env,
            stdout=open(Path(work) / "gunicorn.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        _wait_for_server()
        plan = _plan(secrets_of, static_root)
        failures = _each_page_alone(plan)
        _warm_every_worker(plan, int(env.get("WEB_CONCURRENCY", "3")))
        failures += _load(plan, work)
        failures += _audit_csv(plan)
        if failures:
            print(f"FAILED: {failures} error(s); gunicorn's log is in {work}")
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            # Signed with this run's secret key: nobody else could read them (they are the bench's own).
            from django.contrib.sessions.models import Session

            Session.objects.all().delete()
        from django.db import connections

        connections.close_all()
        shutil.rmtree(static_root, ignore_errors=True)
        if not keep:
            _admin_sql('DROP DATABASE IF EXISTS "{name}"')


def _accounts() -> dict[str, list[str]]:
    from portal.management.commands.seed_scale import EMAIL_DOMAIN

    return {
        role: [f"{role}{n}@{EMAIL_DOMAIN}" for n in range(1, count + 1)] for role, count in ACCOUNTS.items()
    }


def _authenticators() -> dict[str, str]:
    """An authenticator app for each member of staff the bench signs in as (made once, kept)."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import User

    found = {}
    for role, emails in _accounts().items():
        if role == "member":
            continue
        for email in emails:
            user = User.objects.get(email=email)
            existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if existing is None:
                found[email] = generate_totp_secret()
                TOTP.activate(user, found[email])
            else:  # kept from a run with --keep, stored as allauth's adapter encrypts it
                found[email] = get_adapter().decrypt(existing.data["secret"])
    return found


def _wait_for_server() -> None:
    import requests

    for _ in range(100):
        try:
            # The sign-in page, not /healthz: that one also asks the (absent) file storage.
            if requests.get(f"{BASE}/accounts/login/", headers=HEADERS, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def _session() -> Any:
    import requests

    session = requests.Session()
    session.headers.update(HEADERS)
    return session


def _follow(session: Any, method: str, url: str, **kwargs: Any) -> Any:
    """A request and the redirects after it, one at a time, keeping the cookies each one sets."""
    response = session.request(method, f"{BASE}{url}", allow_redirects=False, **kwargs)
    keep_cookies(session)
    while response.is_redirect:
        response = session.get(f"{BASE}{response.headers['Location']}", allow_redirects=False)
        keep_cookies(session)
    return response


def _sign_in(email: str, secret: str | None) -> dict[str, str]:
    """Sign in through the pages a person uses; the session's cookies."""
    from portal.management.commands.seed_scale import SCALE_PASSWORD
    from tests.support.totp import current_code

    session = _session()
    origin = {"Origin": f"https://127.0.0.1:{PORT}", "Referer": f"https://127.0.0.1:{PORT}/accounts/login/"}
    _follow(session, "GET", "/accounts/login/")
    response = _follow(
        session,
        "POST",
        "/accounts/login/",
        data={
            "login": email,
            "password": SCALE_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers=origin,
    )
    if secret is not None:
        assert response.url.endswith("/accounts/2fa/authenticate/"), (
            f"{email}: no code asked ({response.status_code} {response.url}): {_problem(response.text)}"
        )
        response = _follow(
            session,
            "POST",
            "/accounts/2fa/authenticate/",
            data={"code": current_code(secret), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers=origin,
        )
    assert response.status_code == 200 and "/accounts/" not in response.url, f"{email}: not signed in"
    return {name: session.cookies[name] for name in ("sessionid", "csrftoken")}


def _problem(html: str) -> str:
    """The error summary of a page, or its title."""
    import re

    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S) or re.search(
        r"<title>(.*?)</title>", html, re.S
    )
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else html[:200]


def _plan(secrets_of: dict[str, str], static_root: str) -> dict[str, Any]:
    """Who signs in, and which pages each role goes round, with how often."""
    from django.utils import timezone

    from assessment.models import PanelMeeting
    from fund.models import Fund
    from investments.models import Investment

    fund = Fund.objects.get(slug=SLUG)
    round_ = fund.rounds.get(name="Round 2026")
    investment = Investment.objects.filter(round__fund=fund).order_by("pk").first()
    assert investment is not None
    # A meeting of the round's panel, its ranked list of every application not decided yet.
    meeting = round_.meetings.first() or PanelMeeting.objects.create(
        round=round_,
        held_on=timezone.localdate(),
        created_by_id=fund.roles.filter(role="officer").values_list("user", flat=True)[0],
    )
    pages = {
        "officer": [
            ("officer queue", "/manage/applications/", 3),
            ("round's applications", f"/manage/rounds/{round_.pk}/applications/", 2),
            ("panel summary", f"/manage/rounds/{round_.pk}/panel/", 2),
            ("panel meeting", f"/manage/meetings/{meeting.pk}/", 2),
            ("investments list", "/manage/investments/", 2),
        ],
        "finance": [
            ("finance home", "/finance/", 2),
            ("social value", f"/finance/funds/{fund.slug}/social-value/", 1),
            ("outcomes", f"/finance/investments/{investment.pk}/outcomes/", 2),
        ],
        "panel": [("panel member's list", "/panel/", 1)],
        "mentor": [("mentor's list", "/mentoring/", 1)],
        "member": [("group's applications", "/applications/", 1)],
    }
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())["paths"]
    stylesheet = next(name for name in manifest if name.endswith(".css") and "portal" in name)
    roles: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for role, emails in _accounts().items():
        sessions = [_sign_in(email, secrets_of.get(email)) for email in emails]
        roles[role] = {
            "users": len(sessions),
            "sessions": sessions,
            "pages": [{"name": name, "url": url, "weight": weight} for name, url, weight in pages[role]],
        }
    print(
        f"Signed in {sum(len(r['sessions']) for r in roles.values())} people through the sign-in and "
        f"authenticator-code pages in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{len(r['sessions'])} {role}" for role, r in roles.items())
    )
    return {
        "roles": roles,
        "static": f"/static/{manifest[stylesheet]}",
        "headers": HEADERS,
        "think_seconds": THINK_SECONDS,
    }


def _queries(cookies: dict[str, str], url: str) -> tuple[int, int]:
    """The page's status and number of queries, in this process, with the same session."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in cookies.items():
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]  # read it all
    return response.status_code, len(queries)


def _timed_get(session: Any, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = session.get(f"{BASE}{url}", allow_redirects=False)
    return (time.perf_counter() - start) * 1000, response.status_code


def _each_page_alone(plan: dict[str, Any], repeat: int = 7) -> int:
    print(
        f"\nEach page alone (gunicorn, one request at a time; median of {repeat}; "
        f"goal under {PAGE_GOAL_MS} ms)"
    )
    failures = 0
    for role in plan["roles"].values():
        session = _session()
        for name, value in role["sessions"][0].items():
            session.cookies.set(name, value)
        for page in role["pages"]:
            _timed_get(session, page["url"])  # warm the worker
            timings = [_timed_get(session, page["url"]) for _ in range(repeat)]
            statuses = {status for _, status in timings}
            median = statistics.median(ms for ms, _ in timings)
            status, queries = _queries(role["sessions"][0], page["url"])
            ok = statuses == {200} and status == 200
            failures += not ok
            print(
                f"  {page['name']:<22} {median:7.0f} ms  {queries:4d} queries  "
                f"{_goal(median < PAGE_GOAL_MS) if ok else f'ERROR: status {sorted(statuses)}'}"
                f"   {page['url']}"
            )
    return failures


def _warm_every_worker(plan: dict[str, Any], workers: int) -> None:
    """Each page asked for by as many people at once as there are workers, a few times over, so
    every worker has loaded its templates and code before the load is measured: the figures are
    of a portal that has been running, not of its first minute."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(cookies: dict[str, str], url: str) -> None:
        session = _session()
        for name, value in cookies.items():
            session.cookies.set(name, value)
        session.get(f"{BASE}{url}", allow_redirects=False)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(3):
            for role in plan["roles"].values():
                for page in role["pages"]:
                    asked = [pool.submit(fetch, role["sessions"][0], page["url"]) for _ in range(workers)]
                    for each in asked:
                        each.result()


def _load(plan: dict[str, Any], work: str) -> int:
    plan_file = Path(work) / "plan.json"
    plan_file.write_text(json.dumps(plan))
    samples = {target: Path(work) / f"{target}.tsv" for target in ("pages", "static")}
    each = SECONDS // SLICES
    print(
        f"\nUnder load: {USERS} signed-in people for {SECONDS} s on their pages and {SECONDS} s on a static "
        f"file, in turns of {each} s; {THINK_SECONDS[0]}–{THINK_SECONDS[1]} s to read between requests"
    )
    for _ in range(SLICES):
        for target in ("pages", "static"):
            subprocess.run(  # noqa: S603 - locust, from this virtualenv
                [
                    *(
                        str(Path(sys.executable).parent / "locust"),
                        "-f",
                        str(ROOT / "benchmarks" / "locustfile.py"),
                    ),
                    *(
                        "--headless",
                        "--users",
                        str(USERS),
                        "--spawn-rate",
                        str(USERS),
                        "--run-time",
                        f"{each}s",
                    ),
                    *("--host", BASE, "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"),
                ],
                env={
                    **os.environ,
                    "BENCH_PLAN": str(plan_file),
                    "BENCH_TARGET": target,
                    "BENCH_SAMPLES": str(samples[target]),
                },
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
    figures = {target: _percentiles(path) for target, path in samples.items()}
    for target in ("pages", "static"):
        figure = figures[target]
        print(
            f"  {target:<7} {figure['count']:6,} requests  p50 {figure['p50']:6.0f} ms  "
            f"p95 {figure['p95']:6.0f} ms  p99 {figure['p99']:6.0f} ms  errors {figure['errors']}"
        )
    print("  pages under load, by page:")
    for name, figure in sorted(_percentiles(samples["pages"], by_name=True).items()):
        print(
            f"    {name:<22} {figure['count']:5,}  p50 {figure['p50']:6.0f} ms  p95 {figure['p95']:6.0f} ms  "
            f"errors {figure['errors']}"
        )
    ratio = figures["pages"]["p95"] / max(figures["static"]["p95"], 0.001)
    print(f"pages p95 / static p95: {ratio:.1f}×  ({_goal(ratio <= RATIO_GOAL)}: at most {RATIO_GOAL}×)")
    return int(figures["pages"]["errors"] + figures["static"]["errors"])


def _percentiles(path: Path, by_name: bool = False) -> Any:
    rows = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for line in path.read_text().splitlines():
        name, ms, outcome = line.split("\t")
        key = name if by_name else "all"
        rows[key].append(float(ms))
        errors[key] += outcome == "error"

    def figures(times: list[float], key: str) -> dict[str, float]:
        cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
        return {"count": len(times), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "errors": errors[key]}

    found = {key: figures(times, key) for key, times in rows.items()}
    if by_name:
        return found
    return found.get("all", {"count": 0, "p50": 0, "p95": 0, "p99": 0, "errors": 1})


def _audit_csv(plan: dict[str, Any]) -> int:
    from django.utils import timezone

    cookies = plan["roles"]["finance"]["sessions"][0]
    session = _session()
    for name, value in cookies.items():
        session.cookies.set(name, value)
    print(f"\nThe audit log as CSV (finance; goal under {CSV_GOAL_S} s and the same queries for any period)")
    failures = 0
    today = timezone.localdate()
    for days in (7, 30):
        start = today - timedelta(days=days)
        url = (
            f"/audit/?start_0={start.day}&start_1={start.month}&start_2={start.year}"
            f"&end_0={today.day}&end_1={today.month}&end_2={today.year}"
        )
        import requests

        began = time.perf_counter()
        try:
            response = session.get(f"{BASE}{url}", allow_redirects=False)
        except requests.RequestException as error:  # gunicorn's worker timeout cuts it short
            failures += 1
            print(f"  {days:2d} days: ERROR after {time.perf_counter() - began:.1f} s: {error}")
            continue
        seconds = time.perf_counter() - began
        status, queries = _queries(cookies, url)
        ok = response.status_code == 200 and status == 200 and "text/csv" in response.headers["Content-Type"]
        failures += not ok
        rows = response.text.count("\n") - 1
        print(
            f"  {days:2d} days: {seconds:5.2f} s, {queries} queries, {rows:,} rows, "
            f"{len(response.content) / 1024:,.0f} KiB  "
            + (_goal(seconds < CSV_GOAL_S) if ok else f"ERROR: status {response.status_code}")
        )
    return failures


if __name__ == "__main__":
    main()
