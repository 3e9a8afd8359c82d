"""The board pack: made by the task worker, stored, and saying in print what the engine says."""

import io
from datetime import timedelta
from decimal import Decimal

import boto3
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fund.models import Fund, FundRole
from fund.money import pounds
from kit.pdf import BASE_URL, PdfFetcher, RefusedURL
from reporting.figures import build_report
from reporting.models import BoardPack
from reporting.pack import make_pack
from tests.factories import UserFactory, awarded_investment, financial_proxy, outcome_record, staff

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_demo_funds_pack_prints_the_engines_headline_figures():
    call_command("seed_demo", stdout=io.StringIO())
    fund = Fund.objects.get(slug="deal-for-communities")
    report = build_report(fund, scope="All investments")
    rendered = make_pack(report, author="Farid Finance, Wigan Council")

    reader, text = _text(rendered.pdf)
    text = _flat(text)
    value = report.total.value
    for figure in (
        pounds(report.total.invested),
        f"£{value.ratio}",
        pounds(value.present_value),
        pounds(value.fiscal_present_value),
        pounds(value.social_present_value),
        f"£{report.sensitivity.low}",
        f"£{report.sensitivity.high}",
    ):
        assert figure in text, f"{figure} is missing from the pack"
    assert value.ratio > 1
    assert "Social value board pack" in text
    assert "Appendix B: method, proxies and assumptions" in text
    assert "Person into work from out-of-work benefits" in text  # a proxy, with its source
    assert "Joseph Rowntree Foundation" in text
    assert "Ray had not left the house" in text  # a story its person agreed to share
    assert f"Page 2 of {len(reader.pages)}" in text
    assert len(reader.pages) == rendered.pages >= 6
    assert reader.metadata.title == "Deal for Communities Investment Fund: social value board pack"
    assert reader.metadata.author == "Farid Finance, Wigan Council"
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=0.5)  # A4 portrait
    fonts = {
        font["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert fonts and all("Pack-Sans" in str(font) for font in fonts), fonts  # only the shipped font


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/static/reporting/pack.css",
        "file:///etc/passwd",
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../config/settings.py",
        f"{BASE_URL}static/%2e%2e/config/settings.py",
        f"{BASE_URL}static/reporting/../../manage.py",
        f"{BASE_URL}media/updates/photo.jpg",
        f"{BASE_URL}report-images/999",
        "data:text/plain,hello",
    ],
)
def test_the_pack_fetcher_refuses_anything_but_static_files_and_its_images(url):
    with pytest.raises(RefusedURL):
        PdfFetcher().fetch(url)


def test_the_pack_fetcher_serves_static_files_and_the_reports_images():
    fetcher = PdfFetcher({"/report-images/7": lambda: b"\x89PNG..."})
    css = fetcher.fetch(f"{BASE_URL}static/reporting/pack.css")
    assert b"@page" in css.read()
    font = fetcher.fetch(f"{BASE_URL}static/reporting/fonts/DejaVuSans.ttf")
    assert font.content_type == "font/ttf"
    assert fetcher.fetch(f"{BASE_URL}report-images/7").read() == b"\x89PNG..."


def test_a_pack_naming_a_local_file_or_a_web_address_renders_without_them(tmp_path):
    from kit.pdf import render_pdf

    secret = tmp_path / "secret.txt"
    secret.write_text("do not print me")
    html = (
        f'<html><head><link rel="stylesheet" href="file://{secret}"></head><body>'
        f'<img src="file:///etc/passwd" alt="x"><img src="http://127.0.0.1:9/x.png" alt="y">'
        f'<iframe src="file://{secret}"></iframe><p>Still here</p></body></html>'
    )
    _, text = _text(render_pdf(html).pdf)
    assert "Still here" in text
    assert "do not print me" not in text
    assert "root:" not in text


def _fund_with_value():
    investment = awarded_investment(amount_requested=Decimal("1000.00"))
    fund = investment.round.fund
    outcome_record(investment, financial_proxy(fund, value="19.00"), "100")
    return fund, staff(FundRole.Role.FINANCE, fund, full_name="Farid Finance")


