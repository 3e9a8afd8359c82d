"""Benchmark for the printed documents of a decision, run by ``make bench-documents`` (and
``make bench``); it prints figures and never fails.

1. A panel meeting's minutes, for a county-sized meeting: 200 decisions (award, decline and
   deferral), 40 conflicts of interest, attendees and notes, as an officer downloads them.
2. An offer letter with 12 payments, 12 conditions, 5 goals, 12 reporting dates and the fund's
   terms, as the group downloads it.

Goal: each renders in under 2 s. Each is asked for through the page a person uses (the view, its
queries and WeasyPrint), five times after one warm-up; the median and the slowest are printed,
with the number of pages and the size. The data goes into its own database, ``cif_bench_documents``,
made afresh on the PostgreSQL server at 127.0.0.1:5432 (or the one BENCH_DATABASE_URL names) and
dropped at the end.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cif_bench").rsplit("/", 1)[
    0
]
DATABASE = f"{SERVER}/cif_bench_documents"
os.environ["DATABASE_URL"] = DATABASE
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

GOAL_SECONDS = 2.0
DECISIONS = 200
CONFLICTS = 40
RUNS = 5


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres".replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(statement)


def _timed(client, url: str) -> tuple[list[float], bytes]:
    client.get(url)  # warm-up: templates, fonts
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times, response.content


def _report(name: str, times: list[float], pdf: bytes) -> None:
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    median, slowest = statistics.median(times), max(times)
    verdict = "meets" if slowest < GOAL_SECONDS else "MISSES"
    print(
        f"{name}: median {median:.2f} s, slowest {slowest:.2f} s over {RUNS} runs; "
        f"{pages} pages, {len(pdf) / 1024:.0f} KB ({verdict} the goal of {GOAL_SECONDS:.0f} s)"
    )


def _meeting():
    from django.utils import timezone

    from applications.models import Application
    from assessment.models import Decision, PanelMeeting, Review
    from fund.models import FundRole
    from tests.factories import (
        ApplicationFactory,
        CriterionFactory,
        OrganisationFactory,
        RoundFactory,
        UserFactory,
        fund_with_tiers,
        staff,
    )

    fund = fund_with_tiers(signoff_limit=Decimal("25000.00"))
    round = RoundFactory(fund=fund, budget=Decimal("5000000.00"))
    CriterionFactory(round=round)
    officer = staff(FundRole.Role.OFFICER, fund, full_name="Olu Officer")
    meeting = PanelMeeting.objects.create(
        round=round,
        held_on=timezone.localdate(),
        attendees="Councillor Jones (chair)\nFour residents\nThe fund officer\nA finance officer",
        notes="The panel thanked the groups for their work. " * 20,
        created_by=officer,
    )
    later = PanelMeeting.objects.create(
        round=round, held_on=timezone.localdate() + timedelta(days=30), created_by=officer
    )
    tiers = list(fund.tiers.order_by("minimum_amount"))
    reviewers = [UserFactory() for _ in range(CONFLICTS)]
    for number in range(DECISIONS):
        tier = tiers[number % len(tiers)]
        amount = (tier.minimum_amount + Decimal("1500.00")).quantize(Decimal("0.01"))
        application = ApplicationFactory(
            round=round,
            tier=tier,
            organisation=OrganisationFactory(name=f"Community group {number}"),
            amount_requested=amount,
            status=Application.Status.IN_REVIEW,
            reference=f"CIF-2027-{number:05d}",
            submitted_at=timezone.now(),
        )
        outcome = ("award", "award", "decline", "defer")[number % 4]
        Decision.objects.create(
            application=application,
            meeting=meeting,
            outcome=outcome,
            amount=amount if outcome == "award" else None,
            conditions="Send the lease for the hall before the first payment." if number % 8 == 0 else "",
            feedback="" if outcome == "award" else "The panel would like more on who the project reaches.",
            deferred_to=later if outcome == "defer" else None,
            decided_by=officer,
            decided_at=timezone.now(),
        )
        if number < CONFLICTS:
            Review.objects.create(
                application=application,
                reviewer=reviewers[number],
                status=Review.Status.CONFLICTED,
                conflict_reason="A relative sits on the group's committee.",
                declared_at=timezone.now(),
            )
    return meeting, officer


def _offer():
    from tests.factories import UserFactory, awarded_investment

    owner = UserFactory(full_name="Olive Owner")
    investment = awarded_investment(amount_requested=Decimal("9600.00"), member=owner, accepted=False)
    tier = investment.tier
    tier.payment_tranches, tier.payment_interval_months, tier.update_cadence_months = 12, 1, 1
    tier.save()
    # The same award again, its tranches and updates now monthly: 12 payments, a year of updates.
    investment = awarded_investment(
        amount_requested=Decimal("9600.00"), member=owner, accepted=False, round=investment.round
    )
    application = investment.application
    for number in range(2, 6):
        application.goals.create(
            description=f"Goal {number}: more people in the area feel less alone", position=number
        )
    for payment in investment.payments.all():
        investment.award_conditions.create(
            payment=payment, text=f"Evidence of spend before payment {payment.number}"
        )
    return investment, owner


def main() -> None:
    _admin_sql("DROP DATABASE IF EXISTS cif_bench_documents")
    _admin_sql("CREATE DATABASE cif_bench_documents")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        setup_test_environment()  # the test client, console e-mail
        call_command("migrate", verbosity=0)
        meeting, officer = _meeting()
        investment, owner = _offer()
        client = Client()
        client.force_login(officer)
        times, pdf = _timed(client, reverse("assessment:meeting_minutes", args=[meeting.pk]))
        _report(f"Minutes of a meeting of {DECISIONS} decisions and {CONFLICTS} conflicts", times, pdf)
        client.force_login(owner)
        times, pdf = _timed(client, reverse("investments:offer_letter", args=[investment.pk]))
        payments, updates = investment.payments.count(), investment.updates.count()
        _report(f"An offer letter of {payments} payments and {updates} reporting dates", times, pdf)
    finally:
        from django.db import connections

        connections.close_all()
        _admin_sql("DROP DATABASE IF EXISTS cif_bench_documents")


if __name__ == "__main__":
    main()
