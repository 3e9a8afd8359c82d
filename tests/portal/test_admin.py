"""The Django admin works for every model, for the portal's administrators."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    BudgetLineFactory,
    CriterionFactory,
    DocumentFactory,
    FundRoleFactory,
    GoalFactory,
    InvitationFactory,
    MatchFundingFactory,
    MembershipFactory,
    PartnerFactory,
    TierAllocationFactory,
    UserFactory,
    fund_with_tiers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    person = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(person)
    return person


def test_every_registered_model_has_working_list_add_and_change_pages(client, administrator):
    fund = fund_with_tiers()
    allocation = TierAllocationFactory(round__fund=fund, tier=fund.tiers.first())
    CriterionFactory(round=allocation.round)
    FundRoleFactory(fund=fund)
    application = ApplicationFactory()
    for make in (GoalFactory, BudgetLineFactory, MatchFundingFactory, PartnerFactory, DocumentFactory):
        make(application=application)
    ApplicationVersionFactory(application=application)
    InvitationFactory(organisation=application.organisation)
    MembershipFactory(organisation=application.organisation)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(_request(administrator)):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client.get(add).status_code == 200, add
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_refuses_tier_bands_with_a_gap(client, administrator):
    fund = fund_with_tiers()
    small, start_up, big = fund.tiers.all()
    data = {
        "name": fund.name,
        "slug": fund.slug,
        "council_name": fund.council_name,
        "description": "",
        "org_identifier": fund.org_identifier,
        "grant_prefix": fund.grant_prefix,
        "reference_prefix": fund.reference_prefix,
        "currency": "GBP",
        "tiers-TOTAL_FORMS": "3",
        "tiers-INITIAL_FORMS": "3",
        "places-TOTAL_FORMS": "0",
        "places-INITIAL_FORMS": "0",
        "themes-TOTAL_FORMS": "0",
        "themes-INITIAL_FORMS": "0",
    }
    for index, tier in enumerate((small, start_up, big)):
        data.update(
            {
                f"tiers-{index}-id": str(tier.pk),
                f"tiers-{index}-fund": str(fund.pk),
                f"tiers-{index}-name": tier.name,
                f"tiers-{index}-minimum_amount": str(tier.minimum_amount),
                f"tiers-{index}-maximum_amount": ""
                if tier.maximum_amount is None
                else str(tier.maximum_amount),
                f"tiers-{index}-decision_route": tier.decision_route,
                f"tiers-{index}-reviewers_needed": str(tier.reviewers_needed),
                f"tiers-{index}-update_cadence_months": str(tier.update_cadence_months),
                f"tiers-{index}-mentor_policy": tier.mentor_policy,
            }
        )
    data["tiers-1-minimum_amount"] = "2000.02"
    response = client.post(reverse("admin:fund_fund_change", args=[fund.pk]), data)
    assert response.status_code == 200
    assert "Start-up should start at £2,000.01" in response.content.decode()
    start_up.refresh_from_db()
    assert str(start_up.minimum_amount) == "2000.01"