def _made_pack(client, user, fund, tasks, capture, data=None) -> BoardPack:
    """``user`` asks for a pack from the SROI page; the worker makes it."""
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("reporting:board_pack_request", args=[fund.slug]), data or {})
    tasks()
    return BoardPack.objects.get()


def test_finance_asks_for_a_pack_and_the_worker_makes_and_stores_it(
    client, tasks, django_capture_on_commit_callbacks
):
    fund, finance = _fund_with_value()
    client.force_login(finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:board_pack_request", args=[fund.slug]))
    pack = BoardPack.objects.get()
    assert response.url == reverse("reporting:board_pack", args=[fund.slug, pack.pk])
    waiting = client.get(response.url)
    assert "Waiting for the task worker to start: 0% done" in waiting.content.decode()
    assert client.get(reverse("reporting:board_pack_status", args=[fund.slug, pack.pk])).json() == {
        "status": "requested",
        "progress": 0,
        "stage": "",
        "finished": False,
    }

    tasks()

    pack.refresh_from_db()
    assert (pack.status, pack.progress, pack.error) == ("ready", 100, "")
    assert pack.headline["ratio"] == str(build_report(fund, as_of=pack.requested_at).total.value.ratio)
    assert pack.proxy_versions.count() == 1
    page = client.get(reverse("reporting:board_pack", args=[fund.slug, pack.pk])).content.decode()
    assert "Your board pack is ready" in page
    download = client.get(reverse("reporting:board_pack_download", args=[fund.slug, pack.pk]))
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert "Farid Finance" in _text(pdf)[0].metadata.author
    # It is listed with earlier packs on the social value page.
    assert "Ready" in client.get(reverse("reporting:sroi", args=[fund.slug])).content.decode()


def test_the_pack_keeps_the_filters_it_was_asked_with(client, tasks, django_capture_on_commit_callbacks):
    fund, finance = _fund_with_value()
    other = awarded_investment(amount_requested=Decimal("3000.00"), round=fund.rounds.get())
    pack = _made_pack(
        client, finance, fund, tasks, django_capture_on_commit_callbacks, data={"tier": other.tier.pk}
    )
    assert pack.filters == {"tier": str(other.tier.pk)}
    assert pack.scope == f"Tier: {other.tier.name}"
    assert pack.headline["invested"] == "3000.00"


@pytest.mark.s3
def test_on_s3_the_pack_is_stored_in_the_bucket_and_downloaded_by_a_signed_link(
    client, tasks, s3_storage, django_capture_on_commit_callbacks
):
    fund, finance = _fund_with_value()
    pack = _made_pack(client, finance, fund, tasks, django_capture_on_commit_callbacks)
    assert pack.status == "ready"
    s3 = boto3.client("s3", endpoint_url=s3_storage.endpoint_url, region_name="eu-west-2")
    stored = s3.get_object(Bucket=s3_storage.bucket_name, Key=pack.file.name)["Body"].read()
    assert stored.startswith(b"%PDF")
    download = client.get(reverse("reporting:board_pack_download", args=[fund.slug, pack.pk]))
    assert download.status_code == 302
    assert "X-Amz-Signature" in download.url


@pytest.mark.s3
def test_a_pack_that_cannot_be_stored_fails_with_its_reason(
    client, tasks, s3_storage, settings, django_capture_on_commit_callbacks
):
    fund, finance = _fund_with_value()
    default = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "bucket_name": "no-such-bucket"}},
    }
    pack = _made_pack(client, finance, fund, tasks, django_capture_on_commit_callbacks)
    assert pack.status == "failed"
    assert "NoSuchBucket" in pack.error
    page = client.get(reverse("reporting:board_pack", args=[fund.slug, pack.pk])).content.decode()
    assert "The board pack could not be made" in page
    assert "NoSuchBucket" in page
    assert client.get(reverse("reporting:board_pack_download", args=[fund.slug, pack.pk])).status_code == 404


