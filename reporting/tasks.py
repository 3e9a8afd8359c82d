"""Board packs are made by the task worker, never in a request; the pack records its progress."""

import logging

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone

from reporting.figures import build_report
from reporting.filters import SroiFilter
from reporting.models import BoardPack
from reporting.pack import make_pack

logger = logging.getLogger(__name__)


def _progress(pack: BoardPack, percent: int, stage: str, **fields) -> None:
    BoardPack.objects.filter(pk=pack.pk).update(progress=percent, stage=stage, **fields)


@task()
def build_board_pack(pack_id: int) -> str:
    claimed = BoardPack.objects.filter(pk=pack_id, status=BoardPack.Status.REQUESTED).update(
        status=BoardPack.Status.RUNNING,
        progress=10,
        stage="Working out the figures",
        started_at=timezone.now(),
    )
    pack = BoardPack.objects.select_related("fund", "requested_by").get(pk=pack_id)
    if not claimed:
        return pack.status  # already made, or being made by another worker
    try:
        filters = SroiFilter(data=pack.filters, fund=pack.fund)
        report = build_report(pack.fund, filters.qs, as_of=pack.requested_at, scope=pack.scope)
        by = pack.requested_by.get_full_name() if pack.requested_by else ""
        author = f"{by}, {pack.fund.council_name}" if by else pack.fund.council_name
        rendered = make_pack(
            report, author=author, progress=lambda percent, stage: _progress(pack, percent, stage)
        )
        _progress(pack, 90, "Saving the PDF")
        pack.file.save(pack.filename, ContentFile(rendered.pdf), save=False)
    except Exception as error:
        logger.exception("Board pack %s failed", pack.pk)
        reason = str(error) or type(error).__name__
        BoardPack.objects.filter(pk=pack.pk).update(
            status=BoardPack.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
        )
        return BoardPack.Status.FAILED
    value = report.total.value
    pack.pages = rendered.pages
    pack.headline = {
        "invested": str(report.total.invested),
        "present_value": str(value.present_value) if value else None,
        "ratio": str(value.ratio) if value else None,
    }
    pack.status = BoardPack.Status.READY
    pack.progress = 100
    pack.stage = "Ready"
    pack.finished_at = timezone.now()
    pack.save(update_fields=["file", "pages", "headline", "status", "progress", "stage", "finished_at"])
    pack.proxy_versions.set([assumption.version for assumption in report.assumptions])
    return BoardPack.Status.READY
