"""CSV downloads open in Excel as they read: UTF-8 with a byte-order mark, so "£" stays "£"."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fund.models import Fund, FundRole
from kit.downloads import csv_response
from tests.support.downloads import body_bytes

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def test_a_csv_starts_with_a_byte_order_mark_keeps_the_pound_sign_and_runs_no_formulas():
    response = csv_response("amounts.csv", ["Group", "Amount"], [["=HYPERLINK()", "£2,000.50"]])
    sent = body_bytes(response)
    assert sent == BOM + b'Group,Amount\r\n\'=HYPERLINK(),"\xc2\xa32,000.50"\r\n'
    # What Excel does with the mark: reads UTF-8. Without it, it would read "Â£".
    assert sent.decode("utf-8-sig").splitlines()[1] == '\'=HYPERLINK(),"£2,000.50"'


@pytest.fixture
def demo(client):
    call_command("seed_demo", stdout=io.StringIO())
    fund = Fund.objects.get(slug="deal-for-communities")
    client.force_login(fund.roles.filter(role=FundRole.Role.OFFICER).first().user)
    return fund


def test_every_csv_download_starts_with_a_byte_order_mark(client, demo):
    round = demo.rounds.order_by("-opens_at").first()
    today = timezone.localdate()
    quarter_ago = today - timedelta(days=91)
    downloads = {
        "queue": client.get(reverse("assessment:queue"), {"format": "csv"}),
        "panel": client.get(reverse("assessment:panel_summary", args=[round.pk]), {"format": "csv"}),
        "social value": client.get(reverse("reporting:sroi_csv", args=[demo.slug])),
        "360Giving (finance)": client.get(
            reverse("reporting:open_data", args=[demo.slug]), {"format": "csv"}
        ),
        "360Giving (public)": client.get(reverse("public:open_data", args=[demo.slug]), {"format": "csv"}),
        "audit log": client.get(
            reverse("audit:log"),
            # The longest period sent at once, a quarter, up to today.
            {
                **{
                    f"start_{n}": part
                    for n, part in enumerate((quarter_ago.day, quarter_ago.month, quarter_ago.year))
                },
                **{f"end_{n}": part for n, part in enumerate((today.day, today.month, today.year))},
            },
        ),
    }
    for name, response in downloads.items():
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv"), name
        sent = body_bytes(response)
        assert sent.startswith(BOM), f"the {name} CSV has no byte-order mark"
        if name == "panel":
            assert "Asked (£)" in sent.decode("utf-8-sig")


def test_the_360giving_command_writes_the_byte_order_mark_too(demo, tmp_path):
    output = tmp_path / "grants.csv"
    call_command(
        "export_360giving",
        "--fund",
        demo.slug,
        "--format",
        "csv",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    assert output.read_bytes().startswith(BOM)