def test_only_the_funds_finance_and_officers_reach_its_packs(
    client, tasks, django_capture_on_commit_callbacks
):
    fund, finance = _fund_with_value()
    pack = _made_pack(client, finance, fund, tasks, django_capture_on_commit_callbacks)
    urls = [
        reverse("reporting:board_pack", args=[fund.slug, pack.pk]),
        reverse("reporting:board_pack_status", args=[fund.slug, pack.pk]),
        reverse("reporting:board_pack_download", args=[fund.slug, pack.pk]),
    ]
    client.force_login(staff(FundRole.Role.OFFICER, fund))
    assert all(client.get(url).status_code == 200 for url in urls)
    for outsider in (
        UserFactory(),
        staff(FundRole.Role.PANEL, fund),
        staff(FundRole.Role.MENTOR, fund),
        staff(FundRole.Role.FINANCE, awarded_investment().round.fund),
    ):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert client.post(reverse("reporting:board_pack_request", args=[fund.slug])).status_code == 404


def _story_with_photo(fund, *, photo_consent: bool, data: bytes | None = None, name: str = "garden.png"):
    from django.core.files.base import ContentFile
    from PIL import Image

    from investments.models import ProgressUpdate

    if data is None:
        photo = io.BytesIO()
        Image.new("RGB", (40, 30), (0, 98, 94)).save(photo, "PNG")
        data = photo.getvalue()
    update = ProgressUpdate.objects.filter(investment__round__fund=fund).first()
    update.photo.save(name, ContentFile(data), save=False)
    update.story, update.story_consent, update.status = "Maureen grows tomatoes again.", True, "submitted"
    update.photo_consent = photo_consent
    update.save()
    return update


def _published_with_photo(fund, data: bytes, name: str):
    from investments.services.monitoring import approve_story

    update = _story_with_photo(fund, photo_consent=True, data=data, name=name)
    return approve_story(update=update, by=fund.roles.get(role=FundRole.Role.OFFICER).user, with_photo=True)


def _images(reader) -> int:
    # WeasyPrint shares one resource dictionary between pages: count the distinct images.
    return len({image.data for page in reader.pages for image in page.images})


def test_an_approved_storys_photo_is_printed_with_it_when_its_people_agreed():
    from investments.services.monitoring import approve_story

    fund, _ = _fund_with_value()
    update = _story_with_photo(fund, photo_consent=True)
    approve_story(update=update, by=fund.roles.get(role=FundRole.Role.OFFICER).user, with_photo=True)

    reader, text = _text(make_pack(build_report(fund), author="Finance").pdf)
    assert "Maureen grows tomatoes again." in text
    assert _images(reader) == 1


def test_a_story_no_officer_approved_stays_out_of_the_pack_and_a_photo_without_agreement_too():
    fund, _ = _fund_with_value()
    update = _story_with_photo(fund, photo_consent=False)
    reader, text = _text(make_pack(build_report(fund), author="Finance").pdf)
    assert "Maureen grows tomatoes again." not in text
    assert _images(reader) == 0

    from investments.services.monitoring import approve_story

    approve_story(update=update, by=fund.roles.get(role=FundRole.Role.OFFICER).user)
    reader, text = _text(make_pack(build_report(fund), author="Finance").pdf)
    assert "Maureen grows tomatoes again." in text
    assert _images(reader) == 0


def test_a_pack_for_a_fund_with_nothing_invested_yet_still_renders():
    from tests.factories import fund_with_tiers

    _, text = _text(make_pack(build_report(fund_with_tiers(), scope="All investments"), author="Finance").pdf)
    assert "No investments yet" in text
    assert "No outcomes have been valued yet." in text


def test_a_camera_sized_photo_is_printed_from_a_copy_no_bigger_than_print_size():
    from tests.support.images import jpeg

    fund, _ = _fund_with_value()
    _published_with_photo(fund, jpeg(4000, 3000), "garden.jpg")

    reader, text = _text(make_pack(build_report(fund), author="Finance").pdf)
    assert "Maureen grows tomatoes again." in text
    (image,) = {image.data: image for page in reader.pages for image in page.images}.values()
    assert image.image.size == (1600, 1200)


