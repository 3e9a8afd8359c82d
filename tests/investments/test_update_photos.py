"""An update's photo is shown, small, to the group and the staff who may read the update, and on
the public story only when the people in it agreed and an officer approved the story."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps

from fund.models import FundRole
from investments.models import ProgressUpdate
from investments.photos import delete_photo
from investments.rules import add_months
from investments.services.monitoring import GoalAnswer, approve_story, save_update, submit_update
from mentoring.models import MentorProfile
from mentoring.services import assign_mentor
from tests.factories import UserFactory, awarded_investment, staff

pytestmark = pytest.mark.django_db


def _jpeg(width=1600, height=1200, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 98, 94)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def investment(member):
    # The first update is due about now, so the group can write it.
    return awarded_investment(member=member, start_date=add_months(timezone.localdate(), -6))


def _officer(investment):
    return investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user


def _send(
    investment, member, *, photo=None, photo_consent=False, description="", story="Jean came.", send=True
):
    update = investment.updates.get(number=1)
    goal = investment.application.goals.current().get()
    save_update(
        update=update,
        by=member,
        goals={goal.pk: GoalAnswer(status="on_track", value=None, note="")},
        story=story,
        story_consent=bool(story),
        story_anonymous=False,
        photo=SimpleUploadedFile("garden.jpg", photo or _jpeg(), "image/jpeg"),
        photo_consent=photo_consent,
        photo_description=description,
    )
    if send:
        submit_update(update=update, by=member)
    update.refresh_from_db()
    return update


def _photo_url(investment):
    return reverse("investments:update_photo", args=[investment.pk, 1])


def test_the_thumbnail_is_a_small_jpeg_of_the_photo(client, investment, member):
    update = _send(investment, member)
    assert (update.photo_width, update.photo_height) == (1600, 1200)
    client.force_login(member)
    response = client.get(_photo_url(investment))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG" and image.size == (640, 480)


def test_a_turned_phone_photo_is_shown_upright_without_its_metadata(client, investment, member):
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held on its side: show it turned a quarter
    exif[0x010F] = "Phone maker"
    update = _send(investment, member, photo=_jpeg(1200, 900, exif=exif.tobytes()))
    assert (update.photo_width, update.photo_height) == (900, 1200)
    client.force_login(member)
    response = client.get(_photo_url(investment))
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (640, 853)
    assert not image.getexif()


def test_who_may_see_an_updates_photo(client, investment, member):
    _send(investment, member)
    fund = investment.round.fund
    officer = _officer(investment)
    mentor = staff(FundRole.Role.MENTOR, fund)
    MentorProfile.objects.create(user=mentor)
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    other = awarded_investment()
    expected = {
        "group member": (member, 200),
        "officer": (officer, 200),
        "finance": (staff(FundRole.Role.FINANCE, fund), 200),
        "mentor assigned": (mentor, 200),
        "another mentor": (staff(FundRole.Role.MENTOR, fund), 404),
        "panel member": (staff(FundRole.Role.PANEL, fund), 404),
        "member of another group": (other.application.organisation.memberships.get().user, 404),
        "officer of another fund": (_officer(other), 404),
        "anonymous": (None, 404),
    }
    for person, (user, status) in expected.items():
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(_photo_url(investment)).status_code == status, person


def test_staff_cannot_see_a_draft_updates_photo_but_the_group_can(client, investment, member):
    _send(investment, member, send=False)
    client.force_login(_officer(investment))
    assert client.get(_photo_url(investment)).status_code == 404
    client.force_login(member)
    assert client.get(_photo_url(investment)).status_code == 200


def test_the_check_page_shows_the_photo_rather_than_saying_it_was_added(client, investment, member):
    goal = investment.application.goals.current().get()
    save_update(
        update=investment.updates.get(number=1),
        by=member,
        goals={goal.pk: GoalAnswer(status="on_track", value=None, note="")},
        photo=SimpleUploadedFile("garden.jpg", _jpeg(), "image/jpeg"),
    )
    client.force_login(member)
    html = client.get(reverse("investments:update_check", args=[investment.pk, 1])).content.decode()
    assert f'<img src="{_photo_url(investment)}?v=' in html
    assert 'alt="Photo sent with update 1" width="320" height="240"' in html


def test_the_group_and_staff_pages_show_the_thumbnail(client, investment, member):
    update = _send(investment, member, description="Members at the allotment", send=False)
    img = 'alt="Members at the allotment" width="320" height="240"'
    client.force_login(member)
    check = client.get(reverse("investments:update_check", args=[investment.pk, 1])).content.decode()
    assert _photo_url(investment) in check and img in check
    submit_update(update=update, by=member)
    officer = _officer(investment)
    mentor = staff(FundRole.Role.MENTOR, investment.round.fund)
    MentorProfile.objects.create(user=mentor)
    assign_mentor(investment=investment, mentor=mentor, by=officer)
    for person, url in (
        (member, reverse("investments:investment", args=[investment.pk])),
        (officer, reverse("investments:oversight_investment", args=[investment.pk])),
        (mentor, reverse("mentoring:investment", args=[investment.pk])),
    ):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert f'<img src="{_photo_url(investment)}?v=' in html, url
        assert img in html, url


def test_a_photo_without_a_description_gets_a_plain_one(client, investment, member):
    _send(investment, member)
    client.force_login(member)
    html = client.get(reverse("investments:investment", args=[investment.pk])).content.decode()
    assert 'alt="Photo sent with update 1"' in html


def test_a_photo_is_public_only_with_the_groups_consent_and_an_officers_approval(client, investment, member):
    fund = investment.round.fund
    update = _send(investment, member, photo_consent=False)
    public = reverse("public:story_photo", args=[fund.slug, update.pk])
    story = reverse("public:story", args=[fund.slug, update.pk])
    approve_story(update=update, by=_officer(investment))
    assert client.get(public).status_code == 404  # approved, but nobody agreed to the photo
    assert public not in client.get(story).content.decode()

    ProgressUpdate.objects.filter(pk=update.pk).update(
        photo_consent=True, story_approved_at=None, photo_approved=False
    )
    assert client.get(public).status_code == 404  # agreed, but not approved

    update.refresh_from_db()
    approve_story(update=update, by=_officer(investment), with_photo=True)
    response = client.get(public)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert Image.open(io.BytesIO(response.content)).size == (640, 480)
    html = client.get(story).content.decode()
    assert f'<img src="{public}' in html and 'width="320" height="240"' in html

    # The officer may publish the words and keep the photo back.
    update.refresh_from_db()
    ProgressUpdate.objects.filter(pk=update.pk).update(story_approved_at=None)
    update.refresh_from_db()
    approve_story(update=update, by=_officer(investment), with_photo=False)
    assert client.get(public).status_code == 404
    assert client.get(story).status_code == 200


def test_the_update_form_asks_about_the_photo_and_defaults_to_not_publishing_it(client, investment, member):
    client.force_login(member)
    html = client.get(reverse("investments:update_form", args=[investment.pk, 1])).content.decode()
    assert "The people in the photo agreed to it being published" in html
    assert 'name="photo_consent"' in html and 'name="photo_consent" checked' not in html
    assert "Describe the photo (optional)" in html


def test_replacing_a_photo_removes_the_old_one_and_its_thumbnail(
    client, investment, member, django_capture_on_commit_callbacks
):
    first = _send(investment, member, send=False)
    client.force_login(member)
    assert client.get(_photo_url(investment)).status_code == 200
    storage = first.photo.storage
    old = first.photo.name
    [thumbnail] = [name for name in storage.listdir(old.rsplit("/", 1)[0])[1] if "-w640" in name]
    with django_capture_on_commit_callbacks(execute=True):
        _send(investment, member, photo=_jpeg(800, 600), send=False)
    assert not storage.exists(old)
    assert not storage.exists(f"{old.rsplit('/', 1)[0]}/{thumbnail}")
    image = Image.open(io.BytesIO(client.get(_photo_url(investment)).content))
    assert image.size == (640, 480)


def test_on_s3_the_photo_is_streamed_from_the_portals_own_address(client, investment, member, s3_storage):
    update = _send(investment, member)
    client.force_login(member)
    response = client.get(_photo_url(investment))
    assert response.status_code == 200  # never a redirect: the page's policy allows images from 'self'
    assert Image.open(io.BytesIO(response.content)).size == (640, 480)
    folder = update.photo.name.rsplit("/", 1)[0]
    assert len(s3_storage.listdir(folder)[1]) == 2  # the photo and its thumbnail, made once
    again = client.get(_photo_url(investment))
    assert again.content == response.content
    assert len(s3_storage.listdir(folder)[1]) == 2
    delete_photo(s3_storage, update.photo.name)  # the bucket is shared by the whole test run
    assert s3_storage.listdir(folder)[1] == []


def test_a_photo_kept_from_before_the_pixel_limit_is_not_decoded_for_a_thumbnail(
    client, investment, member, settings, caplog
):
    _send(investment, member)
    settings.UPLOAD_MAX_PIXELS = 1000  # as if the photo had come before a lower limit
    client.force_login(member)
    with caplog.at_level("WARNING", logger="investments.photos"):
        response = client.get(_photo_url(investment))
    assert response.status_code == 404
    assert "1,600 × 1,200 pixels is too large" in caplog.text


def test_the_officer_reads_the_photos_description_and_the_public_page_keeps_an_anonymous_story_unnamed(
    client, investment, member
):
    update = _send(investment, member, photo_consent=True, description="Jean Smith at the stall")
    ProgressUpdate.objects.filter(pk=update.pk).update(story_anonymous=True)
    officer = _officer(investment)
    client.force_login(officer)
    page = client.get(reverse("investments:oversight_investment", args=[investment.pk])).content.decode()
    assert "The group describes it as: “Jean Smith at the stall”" in page
    approve_story(update=update, by=officer, with_photo=True)
    client.logout()
    story = client.get(reverse("public:story", args=[investment.round.fund.slug, update.pk])).content.decode()
    assert 'alt="A photo from this story"' in story
    assert "Jean Smith" not in story


def test_a_photo_chosen_with_another_mistake_on_the_page_is_asked_for_again(client, investment, member):
    client.force_login(member)
    response = client.post(
        _photo_url(investment).removesuffix("photo/"),
        {"people_reached": "lots", "photo": SimpleUploadedFile("garden.jpg", _jpeg(), "image/jpeg")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the number of people as a whole number" in page
    assert "<title>Error: Your update" in page and "Error: Error:" not in page
    assert "The photo you chose was not saved because of the problems above. Choose it again" in page


@pytest.mark.parametrize("orientation", range(1, 9))
def test_each_camera_orientation_is_turned_as_the_camera_meant(orientation):
    """A copy is turned the way Pillow's own ``exif_transpose`` turns the picture: the red corner
    ends up where it should, whatever the shrinking did first."""
    from investments.photos import small_copy

    picture = Image.new("RGB", (400, 200), "white")
    picture.paste((220, 0, 0), (0, 0, 100, 50))  # a red top-left corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = io.BytesIO()
    picture.save(stored, "JPEG", exif=exif.tobytes(), quality=95)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(stored.getvalue()))).resize((100, 100))
    copy = Image.open(io.BytesIO(small_copy(io.BytesIO(stored.getvalue()), fit=(100, 100)))).convert("RGB")
    copy = copy.resize((100, 100))
    corners = [(5, 5), (94, 5), (5, 94), (94, 94)]
    assert [copy.getpixel(c)[1] < 100 for c in corners] == [expected.getpixel(c)[1] < 100 for c in corners]
