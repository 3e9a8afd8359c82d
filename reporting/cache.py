"""The social value report, kept per fund and filters until the figures behind it change.

Building the report reads every investment, payment and outcome of a fund: a second or more for
a county's fund. The page asks for the same report again and again, so it is kept in the cache
under the fund, its filters and the *figures version*, a token that changes (once the change is
committed) whenever anything the report reads is saved or deleted. One token for every fund: a
change in one fund makes every fund's report be built afresh once, which costs little and can
never show a fund stale figures because its change was put down to the wrong fund.

A report of a county's fund is a few megabytes pickled, and unpickling it took a fifth of the
page's time: each process also holds the last few reports it used, by the same key. The key holds
the figures version, read from the shared cache on every request, so a process never shows a
report older than the one the shared cache would give.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, signals
from django.utils import timezone

from applications.models import Application, Goal, MatchFunding
from fund.models import Fund, Place, Round, Theme, Tier
from investments.models import Investment, Payment, PaymentEntry, ProgressUpdate, SpendReport
from organisations.models import Organisation
from reporting.figures import SroiReport
from reporting.models import FinancialProxy, OutcomeRecord, ProxyVersion

VERSION_KEY = "reporting:figures-version"
# However little changes, a report is built afresh at least once a day.
KEPT_FOR = 60 * 60 * 24
# How many reports each process holds unpickled (funds and filters most recently asked for).
HELD_IN_PROCESS = 4
_held: OrderedDict[str, tuple[float, SroiReport]] = OrderedDict()  # key: (held until, report)
_held_lock = threading.Lock()

# Everything the report reads: a row of any of these saved or deleted changes the figures.
WATCHED = (
    Investment,
    Payment,
    PaymentEntry,
    ProgressUpdate,
    SpendReport,
    OutcomeRecord,
    FinancialProxy,
    ProxyVersion,
    Fund,
    Tier,
    Round,
    Place,
    Theme,
)
# What groups change all the time (applications being written): only a change to one with an
# investment reaches the report. An award makes the investment, which is watched above.
INVESTED_IN = {
    Application: lambda application: Q(application_id=application.pk),
    Goal: lambda goal: Q(application_id=goal.application_id),
    MatchFunding: lambda match: Q(application_id=match.application_id),
    Organisation: lambda group: Q(application__organisation_id=group.pk),
}
WATCHED_LINKS = (Application.places.through, Goal.themes.through)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def figures_changed(**kwargs) -> None:
    """Build every report afresh (a receiver, and a call for changes made without signals, such
    as an update of many rows at once): at once, for what reads it in the same transaction, and
    again when the change is committed, as another request may have built a report in between
    from the figures before it."""
    _new_version()
    transaction.on_commit(_new_version)


def _group_side_changed(sender, instance, **kwargs) -> None:
    """A receiver for what groups write: the figures change only if it belongs to an investment
    (a place or theme changed from its own side always counts)."""
    condition = INVESTED_IN.get(type(instance))
    if condition is None or Investment.objects.filter(condition(instance)).exists():
        figures_changed()


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def report_for(
    fund: Fund, chosen: dict[str, str], stories: int, build: Callable[[], SroiReport]
) -> SroiReport:
    """The report of ``fund`` with the filters ``chosen``, from the cache or made by ``build``."""
    filters = hashlib.sha256(json.dumps([chosen, stories], sort_keys=True).encode()).hexdigest()[:32]
    key = f"reporting:sroi:{fund.pk}:{_version()}:{filters}"
    with _held_lock:
        held = _held.get(key)
        if held is not None and held[0] > time.monotonic():
            _held.move_to_end(key)
            return held[1]
    report = cache.get(key)
    if report is None:
        report = build()
        cache.set(key, report, KEPT_FOR)
    # Held no longer than the shared cache keeps it: a day from when it was built.
    left = KEPT_FOR - (timezone.now() - report.as_of).total_seconds()
    with _held_lock:
        if left > 0:
            _held[key] = (time.monotonic() + left, report)
        while len(_held) > HELD_IN_PROCESS:
            _held.popitem(last=False)
    return report


def connect() -> None:
    for model in WATCHED:
        signals.post_save.connect(figures_changed, sender=model, dispatch_uid=f"figures-{model.__name__}")
        signals.post_delete.connect(
            figures_changed, sender=model, dispatch_uid=f"figures-del-{model.__name__}"
        )
    for written in INVESTED_IN:
        uid = f"figures-{written.__name__}"
        signals.post_save.connect(_group_side_changed, sender=written, dispatch_uid=uid)
        signals.post_delete.connect(_group_side_changed, sender=written, dispatch_uid=f"{uid}-deleted")
    for link in WATCHED_LINKS:
        signals.m2m_changed.connect(_group_side_changed, sender=link, dispatch_uid=f"figures-{link.__name__}")
