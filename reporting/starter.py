"""The starter set of financial proxies a new fund begins with.

Every value is traced to the publication it comes from, with the year and the price base the
pounds are in. The adjustments (deadweight, attribution, displacement, drop-off and duration) are
the portal's cautious starting assumptions, not the sources' figures. Every proxy arrives marked
for finance to review: the values are old enough to need uplifting to today's prices, and finance
should replace them with the Greater Manchester Unit Cost Database's or, under licence, the HACT UK
Social Value Bank's figures where the council uses those. See docs/decisions.md.
"""

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from fund.models import Fund
from reporting.models import FinancialProxy, ProxyVersion

PSNC_UNIT_COSTS = (
    "https://psnc.org.uk/lpcs-and-local/locally-commissioned-services/"
    "essential-facts-stats-and-quotes/costs-of-other-nhs-providers/"
)

STARTER_PROXIES: list[dict] = [
    {
        "name": "Person into work from out-of-work benefits",
        "unit": "person moved from out-of-work benefits into a job paying the Living Wage",
        "value": Decimal("6897.00"),
        "kind": ProxyVersion.Kind.FISCAL,
        "source": "Joseph Rowntree Foundation, The benefits of tackling worklessness and low pay "
        "(Bivand and Simmonds, 2014)",
        "source_url": "https://www.jrf.org.uk/report/benefits-tackling-worklessness-and-low-pay",
        "source_year": 2014,
        "price_base": "2013",
        "deadweight": Decimal("0.25"),
        "attribution": Decimal("0.30"),
        "displacement": Decimal("0.10"),
        "drop_off": Decimal("0.25"),
        "duration_years": 2,
        "notes": "The average gain to government (benefits no longer paid, tax and National "
        "Insurance received) for each out-of-work claimant who moved into a Living Wage job "
        "(then £7.45 an hour). Count people who have kept the job for at least three months.",
    },
    {
        "name": "GP appointment avoided",
        "unit": "GP surgery consultation no longer needed",
        "value": Decimal("33.00"),
        "kind": ProxyVersion.Kind.FISCAL,
        "source": "PSSRU, Unit Costs of Health and Social Care 2015, as quoted by PSNC: an "
        "11.7-minute surgery consultation costs £33 to £44 (the lower figure is used)",
        "source_url": PSNC_UNIT_COSTS,
        "source_year": 2015,
        "price_base": "2014/15",
        "deadweight": Decimal("0.30"),
        "attribution": Decimal("0.30"),
        "displacement": Decimal("0"),
        "drop_off": Decimal("0"),
        "duration_years": 1,
        "notes": "Use where people report, or a health partner confirms, fewer visits to the "
        "GP because of the project. Count appointments avoided in the year.",
    },
    {
        "name": "A&E attendance avoided",
        "unit": "attendance at A&E no longer needed",
        "value": Decimal("132.00"),
        "kind": ProxyVersion.Kind.FISCAL,
        "source": "Department of Health, Reference costs 2014/15, as quoted by PSNC: the average "
        "cost of seeing a consultant in A&E",
        "source_url": PSNC_UNIT_COSTS,
        "source_year": 2015,
        "price_base": "2014/15",
        "deadweight": Decimal("0.30"),
        "attribution": Decimal("0.40"),
        "displacement": Decimal("0"),
        "drop_off": Decimal("0"),
        "duration_years": 1,
        "notes": "For falls prevention, befriending and similar projects where fewer emergency "
        "visits can be shown. Count attendances avoided in the year.",
    },
    {
        "name": "Regular volunteering",
        "unit": "person volunteering regularly for a year",
        "value": Decimal("3400.00"),
        "kind": ProxyVersion.Kind.SOCIAL,
        "source": "Measure Up, Volunteering regularly: about £1,800 of time (8 hours a month at "
        "ONS average hourly earnings) plus about £1,600 of wellbeing to the volunteer",
        "source_url": "https://measure-up.org/mu-outcomes/volunteering/",
        "source_year": 2024,
        "price_base": "2023",
        "deadweight": Decimal("0.20"),
        "attribution": Decimal("0.20"),
        "displacement": Decimal("0"),
        "drop_off": Decimal("0.50"),
        "duration_years": 1,
        "notes": "Count people who volunteer at least monthly through the project. Do not also "
        "value the same people's hours with 'Volunteer hour'.",
    },
    {
        "name": "Volunteer hour",
        "unit": "hour given by a volunteer",
        "value": Decimal("19.00"),
        "kind": ProxyVersion.Kind.SOCIAL,
        "source": "ONS average weekly earnings (£673) divided by a 35-hour week, as worked by Measure Up",
        "source_url": "https://measure-up.org/mu-outcomes/volunteering/",
        "source_year": 2024,
        "price_base": "2023",
        "deadweight": Decimal("0.10"),
        "attribution": Decimal("0"),
        "displacement": Decimal("0"),
        "drop_off": Decimal("0"),
        "duration_years": 1,
        "notes": "The value of volunteers' time to the community, from the hours groups report "
        "in their updates.",
    },
]


@transaction.atomic
def load_starter_proxies(*, fund: Fund, by: User | None = None) -> int:
    """Add the starter proxies the fund does not have yet (matched by name); how many were added."""
    have = set(ProxyVersion.objects.filter(proxy__fund=fund).values_list("name", flat=True))
    added = 0
    for values in STARTER_PROXIES:
        if values["name"] in have:
            continue
        proxy = FinancialProxy.objects.create(fund=fund)
        ProxyVersion.objects.create(
            proxy=proxy, number=1, needs_review=True, created_by=by, change_reason="Starter set", **values
        )
        added += 1
    return added
