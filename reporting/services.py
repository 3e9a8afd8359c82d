"""Finance's changes to proxies and outcome records, and asking for a board pack."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from fund.models import Fund
from kit.errors import RuleError
from kit.words import plural
from reporting.models import ADJUSTMENTS, BoardPack, FinancialProxy, OutcomeRecord, ProxyVersion

VERSIONED = (
    "name",
    "unit",
    "value",
    "kind",
    "source",
    "source_url",
    "source_year",
    "price_base",
    *ADJUSTMENTS,
    "needs_review",
    "notes",
)


@transaction.atomic
def save_proxy(
    *, fund: Fund, by: User, values: dict[str, Any], proxy: FinancialProxy | None = None, reason: str = ""
) -> ProxyVersion:
    """A new proxy, or a new version of ``proxy``: earlier versions are kept unchanged, so
    reports made with them can be made again. Saving with nothing changed adds no version."""
    if proxy is None:
        proxy = FinancialProxy.objects.create(fund=fund)
        number = 1
    else:
        proxy = FinancialProxy.objects.select_for_update().get(pk=proxy.pk, fund=fund)
        current = proxy.current
        if current and all(getattr(current, name) == values[name] for name in VERSIONED):
            return current
        if not reason.strip():
            raise ValidationError({"change_reason": "Say why the proxy is changing, for the record"})
        number = (proxy.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    duplicate = (
        ProxyVersion.objects.filter(proxy__fund=fund, name__iexact=values["name"].strip())
        .exclude(proxy=proxy)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"name": f"The fund already has a proxy called “{values['name']}”: edit that one"}
        )
    version = ProxyVersion(proxy=proxy, number=number, created_by=by, change_reason=reason.strip(), **values)
    version.full_clean()
    version.save()
    return version


def _check_overrides(record: OutcomeRecord) -> None:
    """An adjustment that differs from the proxy's default needs a written reason."""
    current = record.proxy.current
    changed = [
        name for name, value in record.overrides.items() if current is None or value != getattr(current, name)
    ]
    if not changed:
        for name in ADJUSTMENTS:
            setattr(record, name, None)
    elif not record.override_reason.strip():
        raise ValidationError(
            {"override_reason": "Say why this outcome's adjustments differ from the proxy's defaults"}
        )


def _check_links(record: OutcomeRecord) -> None:
    errors = {}
    if record.goal is not None and record.goal.application_id != record.investment.application_id:
        errors["goal"] = "Choose one of this group's goals"
    if record.update is not None and record.update.investment_id != record.investment_id:
        errors["update"] = "Choose one of this investment's updates"
    if record.proxy.fund_id != record.investment.round.fund_id:
        errors["proxy"] = "Choose one of this fund's proxies"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_outcome(*, record: OutcomeRecord, by: User) -> OutcomeRecord:
    """Add or change an outcome record, after checking it belongs together and any override
    is explained."""
    _check_links(record)
    _check_overrides(record)
    if record.period_end and record.period_start and record.period_end < record.period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start"})
    if record.pk is None:
        record.recorded_by = by
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def request_board_pack(*, fund: Fund, by: User, filters: dict[str, Any], scope: str) -> BoardPack:
    """Record the request and hand it to the task worker once the request is saved."""
    from reporting.tasks import build_board_pack

    if problems := packs_waiting_problems():
        raise RuleError(problems)
    pack = BoardPack.objects.create(fund=fund, filters=filters, scope=scope, requested_by=by)
    transaction.on_commit(lambda: build_board_pack.enqueue(pack.pk))
    return pack


# A pack still "being made" after this long is taken to have died with its worker.
PACK_GIVEN_UP_AFTER = timedelta(minutes=30)


def packs_waiting_problems() -> list[str]:
    """Whether another pack may start: no more than ``BOARD_PACKS_AT_ONCE`` are made at once. The
    packs in hand are locked first, so two people asking at the same moment are counted in turn."""
    recent = timezone.now() - PACK_GIVEN_UP_AFTER
    in_hand = BoardPack.objects.filter(
        status__in=[BoardPack.Status.REQUESTED, BoardPack.Status.RUNNING], requested_at__gte=recent
    )
    count = len(in_hand.select_for_update().values_list("pk", flat=True))
    if count < settings.BOARD_PACKS_AT_ONCE:
        return []
    return [
        f"{plural(count, 'board pack is', 'board packs are')} being made just now, the most the portal "
        "makes at once. Ask for yours again in a few minutes."
    ]
