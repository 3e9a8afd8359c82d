"""The fund's awards as 360Giving open data (the UK standard for grants data, version 1.4).

Each investment the fund committed is one grant. The JSON data package follows the standard's
package schema; the spreadsheet form (CSV or XLSX) uses the standard's column titles. Nothing
about individual people is exported: no contact names, e-mail addresses or telephone numbers,
and no postcode for an unincorporated group, whose address may be a member's home.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from fund.models import Fund
from investments.models import Investment, PaymentEntry
from kit.downloads import spreadsheet_safe, write_csv
from organisations.models import Organisation

VERSION = "1.4"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
REGISTERED = {
    Organisation.LegalForm.CHARITY,
    Organisation.LegalForm.CIO,
    Organisation.LegalForm.CIC,
    Organisation.LegalForm.CLG,
}

COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Applied For", lambda g: g.get("amountAppliedFor")),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Amount Disbursed", lambda g: g.get("amountDisbursed")),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: _first(g, "plannedDates", "startDate")),
    ("Planned Dates:End Date", lambda g: _first(g, "plannedDates", "endDate")),
    ("Recipient Org:Identifier", lambda g: _first(g, "recipientOrganization", "id")),
    ("Recipient Org:Name", lambda g: _first(g, "recipientOrganization", "name")),
    ("Recipient Org:Charity Number", lambda g: _first(g, "recipientOrganization", "charityNumber")),
    ("Recipient Org:Company Number", lambda g: _first(g, "recipientOrganization", "companyNumber")),
    ("Recipient Org:Postal Code", lambda g: _first(g, "recipientOrganization", "postalCode")),
    ("Funding Org:Identifier", lambda g: _first(g, "fundingOrganization", "id")),
    ("Funding Org:Name", lambda g: _first(g, "fundingOrganization", "name")),
    ("Beneficiary Location:Name", lambda g: _names(g, "beneficiaryLocation", "name")),
    ("Beneficiary Location:Country Code", lambda g: _first(g, "beneficiaryLocation", "countryCode")),
    ("Grant Programme:Code", lambda g: _first(g, "grantProgramme", "code")),
    ("Grant Programme:Title", lambda g: _first(g, "grantProgramme", "title")),
    ("From An Open Call?", lambda g: g["fromOpenCall"]),
    ("Last Modified", lambda g: g["dateModified"]),
]


def _first(grant: dict, key: str, field: str):
    items = grant.get(key) or []
    return items[0].get(field) if items else None


def _names(grant: dict, key: str, field: str) -> str | None:
    """The spreadsheet form has one cell for a list; several places are joined with semicolons."""
    names = [item[field] for item in grant.get(key) or [] if item.get(field)]
    return "; ".join(names) or None


def _amount(value: Decimal) -> int | float:
    """A JSON number with the pence exact: 1950 or 1950.5, never a string."""
    value = value.quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def organisation_id(fund: Fund, organisation: Organisation) -> str:
    """The group's identifier from org-id.guide where it is registered, else one of the fund's."""
    charity = organisation.charity_number.strip().upper().replace(" ", "")
    company = organisation.company_number.strip().upper().replace(" ", "")
    if charity.startswith("SC"):
        return f"GB-SC-{charity}"
    if charity:
        return f"GB-CHC-{charity}"
    if company:
        return f"GB-COH-{company}"
    return f"{fund.grant_prefix}-org-{organisation.pk}"


def _recipient(fund: Fund, organisation: Organisation) -> dict:
    recipient = {"id": organisation_id(fund, organisation), "name": organisation.name}
    if organisation.charity_number:
        recipient["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        recipient["companyNumber"] = organisation.company_number
    if organisation.legal_form in REGISTERED:
        recipient["postalCode"] = organisation.postcode
        recipient["addressLocality"] = organisation.town
    return recipient


def awarded(fund: Fund, since: date | None = None):
    investments = (
        Investment.objects.taken_up()
        .filter(round__fund=fund)
        .with_paid()
        .select_related("application__organisation", "tier", "round")
        .prefetch_related(
            "application__places",
            Prefetch(
                "payments__entries",
                queryset=PaymentEntry.objects.order_by("paid_on", "recorded_at", "pk"),
            ),
        )
        .order_by("application__reference")
    )
    if since:
        investments = investments.filter(created_at__date__gte=since)
    return investments


def grant(fund: Fund, investment: Investment) -> dict:
    application = investment.application
    identifier = f"{fund.grant_prefix}-{application.reference}"
    # Money paid, and reversals of mistakes, as the ledger records them: a reversal is a negative
    # transaction, so the disbursements always add up to the amount disbursed.
    ledger = [entry for payment in investment.payments.all() for entry in payment.entries.all()]
    modified = max(
        [investment.created_at, *(entry.recorded_at for entry in ledger)]
        + ([investment.closed_at] if investment.closed_at else [])
    )
    planned = {"startDate": investment.start_date.isoformat()}
    if investment.end_date:
        planned["endDate"] = investment.end_date.isoformat()
    data = {
        "id": identifier,
        "title": application.title or application.reference,
        "description": application.summary or application.title or application.reference,
        "currency": fund.currency,
        "amountAppliedFor": _amount(application.amount_requested),
        "amountAwarded": _amount(investment.amount),
        "amountDisbursed": _amount(investment.paid),
        "awardDate": timezone.localdate(investment.created_at).isoformat(),
        "plannedDates": [planned],
        "recipientOrganization": [_recipient(fund, application.organisation)],
        "fundingOrganization": [{"id": fund.org_identifier, "name": fund.council_name}],
        "beneficiaryLocation": [
            {"name": place.name, "countryCode": "GB"} for place in application.places.all()
        ],
        "grantProgramme": [
            {"code": f"{fund.slug}-{investment.tier.pk}", "title": f"{fund.name}: {investment.tier.name}"}
        ],
        "fromOpenCall": "Yes",
        "dateModified": modified.isoformat(),
        "disbursementTransaction": [
            {
                # The entry's own number: it never changes once published.
                "id": f"{identifier}-payment-{entry.pk}",
                "value": _amount(entry.amount),
                "currency": fund.currency,
                "transactionDate": entry.paid_on.isoformat(),
            }
            for entry in ledger
        ],
    }
    for optional in ("beneficiaryLocation", "disbursementTransaction"):
        if not data[optional]:
            del data[optional]
    return data


def package(fund: Fund, since: date | None = None, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    period = f" awarded since {since.isoformat()}" if since else ""
    return {
        "grants": [grant(fund, investment) for investment in awarded(fund, since)],
        "version": VERSION,
        "title": f"{fund.name}: grants{period}",
        "description": f"Investments made by {fund.council_name} through the {fund.name}{period}.",
        "issued": now.isoformat(),
        "modified": now.isoformat(),
        "identifier": f"{fund.grant_prefix}-{fund.slug}-{now:%Y%m%d}",
        "publisher": {"identifier": fund.org_identifier, "name": fund.council_name},
        "license": LICENCE,
    }


def as_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def rows(data: dict) -> list[list]:
    return [[value(grant) for _, value in COLUMNS] for grant in data["grants"]]


def as_csv(data: dict) -> str:
    out = io.StringIO()
    write_csv(out, [title for title, _ in COLUMNS], rows(data))
    return out.getvalue()


def as_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("grants")
    sheet.append([title for title, _ in COLUMNS])
    for row in rows(data):
        sheet.append(spreadsheet_safe(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FORMATS = {
    "json": ("application/json", as_json),
    "csv": ("text/csv; charset=utf-8", as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}


def download(fund: Fund, format: str, since: date | None = None) -> HttpResponse:
    """The open data as a file to save; ``format`` must be one of FORMATS."""
    content_type, render_as = FORMATS[format]
    response = HttpResponse(render_as(package(fund, since)), content_type=content_type)
    name = f"{fund.slug}-360giving{'-since-' + since.isoformat() if since else ''}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
