"""Every main page of every role fits a 390 px phone screen: nothing runs off the right-hand
edge and the page never scrolls sideways. The demo fund gives each page realistic content."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from applications.models import Application
from assessment import services as assessment
from assessment.models import Review
from fund.models import Fund
from investments.models import Investment, ProgressUpdate
from organisations.models import Invitation
from reporting.models import FinancialProxy
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Elements reaching past the right-hand edge, unless a scrolling box of their own holds them or
# they are hidden for screen readers only (GOV.UK's visually hidden text is clipped to nothing).
OVERFLOW = """() => {
  const edge = document.documentElement.clientWidth;
  const heldByAScroller = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  const hiddenForScreenReadersOnly = (element) => {
    for (let box = element; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.clipPath !== "none" || style.clip !== "auto") return true;
    }
    return false;
  };
  const name = (element) => {
    const text = (element.innerText || element.value || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    return `<${element.tagName.toLowerCase()} class="${element.className}"> ${text}`;
  };
  const over = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= edge + 0.5) continue;
    if (getComputedStyle(element).visibility === "hidden" || hiddenForScreenReadersOnly(element)) continue;
    if (heldByAScroller(element) || over.some((outer) => outer.contains(element))) continue;
    over.push(element);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    over: over.map(
      (element) => `${name(element)} (right edge at ${Math.round(element.getBoundingClientRect().right)} px)`
    ),
  };
}"""


def _fits(tab, url: str) -> list[str]:
    response = tab.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    found = tab.evaluate(OVERFLOW)
    problems = []
    if found["scrollWidth"] > PHONE["width"]:
        problems.append(f"{url} is {found['scrollWidth']} px wide")
    problems += [f"{url}: {element}" for element in found["over"]]
    return problems


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return Fund.objects.get()


def test_every_roles_main_pages_fit_a_390_px_screen(demo, page, person):
    fund = demo
    officer = User.objects.get(email="officer@demo.example")
    panel = User.objects.get(email="panel@demo.example")
    review = Review.objects.get(reviewer=panel)
    if review.status == Review.Status.ASSIGNED:
        assessment.declare_interest(review=review, by=panel, conflict=False)
    big_idea = review.application
    shed = Investment.objects.get(application__organisation__name="Atherton Men's Shed")
    past = Investment.objects.filter(round__fund=fund).exclude(pk=shed.pk).order_by("pk").first()
    draft = Application.objects.get(status=Application.Status.DRAFT)
    round = draft.round
    story = ProgressUpdate.objects.published_stories().first()
    proxy = FinancialProxy.objects.filter(fund=fund).first()
    invitation = Invitation.objects.create(organisation=draft.organisation, email="new@example.org")
    venue = round.question_sections.get(title="Where it happens")
    question = venue.questions.first()
    meeting = big_idea.round.meetings.get()

    pages = {
        None: [
            "/",
            f"/funds/{fund.slug}/",
            f"/funds/{fund.slug}/funded/",
            f"/funds/{fund.slug}/stories/{story.pk}/",
            "/accounts/login/",
            "/accounts/signup/",
            f"/invitations/{invitation.token}/",
            "/privacy/",
        ],
        "applicant@demo.example": [
            "/home/",
            "/notifications/",
            "/notifications/choices/",
            "/applications/",
            f"/groups/{draft.organisation.pk}/",
            f"/applications/{draft.pk}/",
            f"/applications/{draft.pk}/budget/",
            f"/applications/{draft.pk}/goals/",
            f"/applications/{draft.pk}/check/",
            f"/applications/{draft.pk}/questions/{venue.pk}/",
        ],
        "hub@demo.example": ["/applications/", f"/applications/{big_idea.pk}/"],
        "shed@demo.example": [
            "/home/",
            "/applications/",
            f"/investments/{shed.pk}/",
            f"/investments/{shed.pk}/goals/",
            f"/investments/{shed.pk}/goals/add/",
            f"/groups/{shed.application.organisation.pk}/bank-details/",
            f"/investments/{shed.pk}/offer/",
        ],
        officer.email: [
            "/home/",
            "/manage/",
            f"/manage/funds/{fund.slug}/",
            f"/manage/rounds/{round.pk}/",
            f"/manage/rounds/{round.pk}/questions/",
            f"/manage/question-sections/{venue.pk}/preview/",
            f"/manage/questions/{question.pk}/",
            f"/manage/question-sections/{venue.pk}/questions/new/one_of/",
            f"/manage/funds/{fund.slug}/question-library/",
            "/manage/applications/",
            f"/manage/rounds/{round.pk}/applications/",
            f"/manage/rounds/{big_idea.round.pk}/panel/",
            f"/manage/rounds/{big_idea.round.pk}/meetings/",
            f"/manage/meetings/{meeting.pk}/",
            f"/manage/meetings/{meeting.pk}/applications/{big_idea.pk}/",
            f"/manage/meetings/{meeting.pk}/release/",
            f"/manage/funds/{fund.slug}/settings/",
            f"/manage/applications/{big_idea.pk}/",
            "/manage/investments/",
            f"/manage/investments/{past.pk}/",
            f"/manage/investments/{shed.pk}/",
            f"/manage/investments/{shed.pk}/goal-changes/{shed.goal_changes.get().pk}/",
            f"/audit/investments/{past.pk}/",
        ],
        "finance@demo.example": [
            "/home/",
            "/finance/",
            f"/manage/payments/investments/{past.pk}/",
            f"/manage/payments/investments/{shed.pk}/bank-details/",
            f"/finance/funds/{fund.slug}/payment-runs/",
            f"/finance/funds/{fund.slug}/payment-runs/new/",
            f"/finance/funds/{fund.slug}/proxies/",
            f"/finance/funds/{fund.slug}/proxies/{proxy.pk}/",
            f"/finance/funds/{fund.slug}/social-value/",
            f"/finance/investments/{past.pk}/outcomes/",
            f"/finance/investments/{past.pk}/outcomes/add/",
        ],
        panel.email: ["/home/", "/panel/", f"/panel/reviews/{review.pk}/"],
        "mentor@demo.example": ["/home/", "/mentoring/", f"/mentoring/investments/{shed.pk}/"],
    }
    problems = []
    for email, urls in pages.items():
        tab = page if email is None else person(User.objects.get(email=email))
        tab.set_viewport_size(PHONE)
        for url in urls:
            problems += _fits(tab, url)
    assert not problems, "Pages wider than a 390 px screen:\n" + "\n".join(problems)
