"""Goals and the budget each on one page: a row per goal (up to five) and a table of budget lines
with "Add another line" that works without JavaScript; nothing typed is lost to a mistake."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import BudgetLine, Goal
from tests.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    GoalFactory,
    OrganisationFactory,
    RoundFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    person = UserFactory()
    client.force_login(person)
    return person


@pytest.fixture
def application(member):
    return ApplicationFactory(organisation=OrganisationFactory(members=[member]))


def _goal_rows(*rows, initial=None):
    data = {"goals-TOTAL_FORMS": "5", "goals-INITIAL_FORMS": str(initial if initial is not None else 5)}
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"goals-{number}-{key}"] = value
    return data


def _budget_rows(*rows, initial=None):
    data = {"budget-TOTAL_FORMS": str(len(rows)), "budget-INITIAL_FORMS": str(initial or len(rows))}
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"budget-{number}-{key}"] = value
    return data


def test_goals_are_set_on_one_page(client, application):
    theme = ThemeFactory(fund=application.round.fund, name="Less loneliness")
    url = reverse("applications:section_goals", args=[application.pk])
    page = client.get(url).content.decode()
    assert page.count("What will be different for local people?") == 5
    response = client.post(
        url,
        {
            **_goal_rows(
                {"description": "Fewer people feel alone", "themes": str(theme.pk)},
                {"description": "More people learn to knit", "indicator": "People who come back"},
                {},
                {"description": "Blankets for the hospice"},
            ),
            "completed": "yes",
        },
    )
    assert response.status_code == 302
    goals = list(application.goals.order_by("position"))
    assert [goal.description for goal in goals] == [
        "Fewer people feel alone",
        "More people learn to knit",
        "Blankets for the hospice",
    ]
    assert [goal.position for goal in goals] == [1, 2, 3]
    assert list(goals[0].themes.all()) == [theme] and goals[1].indicator == "People who come back"
    application.refresh_from_db()
    assert "goals" in application.completed_sections


def test_a_goal_is_changed_or_removed_on_the_same_page(client, application):
    keep = GoalFactory(application=application, description="Fewer people feel alone", position=1)
    ticked = GoalFactory(application=application, description="More people learn to knit", position=2)
    cleared = GoalFactory(application=application, description="Blankets", position=3)
    url = reverse("applications:section_goals", args=[application.pk])
    response = client.post(
        url,
        {
            **_goal_rows(
                {"goal": keep.pk, "description": "Fewer older people feel alone"},
                {"goal": ticked.pk, "description": "More people learn to knit", "remove": "on"},
                {"goal": cleared.pk, "description": ""},
            ),
            "later": "",
        },
    )
    assert response.status_code == 302
    assert [goal.description for goal in Goal.objects.filter(application=application)] == [
        "Fewer older people feel alone"
    ]


def test_completing_goals_with_none_says_so_and_keeps_the_page(client, application):
    url = reverse("applications:section_goals", args=[application.pk])
    response = client.post(url, {**_goal_rows(), "completed": "yes"})
    assert response.status_code == 400
    assert "Add at least one goal" in response.content.decode()


def test_a_goal_with_only_its_measure_asks_for_what_will_be_different(client, application):
    url = reverse("applications:section_goals", args=[application.pk])
    response = client.post(
        url,
        {
            **_goal_rows({"description": "Fewer people feel alone"}, {"indicator": "Smiles"}),
            "completed": "yes",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Say what will be different for local people" in page
    assert "Fewer people feel alone" in page and 'value="Smiles"' in page
    assert not Goal.objects.exists()


def test_another_applications_goal_cannot_be_changed_from_here(client, application):
    theirs = GoalFactory(application=ApplicationFactory(), description="Theirs")
    url = reverse("applications:section_goals", args=[application.pk])
    response = client.post(
        url, {**_goal_rows({"goal": theirs.pk, "description": "Mine now"}), "completed": "no"}
    )
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.description == "Theirs"


def test_budget_lines_are_a_table_on_one_page(client, application):
    url = reverse("applications:section_budget", args=[application.pk])
    page = client.get(url).content.decode()
    assert "What it is for, line 3" in page and "What it is for, line 4" not in page
    response = client.post(
        url,
        {
            **_budget_rows(
                {"item": "Wool and needles", "amount": "£700"},
                {"item": "Tea", "amount": "300.00"},
                {"item": "Room hire", "amount": "500"},
            ),
            "completed": "yes",
        },
    )
    assert response.status_code == 302
    assert sorted(BudgetLine.objects.values_list("item", "amount")) == [
        ("Room hire", Decimal("500.00")),
        ("Tea", Decimal("300.00")),
        ("Wool and needles", Decimal("700.00")),
    ]


def test_add_another_line_keeps_what_was_typed_and_saves_nothing(client, application):
    url = reverse("applications:section_budget", args=[application.pk])
    response = client.post(
        url,
        {
            **_budget_rows({"item": "Wool", "amount": "700"}, {"item": "Tea", "amount": "3OO"}, {}),
            "add_line": "1",
        },
    )
    page = response.content.decode()
    assert "What it is for, line 4" in page
    assert 'value="Wool"' in page and 'value="3OO"' in page
    assert not BudgetLine.objects.exists()


BAD_LINES = [
    ({"item": "Wool", "amount": ""}, "Enter the cost of ‘Wool’"),
    ({"item": "", "amount": "250"}, "Say what this cost is for"),
    ({"item": "Wool", "amount": "lots"}, "Enter the cost as a number of pounds"),
    ({"item": "Wool", "amount": "0"}, "The cost must be at least £0.01"),
    ({"item": "Wool", "amount": "12.345"}, "no more than 2 decimal places"),
    ({"item": "Two\nlines", "amount": "5"}, "must be on one line"),
]


@pytest.mark.parametrize(("row", "message"), BAD_LINES)
def test_a_bad_budget_line_is_named_and_nothing_typed_is_lost(client, application, row, message):
    url = reverse("applications:section_budget", args=[application.pk])
    response = client.post(
        url, {**_budget_rows({"item": "Room hire", "amount": "500"}, row), "completed": "yes"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert 'value="Room hire"' in page
    assert not BudgetLine.objects.exists()


def test_a_line_is_changed_or_removed_in_the_table(client, application):
    wool = BudgetLineFactory(application=application, item="Wool", amount=Decimal("700"))
    tea = BudgetLineFactory(application=application, item="Tea", amount=Decimal("300"))
    url = reverse("applications:section_budget", args=[application.pk])
    response = client.post(
        url,
        {
            **_budget_rows(
                {"line": wool.pk, "item": "Wool and needles", "amount": "1500"},
                {"line": tea.pk, "item": "Tea", "amount": "300", "remove": "on"},
                {},
            ),
            "completed": "yes",
        },
    )
    assert response.status_code == 302
    assert list(BudgetLine.objects.values_list("item", "amount")) == [
        ("Wool and needles", Decimal("1500.00"))
    ]


def test_a_budget_over_several_years_has_a_year_for_each_line(client, member):
    application = ApplicationFactory(
        organisation=OrganisationFactory(members=[member]), amount_requested=25000
    )
    years = application.tier.budget_years
    assert years > 1
    url = reverse("applications:section_budget", args=[application.pk])
    assert "Year of line 1" in client.get(url).content.decode()
    client.post(url, {**_budget_rows({"item": "Hall", "amount": "25000", "year": str(years)}), "later": ""})
    assert BudgetLine.objects.get().year == years
    response = client.post(url, {**_budget_rows({"item": "Hall", "amount": "1", "year": "9"}), "later": ""})
    assert "Choose one of the years shown" in response.content.decode()


def test_a_new_group_goes_straight_on_to_applying_while_a_round_is_open(client, member):
    data = {
        "name": "Leigh Knit and Natter",
        "legal_form": "unincorporated",
        "address_line_1": "1 Bradshawgate",
        "town": "Leigh",
        "postcode": "WN7 1DQ",
        "contact_name": "Sam Hughes",
        "contact_email": "sam@example.org",
    }
    response = client.post(reverse("organisations:organisation_create"), data)
    assert response.status_code == 302 and response.url == reverse("applications:applicant_home"), (
        response.context and response.context["form"].errors
    )
    RoundFactory()
    response = client.post(reverse("organisations:organisation_create"), {**data, "name": "Leigh Choir"})
    assert "/apply/" in response.url
