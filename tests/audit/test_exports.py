"""A period longer than a quarter is made by the task worker and downloaded from the log page;
a period of any length is read a chunk at a time with the same result."""

import csv
import io
from datetime import timedelta

import boto3
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit import trail
from audit.models import AuditExport
from fund.models import FundRole
from privacy.erasure import erase
from tests.factories import UserFactory, awarded_investment, staff
from tests.support.downloads import body_text

pytestmark = pytest.mark.django_db


def _period(days: int) -> dict[str, int]:
    """The form's fields for the ``days`` up to today."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    return {
        **{f"start_{n}": value for n, value in enumerate((start.day, start.month, start.year))},
        **{f"end_{n}": value for n, value in enumerate((today.day, today.month, today.year))},
    }


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _made(client, tasks, capture, days: int = 200) -> AuditExport:
    with capture(execute=True):
        response = client.get(reverse("audit:log"), _period(days))
    export = AuditExport.objects.get()
    assert response.status_code == 302
    assert response.url == f"{reverse('audit:log')}#export-{export.pk}"
    tasks()
    export.refresh_from_db()
    return export


def test_a_quarter_downloads_at_once_and_a_longer_period_is_made_to_download_later(
    client, tasks, django_capture_on_commit_callbacks
):
    investment = awarded_investment()
    finance = staff(FundRole.Role.FINANCE, investment.round.fund)
    client.force_login(finance)
    quarter = client.get(reverse("audit:log"), _period(92))
    assert quarter["Content-Type"].startswith("text/csv")
    at_once = _rows(body_text(quarter))
    assert not AuditExport.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("audit:log"), _period(93), follow=True)
    page = response.content.decode()
    assert "is being made: it is listed below, ready to download, in a few minutes" in page
    assert "Waiting to start" in page
    export = AuditExport.objects.get()
    assert reverse("audit:download", args=[export.pk]) not in page
    assert client.get(reverse("audit:download", args=[export.pk])).status_code == 404

    tasks()
    export.refresh_from_db()
    assert export.status == "ready"
    assert export.rows == len(at_once)
    page = client.get(reverse("audit:log")).content.decode()
    assert f"{len(at_once)} rows, kept until" in page
    download = client.get(reverse("audit:download", args=[export.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    assert _rows(body_text(download)) == at_once


def test_asking_twice_for_the_same_long_period_makes_one_log(
    client, tasks, django_capture_on_commit_callbacks
):
    investment = awarded_investment()
    client.force_login(staff(FundRole.Role.OFFICER, investment.round.fund))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("audit:log"), _period(365))
        client.get(reverse("audit:log"), _period(365))
    assert AuditExport.objects.count() == 1
    assert tasks() == 1


def test_only_the_person_who_asked_downloads_it_while_still_staff_of_its_funds(
    client, tasks, django_capture_on_commit_callbacks
):
    investment = awarded_investment()
    fund = investment.round.fund
    officer = staff(FundRole.Role.OFFICER, fund)
    client.force_login(officer)
    export = _made(client, tasks, django_capture_on_commit_callbacks)
    url = reverse("audit:download", args=[export.pk])
    assert client.get(url).status_code == 200
    for other in (staff(FundRole.Role.OFFICER, fund), staff(FundRole.Role.PANEL, fund), UserFactory()):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert f"export-{export.pk}" not in client.get(reverse("audit:log")).content.decode()
    officer.fund_roles.all().delete()
    client.force_login(officer)
    assert client.get(url).status_code == 404


def test_a_made_log_is_removed_after_seven_days_and_when_someone_is_erased(
    client, tasks, django_capture_on_commit_callbacks
):
    investment = awarded_investment()
    fund = investment.round.fund
    officer = staff(FundRole.Role.OFFICER, fund)
    client.force_login(officer)
    export = _made(client, tasks, django_capture_on_commit_callbacks)
    storage, name = export.file.storage, export.file.name
    AuditExport.objects.filter(pk=export.pk).update(finished_at=timezone.now() - timedelta(days=7, minutes=1))
    assert f"export-{export.pk}" not in client.get(reverse("audit:log")).content.decode()
    assert client.get(reverse("audit:download", args=[export.pk])).status_code == 404
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    assert "Removed 1 audit logs past their 7 days." in out.getvalue()
    assert not AuditExport.objects.exists()
    assert not storage.exists(name)

    # A log that may name a person goes when they are erased.
    AuditExport.objects.all().delete()
    export = _made(client, tasks, django_capture_on_commit_callbacks)
    member = investment.application.organisation.memberships.get().user
    with django_capture_on_commit_callbacks(execute=True):
        erasure = erase(person=member, by=staff(FundRole.Role.OFFICER, fund), reference="SAR-1")
    assert erasure.summary["audit_logs_made"] == 1
    assert not AuditExport.objects.exists()
    assert not export.file.storage.exists(export.file.name)


def test_reading_in_small_chunks_gives_the_same_log_with_queries_by_the_chunk(client, monkeypatch):
    investments = [awarded_investment() for _ in range(3)]
    fund = investments[0].round.fund
    for investment in investments[1:]:
        investment.round.fund = fund
        investment.round.save()
    for investment in investments:
        for amount in (10, 20, 30):  # changes whose earlier copy falls in an earlier chunk
            payment = investment.payments.first()
            payment.amount += amount
            payment.save()
    client.force_login(staff(FundRole.Role.FINANCE, fund))
    whole = _rows(body_text(client.get(reverse("audit:log"), _period(30))))
    assert (
        sum(
            row["What"] == "Payment" and row["Field"] == "amount (£)" and bool(row["Before"]) for row in whole
        )
        == 9
    )

    monkeypatch.setattr(trail, "CHUNK", 2)
    with CaptureQueriesContext(connection) as small:
        chunked = _rows(body_text(client.get(reverse("audit:log"), _period(30))))
    assert chunked == whole
    monkeypatch.setattr(trail, "CHUNK", 4)
    with CaptureQueriesContext(connection) as larger:
        body_text(client.get(reverse("audit:log"), _period(30)))
    # Twice the chunk, fewer queries: they follow the chunks (each object named once), never the rows.
    assert len(larger.captured_queries) < len(small.captured_queries)


@pytest.mark.s3
def test_on_s3_a_long_log_is_stored_in_the_bucket_and_downloaded_by_a_signed_link(
    client, tasks, s3_storage, django_capture_on_commit_callbacks
):
    investment = awarded_investment()
    client.force_login(staff(FundRole.Role.FINANCE, investment.round.fund))
    export = _made(client, tasks, django_capture_on_commit_callbacks)
    assert export.status == "ready", export.error
    s3 = boto3.client("s3", endpoint_url=s3_storage.endpoint_url, region_name="eu-west-2")
    stored = s3.get_object(Bucket=s3_storage.bucket_name, Key=export.file.name)["Body"].read()
    assert stored.decode("utf-8-sig").startswith("When,Who,What,Which,Action,Field,Before,After")
    download = client.get(reverse("audit:download", args=[export.pk]))
    assert download.status_code == 302 and "X-Amz-Signature" in download.url