def test_a_photo_over_the_pixel_limit_is_left_out_and_the_pack_still_made(settings, caplog):
    from tests.support.images import png

    fund, _ = _fund_with_value()
    _published_with_photo(fund, png(40, 30), "garden.png")
    settings.UPLOAD_MAX_PIXELS = 1000  # as if the photo came before a lower limit

    with caplog.at_level("WARNING", logger="reporting.pack"):
        reader, text = _text(make_pack(build_report(fund), author="Finance").pdf)
    assert "Maureen grows tomatoes again." in text
    assert not [image for page in reader.pages for image in page.images]
    assert "40 × 30 pixels is too large to print" in caplog.text


def _structure(node, found: list) -> None:
    """Every element of a tagged PDF's structure tree, as (type, alternative text)."""
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            _structure(kid, found)
        return
    if not hasattr(node, "get"):
        return
    if "/S" in node:
        found.append((str(node["/S"]), str(node.get("/Alt", ""))))
    if "/K" in node:
        _structure(node["/K"], found)


def test_the_pack_is_a_tagged_pdf_a_screen_reader_can_follow():
    """Board papers are published: the pack says its language and carries headings, tables with
    header cells, and words for every chart (its figures) and photo."""
    from tests.support.images import jpeg

    fund, _ = _fund_with_value()
    _published_with_photo(fund, jpeg(800, 600), "garden.jpg")
    reader, _ = _text(make_pack(build_report(fund), author="Finance").pdf)
    catalog = reader.trailer["/Root"]
    assert str(catalog["/Lang"]) == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    elements: list = []
    _structure(catalog["/StructTreeRoot"], elements)
    kinds = {kind for kind, _ in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    figures = [alt for kind, alt in elements if kind == "/Figure"]
    assert figures and all(figures), "every chart and photo has alternative text"
    assert any("Invested and social value by tier" in alt and "invested" in alt for alt in figures)
    assert any(alt.startswith("A photo") or "photo" in alt.lower() for alt in figures)


def test_every_investments_figures_are_in_a_spreadsheet_attached_to_the_pack():
    """The appendix lists the ten with the most social value; the attached CSV has them all."""
    fund, _ = _fund_with_value()
    round = fund.rounds.first()
    for _ in range(12):
        investment = awarded_investment(round=round, amount_requested=Decimal("1000.00"))
        outcome_record(investment, fund.proxies.first(), "10")
    report = build_report(fund)
    reader, text = _text(make_pack(report, author="Finance").pdf)
    (name,) = reader.attachments
    assert name == f"{fund.slug}-social-value.csv"
    spreadsheet = reader.attachments[name][0].decode("utf-8-sig")
    references = [row.reference for row in report.by_investment]
    assert len(references) == 13 and all(reference in spreadsheet for reference in references)
    assert "The ten investments with the most social value" in text
    assert sum(reference in text for reference in references) == 10


def test_no_more_packs_are_made_at_once_than_the_portal_allows(client, settings):
    """A request beyond the limit is asked to wait, with nothing queued; a pack left 'being made'
    by a worker that died long ago no longer counts."""
    settings.BOARD_PACKS_AT_ONCE = 1
    fund, finance = _fund_with_value()
    client.force_login(finance)
    url = reverse("reporting:board_pack_request", args=[fund.slug])
    first = client.post(url)
    assert BoardPack.objects.count() == 1 and first.url.startswith(f"/finance/funds/{fund.slug}/")
    refused = client.post(url, follow=True)
    assert BoardPack.objects.count() == 1
    assert "1 board pack is being made just now" in refused.content.decode()
    BoardPack.objects.update(requested_at=timezone.now() - timedelta(hours=1))
    client.post(url)
    assert BoardPack.objects.count() == 2
