"""Benchmarks for social value reporting, run by ``make bench``; they print figures, never fail.

1. SROI aggregation (``build_report``) over 100,000 outcome records on PostgreSQL. Goal: 1 s.
2. Board pack generation for a fund with 2,000 investments, against a bare WeasyPrint render of
   the same final HTML. Goal: the pack takes at most 1.3 times the bare render.
3. The task worker's peak memory while it makes that board pack with no photos, and with four
   worst-case photos on its stories: the largest pictures the upload check accepts (as many pixels
   as ``UPLOAD_MAX_PIXELS`` allows, PNG with transparency, the most memory per pixel). Each pack
   is asked for as a person asks (a ``BoardPack`` and its task) and made by ``manage.py db_worker
   --batch`` in a child process, whose peak resident memory is read when the task is done; for
   comparison, the same photos handed to WeasyPrint as they were uploaded, without the print copy.
   The peak is the child's own (``VmHWM``): Linux carries ``ru_maxrss`` over from the process that
   started the child, so it would report this script's memory, not the worker's. The worker's
   memory before it takes a task (Django and WeasyPrint loaded) is printed too.
4. Erasing one person from that database: their own rows are rewritten, and every text column of
   every table is searched for their e-mail addresses and phone numbers.
   No goal is set; the figure is for the council's planning (rolled back, so it can be rerun).

The data (``manage.py seed_scale``) goes into its own database, ``cif_bench``, made afresh on the
PostgreSQL server at 127.0.0.1:5432 (or the server BENCH_DATABASE_URL names) and dropped at the end;
with ``--keep`` the database stays, and the next run with ``--keep`` reuses it.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cif_bench")
os.environ["DATABASE_URL"] = SERVER
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

# The fund ``manage.py seed_scale`` makes: 2,000 investments and 100,000 outcome records among
# 10,000 applications (the load test in benchmarks/load.py reads the same data).
SLUG = "scale"


def _admin_sql(statement: str) -> None:
    import psycopg

    name = SERVER.rsplit("/", 1)[1]
    admin = SERVER.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as connection:
        connection.execute(statement.format(name=name))


def _timed[T](call: Callable[[], T], repeat: int) -> tuple[float, T]:
    times, results = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        results.append(call())
        times.append(time.perf_counter() - start)
    return statistics.median(times), results[-1]


def _alternating[T](first: Callable[[], T], second: Callable[[], Any], repeat: int) -> tuple[float, T, float]:
    """Medians of two timings taken in turn (first, second, first, ...), so that the machine's
    load at any moment falls on both alike."""
    first_times: list[float] = []
    second_times: list[float] = []
    results: list[T] = []
    for _ in range(repeat):
        start = time.perf_counter()
        results.append(first())
        first_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        second()
        second_times.append(time.perf_counter() - start)
    return statistics.median(first_times), results[-1], statistics.median(second_times)


def main() -> None:
    keep = "--keep" in sys.argv  # keep the database, and reuse it if it is there
    reuse = (
        keep or "--reuse" in sys.argv
    )  # reuse it if it is there (as load.py --keep leaves it), drop it after
    # The photos the pack-memory figures need go to a folder of their own, removed at the end.
    media = tempfile.mkdtemp(prefix="cif-bench-media-")
    os.environ["MEDIA_ROOT"] = media
    if not reuse:
        _admin_sql('DROP DATABASE IF EXISTS "{name}"')
    try:
        _admin_sql('CREATE DATABASE "{name}"')
    except Exception:
        if not reuse:
            raise
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed_scale")  # does nothing when the fund is there already
        _run()
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(media, ignore_errors=True)
        if not keep:
            _admin_sql('DROP DATABASE IF EXISTS "{name}"')


def _run() -> None:
    from weasyprint import HTML

    from fund.models import Fund
    from kit.pdf import BASE_URL, PdfFetcher
    from reporting.figures import build_report
    from reporting.models import OutcomeRecord
    from reporting.pack import make_pack, story_images

    fund = Fund.objects.get(slug=SLUG)
    outcomes = OutcomeRecord.objects.filter(investment__round__fund=fund).count()
    build_report(fund)  # warm the connection and caches once
    seconds, report = _timed(lambda: build_report(fund, scope="All investments"), repeat=5)
    assert report.total.value is not None, "the bench's outcomes are valued"
    print(
        f"SROI aggregation over {outcomes:,} outcome records on PostgreSQL: {seconds:.3f} s "
        f"(median of 5; goal 1 s) -> ratio £{report.total.value.ratio} on £{report.total.invested:,} invested"
    )

    def pack():
        made = build_report(fund, scope="All investments")
        return make_pack(made, author="Benchmark Council")

    rendered = pack()  # the HTML the bare render is given, and a warm start for both

    def bare():
        return HTML(
            string=rendered.html, base_url=BASE_URL, url_fetcher=PdfFetcher(story_images(report))
        ).write_pdf(pdf_variant="pdf/ua-1")

    pack_seconds, rendered, bare_seconds = _alternating(pack, bare, repeat=3)
    print(
        f"Board pack for {len(report.by_investment):,} investments: {rendered.pages} pages, "
        f"{len(rendered.pdf) / 1024:.0f} KiB; generation {pack_seconds:.2f} s, bare WeasyPrint render of "
        f"the same HTML {bare_seconds:.2f} s -> ratio {pack_seconds / bare_seconds:.2f} "
        "(median of 3, taken in turn; goal 1.3)"
    )
    _pack_memory(fund)
    _erasure(fund)


def _worst_case_photo() -> tuple[bytes, tuple[int, int]]:
    """The largest picture the upload check accepts: as many pixels as the limit allows, RGBA."""
    import math

    from django.conf import settings
    from PIL import Image, ImageDraw

    side = math.isqrt(settings.UPLOAD_MAX_PIXELS)
    image = Image.new("RGBA", (side, side), (0, 98, 94, 255))
    draw = ImageDraw.Draw(image)
    for n in range(0, side, side // 16):
        draw.line([(0, n), (side, side - n)], fill=(255, 221, 0, 128), width=9)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue(), image.size


def _child_pack(mode: str) -> dict:
    """Run ``mode`` in a new process, as a worker would, and hear its peak memory and time."""
    result = subprocess.run(  # noqa: S603 - this very script, with a word of our own
        [sys.executable, __file__, "--pack-child", mode],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _peak_mb() -> int:
    """This process's own peak resident memory in MB.

    ``ru_maxrss`` is no good in a child: Linux keeps the largest of it across ``exec``, so it
    starts at the memory of the process that spawned the child. ``VmHWM`` belongs to the
    process's own memory map, made new by ``exec``."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB on Linux


