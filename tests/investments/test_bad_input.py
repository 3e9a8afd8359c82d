"""Bad input after an award: each refused with a message saying how to put it right."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fund.models import FundRole
from investments.models import Payment, ProgressUpdate
from investments.services.goal_changes import agree, propose
from investments.services.monitoring import GoalAnswer, save_update
from investments.services.payments import record_payment
from kit.errors import RuleError
from tests.factories import PDF_BYTES, UserFactory, awarded_investment, first_update_due_now, staff
from tests.support.images import png, png_claiming

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def investment(member):
    return awarded_investment(member=member, start_date=first_update_due_now())


def _officer(investment):
    return investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user


def _update_url(investment, number=1):
    return reverse("investments:update_form", args=[investment.pk, number])


def test_a_payment_over_what_is_left_of_the_tranche_is_refused(investment):
    finance = staff(FundRole.Role.FINANCE, investment.round.fund)
    first = investment.payments.get(number=1)
    with pytest.raises(RuleError) as error:
        record_payment(
            payment=first, by=finance, paid_on=timezone.localdate(), amount=Decimal("2500.01"), reference="X1"
        )
    assert error.value.message_dict == {"amount": ["Payment 1 is £2,500: enter £2,500 or less"]}
    assert not Payment.objects.exclude(status=Payment.Status.SCHEDULED).exists()


def test_a_tranche_with_unmet_conditions_cannot_be_marked_paid(client, investment):
    finance = staff(FundRole.Role.FINANCE, investment.round.fund)
    second = investment.payments.get(number=2)
    assert second.release_conditions == [Payment.Condition.UPDATE_ACKNOWLEDGED]
    client.force_login(finance)
    today = timezone.localdate()
    response = client.post(
        reverse("investments:record_payment", args=[investment.pk, 2]),
        {
            "payment-2-paid_on_0": today.day,
            "payment-2-paid_on_1": today.month,
            "payment-2-paid_on_2": today.year,
            "payment-2-amount": "2500",
            "payment-2-reference": "BACS-2",
        },
    )
    assert response.status_code == 400
    assert (
        "Payment 2 cannot be released yet: every update due so far must be sent" in response.content.decode()
    )
    second.refresh_from_db()
    assert second.status == Payment.Status.SCHEDULED


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_typed_is_lost(client, investment, member):
    goal = investment.application.goals.current().get()
    client.force_login(member)
    response = client.post(
        _update_url(investment),
        {
            f"goal_{goal.pk}_status": "on_track",
            "story": "Our story",
            "story_consent": "on",
            "photo": SimpleUploadedFile("photo.jpg", PDF_BYTES, "image/jpeg"),
        },
    )
    html = response.content.decode()
    assert "The selected file must be a photo: a JPG or PNG" in html
    assert "Our story</textarea>" in html
    assert investment.updates.get(number=1).status == ProgressUpdate.Status.DUE


def test_an_oversized_photo_is_refused(client, investment, member, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    client.force_login(member)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096
    response = client.post(_update_url(investment), {"photo": SimpleUploadedFile("p.png", png, "image/png")})
    assert "The selected photo must be smaller than 2KB" in response.content.decode()


def test_a_photo_of_too_many_pixels_is_refused_from_its_header_and_nothing_typed_is_lost(
    client, investment, member
):
    # A few hundred bytes on disk, 169 million pixels once decoded.
    bomb = png_claiming(13_000, 13_000)
    client.force_login(member)
    response = client.post(
        _update_url(investment),
        {"story": "Our story", "photo": SimpleUploadedFile("garden.png", bomb, "image/png")},
    )
    html = response.content.decode()
    assert (
        "The selected photo is too large: 13,000 × 13,000 pixels. Choose a photo of 40 megapixels or fewer"
        in html
    )
    assert "Our story</textarea>" in html
    assert not investment.updates.get(number=1).photo


def test_the_pixel_limit_is_a_setting_and_a_photo_within_it_is_kept(client, investment, member, settings):
    settings.UPLOAD_MAX_PIXELS = 2_500_000
    client.force_login(member)
    refused = client.post(
        _update_url(investment), {"photo": SimpleUploadedFile("p.png", png_claiming(2001, 1250), "image/png")}
    )
    assert "2,001 × 1,250 pixels. Choose a photo of 2.5 megapixels or fewer" in refused.content.decode()
    client.post(
        _update_url(investment),
        {"photo": SimpleUploadedFile("p.png", png(2000, 1250), "image/png"), "later": "1"},
    )
    assert investment.updates.get(number=1).photo


def test_a_damaged_photo_is_refused(client, investment, member):
    client.force_login(member)
    damaged = b"\x89PNG\r\n\x1a\n" + b"not a picture" * 20
    response = client.post(
        _update_url(investment), {"photo": SimpleUploadedFile("p.png", damaged, "image/png")}
    )
    assert "The selected photo could not be opened: it may be damaged. Choose another JPG or PNG" in (
        response.content.decode()
    )


def test_an_update_for_someone_elses_investment_is_not_found_and_refused(client, investment):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(_update_url(investment)).status_code == 404
    goal = investment.application.goals.current().get()
    with pytest.raises(RuleError, match="Only the group's members"):
        save_update(
            update=investment.updates.get(number=1),
            by=stranger,
            goals={goal.pk: GoalAnswer("on_track", None, "")},
        )


def test_a_retired_goal_cannot_be_reported_on(investment, member):
    goal = investment.application.goals.current().get()
    change = propose(
        investment=investment,
        by=member,
        kind="change",
        goal=goal,
        reason="New direction",
        description="A new aim",
    )
    agree(change=change, by=_officer(investment))
    with pytest.raises(RuleError) as error:
        save_update(
            update=investment.updates.get(number=1),
            by=member,
            goals={goal.pk: GoalAnswer("on_track", None, "")},
        )
    assert "report on the goal as it is now" in error.value.message_dict[f"goal_{goal.pk}_status"][0]


def test_a_story_needs_the_persons_consent(client, investment, member):
    client.force_login(member)
    response = client.post(_update_url(investment), {"story": "Jo's story"})
    assert "Confirm the person agreed to their story being shared" in response.content.decode()


def test_sending_without_saying_how_each_goal_is_going_is_refused(client, investment, member):
    client.force_login(member)
    client.post(_update_url(investment), {})
    response = client.post(reverse("investments:update_check", args=[investment.pk, 1]))
    assert "Say how ‘" in response.content.decode()
    assert investment.updates.get(number=1).status == ProgressUpdate.Status.DRAFT


def test_negative_people_reached_is_refused(client, investment, member):
    client.force_login(member)
    response = client.post(_update_url(investment), {"people_reached": "-3"})
    assert "The number of people cannot be less than 0" in response.content.decode()


def test_changing_tack_needs_a_reason_and_one_goal_must_stay(client, investment, member):
    goal = investment.application.goals.current().get()
    client.force_login(member)
    response = client.post(
        reverse("investments:goal_change", args=[investment.pk, goal.pk]), {"description": "New aim"}
    )
    assert "Enter why you are changing tack" in response.content.decode()
    response = client.post(
        reverse("investments:goal_retire", args=[investment.pk, goal.pk]), {"reason": "Done"}
    )
    assert "Keep at least one goal: change this one instead of stopping it" in response.content.decode()
    assert investment.application.goals.current().get() == goal


def test_a_sent_update_cannot_be_changed(client, investment, member):
    update = investment.updates.get(number=1)
    update.status = ProgressUpdate.Status.SUBMITTED
    update.save()
    client.force_login(member)
    response = client.post(_update_url(investment), {"story": "Changed"}, follow=True)
    assert "This update has been sent, so it can no longer be changed." in response.content.decode()
    update.refresh_from_db()
    assert update.story == ""


def test_closing_needs_the_final_update_or_a_reason_for_ending_early(investment, member):
    from investments.services.monitoring import close_investment, submit_update

    officer = _officer(investment)
    with pytest.raises(RuleError, match="has not sent its final update yet"):
        close_investment(investment=investment, by=officer, outcome="self_sustaining")
    with pytest.raises(RuleError) as error:
        close_investment(investment=investment, by=officer, ended_early=True)
    assert error.value.message_dict == {"end_reason": ["Say why the investment is ending early"]}

    goal = investment.application.goals.current().get()
    final = investment.updates.get(final=True)
    save_update(
        update=final, by=member, goals={goal.pk: GoalAnswer("on_track", None, "")}, today=final.due_date
    )
    submit_update(update=final, by=member, today=final.due_date)
    closed = close_investment(
        investment=investment, by=officer, outcome="self_sustaining", lessons="Start the café sooner."
    )
    assert (closed.status, closed.outcome) == ("completed", "self_sustaining")
    with pytest.raises(RuleError, match="This investment has closed"):
        propose(
            investment=investment, by=member, kind="change", goal=goal, reason="Too late", description="x"
        )
