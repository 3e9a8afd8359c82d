"""Bad input in mentoring: each refused with a message saying how to put it right."""

import pytest

from fund.models import FundRole
from kit.errors import RuleError
from mentoring.models import MentorProfile
from mentoring.services import assign_mentor
from tests.factories import UserFactory, awarded_investment, first_update_due_now, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def investment(member):
    return awarded_investment(member=member, start_date=first_update_due_now())


def _officer(investment):
    return investment.round.fund.roles.get(role=FundRole.Role.OFFICER).user


def test_a_mentor_over_capacity_needs_a_reason(investment):
    officer = _officer(investment)
    mentor = staff(FundRole.Role.MENTOR, investment.round.fund, full_name="Busy Mentor")
    MentorProfile.objects.create(user=mentor, capacity=0)
    with pytest.raises(RuleError) as error:
        assign_mentor(investment=investment, mentor=mentor, by=officer)
    assert "already mentors 0 investments, their capacity" in error.value.message_dict["override_reason"][0]
    assign_mentor(investment=investment, mentor=mentor, by=officer, override_reason="Knows the group well")
    assert investment.mentor_assignments.current().get().override_reason == "Knows the group well"