def _pack_child(mode: str) -> None:
    """In the child: run the task worker until the board pack asked for is made (``worker``), or
    render it with the photos as uploaded (``originals``), or only load what a worker loads
    (``idle``); then print the peak resident memory in MB and the seconds taken."""
    if mode == "worker":
        from django.core.management import execute_from_command_line

        start = time.perf_counter()
        # What ``manage.py db_worker`` does, in this process so its peak can be read after.
        execute_from_command_line(
            ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity", "0"]
        )
        seconds = time.perf_counter() - start
        print(json.dumps({"peak_mb": _peak_mb(), "seconds": round(seconds, 2)}))
        return
    import django

    django.setup()
    from fund.models import Fund
    from kit.pdf import render_pdf
    from reporting.figures import build_report
    from reporting.pack import IMAGE_PATH, pack_html

    if mode == "idle":
        import reporting.tasks  # noqa: F401 - what the worker imports to run the task

        print(json.dumps({"peak_mb": _peak_mb(), "seconds": 0}))
        return
    fund = Fund.objects.get(slug=SLUG)
    start = time.perf_counter()
    report = build_report(fund, scope="All investments")
    from investments.models import ProgressUpdate

    def as_uploaded(photo) -> bytes:
        with photo.open("rb") as file:
            return file.read()

    with_photos = [story.update_pk for story in report.stories if story.has_photo]
    images = {
        f"{IMAGE_PATH}{update.pk}": partial(as_uploaded, update.photo)
        for update in ProgressUpdate.objects.filter(pk__in=with_photos)
    }
    render_pdf(pack_html(report, author="Benchmark Council"), images)
    seconds = time.perf_counter() - start
    print(json.dumps({"peak_mb": _peak_mb(), "seconds": round(seconds, 2)}))


