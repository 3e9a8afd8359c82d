"""360Giving open data: the standard's required fields and types, and nothing personal."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from fund.models import Fund, FundRole
from investments.models import Investment
from organisations.models import Organisation
from reporting import giving360
from tests.factories import OrganisationFactory, UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
REQUIRED = ["id", "title", "description", "currency", "amountAwarded", "awardDate"]
STANDARD_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Beneficiary Location:Name",
    "Grant Programme:Title",
]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return Fund.objects.get(slug="deal-for-communities")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _organisation_ok(organisation: dict) -> None:
    assert isinstance(organisation["id"], str) and organisation["id"]
    assert isinstance(organisation["name"], str) and organisation["name"]
    for key, value in organisation.items():
        assert isinstance(value, str), (key, value)


def test_the_demo_funds_package_has_every_required_field_with_the_right_types(demo):
    data = json.loads(giving360.as_json(giving360.package(demo)))
    assert set(data) >= {"grants", "version", "publisher", "license", "issued"}
    assert re.match(r"^(\d+\.)(\d+)$", data["version"])
    assert data["publisher"]["name"] == "Wigan Council"
    datetime.fromisoformat(data["issued"])
    grants = data["grants"]
    awards = Investment.objects.committed().filter(round__fund=demo)
    assert len(grants) == awards.count() == 5
    assert len({grant["id"] for grant in grants}) == len(grants)  # uniqueItems
    by_reference = {investment.application.reference: investment for investment in awards}
    for grant in grants:
        for field in REQUIRED:
            assert isinstance(grant[field], str) or _is_number(grant[field]), field
        assert grant["id"].startswith("360G-wigan-DFC-")
        investment = by_reference[grant["id"].removeprefix("360G-wigan-")]
        assert _is_number(grant["amountAwarded"])
        assert Decimal(str(grant["amountAwarded"])) == investment.amount
        assert Decimal(str(grant["amountDisbursed"])) == sum(
            (p.paid for p in investment.payments.with_paid()), Decimal(0)
        )
        assert grant["currency"] == "GBP"
        assert ISO_DATE.match(grant["awardDate"])
        for dates in grant["plannedDates"]:
            assert all(ISO_DATE.match(dates[key]) for key in ("startDate", "endDate") if key in dates)
        assert len(grant["recipientOrganization"]) >= 1
        for organisation in grant["recipientOrganization"] + grant["fundingOrganization"]:
            _organisation_ok(organisation)
        assert grant["fundingOrganization"] == [{"id": "GB-LAE-WGN", "name": "Wigan Council"}]
        assert grant["fromOpenCall"] in ("Yes", "No")
        datetime.fromisoformat(grant["dateModified"])
        for place in grant["beneficiaryLocation"]:
            assert isinstance(place["name"], str) and place["countryCode"] == "GB"
        for payment in grant.get("disbursementTransaction", []):
            assert _is_number(payment["value"]) and ISO_DATE.match(payment["transactionDate"])
    # The four groups of last year's round were paid in full.
    assert sum(1 for grant in grants if grant.get("disbursementTransaction")) == 4


def test_amounts_are_numbers_exact_to_the_penny():
    investment = awarded_investment(amount_requested=Decimal("2345.67"))
    [grant] = giving360.package(investment.round.fund)["grants"]
    assert grant["amountAwarded"] == 2345.67
    assert json.dumps(grant["amountAwarded"]) == "2345.67"


@pytest.mark.parametrize(
    ("numbers", "identifier"),
    [
        ({"charity_number": "1180000"}, "GB-CHC-1180000"),
        ({"charity_number": "SC012345"}, "GB-SC-SC012345"),
        ({"company_number": "09876543"}, "GB-COH-09876543"),
        ({}, None),
    ],
)
def test_recipients_have_an_org_id_guide_identifier_where_registered(numbers, identifier):
    fund = Fund(grant_prefix="360G-wigan")
    organisation = OrganisationFactory(**numbers)
    expected = identifier or f"360G-wigan-org-{organisation.pk}"
    assert giving360.organisation_id(fund, organisation) == expected


def test_an_unincorporated_groups_address_is_never_published():
    investment = awarded_investment()
    organisation = investment.application.organisation
    Organisation.objects.filter(pk=organisation.pk).update(
        legal_form=Organisation.LegalForm.UNINCORPORATED, postcode="WN2 4SQ"
    )
    [grant] = giving360.package(investment.round.fund)["grants"]
    assert "postalCode" not in grant["recipientOrganization"][0]
    Organisation.objects.filter(pk=organisation.pk).update(legal_form=Organisation.LegalForm.CIO)
    [grant] = giving360.package(investment.round.fund)["grants"]
    assert grant["recipientOrganization"][0]["postalCode"] == "WN2 4SQ"


def test_nothing_personal_leaks_into_any_export(demo):
    data = giving360.package(demo)
    workbook = load_workbook(io.BytesIO(giving360.as_xlsx(data)))
    xlsx_text = " ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row)
    exports = [giving360.as_json(data), giving360.as_csv(data), xlsx_text]
    personal = set()
    for user in User.objects.all():
        personal |= {user.email, user.full_name}
    for organisation in Organisation.objects.all():
        personal |= {organisation.contact_name, organisation.contact_email}
        personal |= {organisation.contact_phone} - {""}
    assert len(personal) > 10
    for text in exports:
        for value in personal:
            assert value not in text, f"{value} is in an export"


def test_the_spreadsheets_use_the_standards_column_titles(demo):
    data = giving360.package(demo)
    header = next(csv.reader(io.StringIO(giving360.as_csv(data).removeprefix("\ufeff"))))
    assert set(STANDARD_COLUMNS) <= set(header)
    sheet = load_workbook(io.BytesIO(giving360.as_xlsx(data))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == header
    assert len(rows) == 1 + len(data["grants"])
    awarded = dict(zip(header, rows[1], strict=True))
    assert isinstance(awarded["Amount Awarded"], int | float)


def test_since_keeps_only_the_awards_made_from_that_date(demo):
    last_year = giving360.package(demo)
    this_year = giving360.package(demo, since=date.today() - timedelta(days=30))
    assert len(last_year["grants"]) == 5 and len(this_year["grants"]) == 1
    assert "since" in this_year["title"]


def test_the_command_writes_each_format(demo, tmp_path):
    for format in ("json", "csv", "xlsx"):
        output = tmp_path / f"grants.{format}"
        out = io.StringIO()
        call_command(
            "export_360giving", "--fund", demo.slug, "--format", format, "--output", str(output), stdout=out
        )
        assert "Wrote 5 grants" in out.getvalue()
        assert output.stat().st_size > 500
    assert json.loads((tmp_path / "grants.json").read_text())["grants"]
    with pytest.raises(CommandError, match=re.escape("No fund called 'nope'. The funds are: deal-for")):
        call_command("export_360giving", "--fund", "nope", "--output", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match=re.escape("--since must be a date like 2026-04-01")):
        call_command("export_360giving", "--fund", demo.slug, "--since", "last year", "--output", "x")


def test_finance_and_officers_download_it_and_nobody_else(client):
    investment = awarded_investment()
    fund = investment.round.fund
    url = reverse("reporting:open_data", args=[fund.slug])
    for insider in (staff(FundRole.Role.FINANCE, fund), staff(FundRole.Role.OFFICER, fund)):
        client.force_login(insider)
        for format, kind in (("json", "application/json"), ("csv", "text/csv"), ("xlsx", "application/vnd")):
            response = client.get(url, {"format": format})
            assert response.status_code == 200
            assert response["Content-Type"].startswith(kind)
            assert response["Content-Disposition"].endswith(f'.{format}"')
        bad = client.get(url, {"format": "pdf"})
        assert (bad.status_code, bad.content) == (400, b"Choose JSON, CSV or XLSX for the open data.")
        bad = client.get(url, {"since": "April"})
        assert bad.status_code == 400 and b"written like 2026-04-01" in bad.content
    for outsider in (UserFactory(), investment.application.organisation.memberships.first().user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
