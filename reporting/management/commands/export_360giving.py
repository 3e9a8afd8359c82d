"""manage.py export_360giving --fund <slug> [--since DATE] --format json|csv|xlsx --output PATH"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fund.models import Fund
from reporting import giving360


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--since must be a date like 2026-04-01, not {text!r}") from error


class Command(BaseCommand):
    help = "Write a fund's awards as 360Giving open data: a JSON data package, CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--fund", required=True, help="the fund's slug, e.g. deal-for-communities")
        parser.add_argument("--since", type=_day, help="only awards made on or after this date (YYYY-MM-DD)")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", required=True, type=Path, help="the file to write")

    def handle(self, *args, fund, since, format, output, **options):
        found = Fund.objects.filter(slug=fund).first()
        if found is None:
            known = ", ".join(Fund.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No fund called {fund!r}. The funds are: {known}")
        data = giving360.package(found, since)
        if format == "json":
            output.write_text(giving360.as_json(data), encoding="utf-8")
        elif format == "csv":
            output.write_text(giving360.as_csv(data), encoding="utf-8")
        else:
            output.write_bytes(giving360.as_xlsx(data))
        self.stdout.write(f"Wrote {len(data['grants'])} grants to {output}")