def _worker_pack(fund) -> dict:
    """Ask for a board pack of all the fund's investments, as finance does, and have a worker in
    a child process make it; the pack is checked, then removed."""
    from django_tasks_db.models import DBTaskResult

    from reporting.models import BoardPack
    from reporting.tasks import build_board_pack

    pack = BoardPack.objects.create(fund=fund, filters={}, scope="All investments")
    task = build_board_pack.enqueue(pack.pk)
    try:
        measured = _child_pack("worker")
        pack.refresh_from_db()
        assert pack.status == BoardPack.Status.READY, f"the worker did not make the pack: {pack.error}"
        measured["pages"] = pack.pages
        assert pack.started_at and pack.finished_at
        measured["seconds"] = round((pack.finished_at - pack.started_at).total_seconds(), 2)
    finally:
        pack.refresh_from_db()
        if pack.file:
            pack.file.delete(save=False)
        pack.delete()
        DBTaskResult.objects.filter(pk=task.id).delete()
    return measured


def _pack_memory(fund) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from investments.models import ProgressUpdate
    from kit.uploads import photo_problems
    from reporting.figures import build_report

    photo, (width, height) = _worst_case_photo()
    problems = photo_problems(SimpleUploadedFile("worst.png", photo, "image/png"))
    accepted = "accepted by the upload check" if not problems else f"REFUSED: {problems}"
    stories = [story.update_pk for story in build_report(fund, scope="All investments").stories][:4]
    updates = list(ProgressUpdate.objects.filter(pk__in=stories))
    idle = _child_pack("idle")
    plain = _worker_pack(fund)  # the stories have no photos yet
    try:
        for n, update in enumerate(updates):
            # Consented to and published with the story by an officer, so the pack prints it.
            update.photo_consent = update.photo_approved = True
            update.photo.save(f"worst-case-{n}.png", ContentFile(photo), save=True)
        with_photos = _worker_pack(fund)
        originals = _child_pack("originals")
    finally:
        for update in updates:
            update.photo.delete(save=True)
    print(
        f"Worker's peak memory making the board pack: {plain['peak_mb']:,} MB with no photos "
        f"({plain['seconds']:.1f} s); {with_photos['peak_mb']:,} MB with {len(updates)} worst-case photos "
        f"({with_photos['seconds']:.1f} s; each {width:,} × {height:,} pixels, RGBA PNG, "
        f"{len(photo) / 1024:,.0f} KiB, {accepted}). The worker before it takes a task: "
        f"{idle['peak_mb']:,} MB. For comparison, those photos given to WeasyPrint as uploaded, "
        f"without the print copies: {originals['peak_mb']:,} MB ({originals['seconds']:.1f} s)"
    )


def _erasure(fund) -> None:
    from django.db import transaction

    from accounts.models import User
    from fund.models import FundRole
    from organisations.models import Membership
    from privacy.erasure import erase

    group = fund.rounds.first().applications.first().organisation
    with transaction.atomic():
        officer = User.objects.create_user("bench-officer@example.org", full_name="Bench Officer")
        FundRole.objects.create(user=officer, fund=fund, role=FundRole.Role.OFFICER)
        person = User.objects.create_user("bench-person@example.org", full_name="Bench Person")
        Membership.objects.create(organisation=group, user=person)
        group.contact_name, group.contact_email = person.full_name, person.email
        group.save()
        start = time.perf_counter()
        record = erase(person=person, by=officer, reference="BENCH-1")
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    print(
        f"Erasing one person (a group's member and contact) from this database: {seconds:.2f} s; "
        f"{record.summary['group_contacts']} group's contact replaced, {record.summary['text_replaced']} "
        "other text values replaced (rolled back)"
    )


if __name__ == "__main__":
    if "--pack-child" in sys.argv:
        _pack_child(sys.argv[sys.argv.index("--pack-child") + 1])
    else:
        main()
