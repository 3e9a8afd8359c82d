"""The SROI engine against cases worked by hand."""

from decimal import Decimal

import pytest

from reporting.sroi import Outcome, evaluate, sensitivity, yearly_impact

D = Decimal


def test_the_sroi_guides_drop_off_pattern():
    outcome = Outcome(quantity=D(100), proxy_value=D(1), drop_off=D("0.10"), duration_years=3)
    assert yearly_impact(outcome) == [D(100), D(90), D(81)]
    result = evaluate([outcome], investment=D(100), discount_rate=D(0))
    assert result.yearly_values == (D("100.00"), D("90.00"), D("81.00"))
    assert result.present_value == D("271.00")


def test_year_one_is_discounted_too():
    result = evaluate([Outcome(quantity=D(1), proxy_value=D("103.50"))], investment=D(50))
    # 103.50 / 1.035 = 100
    assert result.present_value == D("100.00")
    assert result.net_present_value == D("50.00")
    assert (result.ratio, result.net_ratio) == (D("2.00"), D("1.00"))


def test_two_years_at_the_green_book_rate():
    result = evaluate([Outcome(quantity=D(10), proxy_value=D(100), duration_years=2)], investment=D(1000))
    # 1000/1.035 + 1000/1.035**2 = 966.1836 + 933.5107 = 1899.6943
    assert result.present_value == D("1899.69")
    assert result.ratio == D("1.90")


def test_deadweight_displacement_and_attribution_each_take_their_share():
    outcome = Outcome(
        quantity=D(10),
        proxy_value=D(1000),
        deadweight=D("0.20"),
        displacement=D("0.10"),
        attribution=D("0.25"),
    )
    # 10 * 1000 * 0.8 * 0.9 * 0.75 = 5400
    assert evaluate([outcome], investment=D(1000), discount_rate=D(0)).present_value == D("5400.00")


def test_fiscal_and_social_value_are_kept_apart_and_add_up():
    into_work = Outcome(quantity=D(4), proxy_value=D("10000"), deadweight=D("0.5"), fiscal=True)
    wellbeing = Outcome(quantity=D(30), proxy_value=D("1500"), drop_off=D("0.5"), duration_years=2)
    result = evaluate([into_work, wellbeing], investment=D("40000"), discount_rate=D(0))
    assert result.fiscal_present_value == D("20000.00")
    assert result.social_present_value == D("67500.00")  # 45000 + 22500
    assert result.present_value == D("87500.00")
    assert result.yearly_values == (D("65000.00"), D("22500.00"))
    assert (result.ratio, result.net_ratio) == (D("2.19"), D("1.19"))


def test_money_rounds_half_a_penny_up_only_in_the_result():
    result = evaluate([Outcome(quantity=D(1), proxy_value=D("10.125"))], investment=D(3), discount_rate=D(0))
    assert result.present_value == D("10.13")
    # Full precision inside: three outcomes of 10.125 are 30.375, not 3 x 10.13.
    three = evaluate([Outcome(quantity=D(3), proxy_value=D("10.125"))], investment=D(3), discount_rate=D(0))
    assert three.present_value == D("30.38")
    assert three.ratio == D("10.13")  # 10.125 rounds half up


def test_no_outcomes_is_no_value():
    result = evaluate([], investment=D(100))
    assert result.yearly_values == ()
    assert (result.present_value, result.ratio, result.net_ratio) == (D("0.00"), D("0.00"), D("-1.00"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadweight": D("1.01")}, "outcome 1 deadweight must be between 0 and 1"),
        ({"attribution": D("-0.01")}, "outcome 1 attribution must be between 0 and 1"),
        ({"displacement": D("2")}, "outcome 1 displacement must be between 0 and 1"),
        ({"drop_off": D("-1")}, "outcome 1 drop_off must be between 0 and 1"),
        ({"quantity": D("-1")}, "outcome 1 quantity must not be negative"),
        ({"proxy_value": D("-0.01")}, "outcome 1 proxy_value must not be negative"),
        ({"duration_years": 0}, "outcome 1 duration_years must be at least 1"),
        ({"duration_years": 1.5}, "outcome 1 duration_years must be a whole number of years"),
        ({"proxy_value": 1.5}, "outcome 1 proxy_value must be a Decimal, not float"),
        ({"quantity": D("NaN")}, "outcome 1 quantity must be a finite number"),
    ],
)
def test_invalid_outcomes_are_named(changes, message):
    fields = {"quantity": D(1), "proxy_value": D(1), **changes}
    with pytest.raises(ValueError, match=message):
        evaluate([Outcome(**fields)], investment=D(100))


@pytest.mark.parametrize(
    ("investment", "rate", "message"),
    [
        (D(0), D("0.035"), "investment must be more than 0"),
        (D(-5), D("0.035"), "investment must be more than 0"),
        (D(100), D("-0.01"), "discount_rate must not be negative"),
    ],
)
def test_invalid_investment_or_rate_is_named(investment, rate, message):
    with pytest.raises(ValueError, match=message):
        evaluate([Outcome(quantity=D(1), proxy_value=D(1))], investment=investment, discount_rate=rate)


def test_sensitivity_moves_each_assumption_and_spans_the_range():
    outcome = Outcome(
        quantity=D(10), proxy_value=D(100), deadweight=D("0.20"), drop_off=D("0.10"), duration_years=2
    )
    result = sensitivity([outcome], investment=D(1000), discount_rate=D(0))
    # headline: 800 + 720 = 1520 -> 1.52
    assert result.ratio == D("1.52")
    # deadweight 10% -> 900 + 810 = 1710; 30% -> 700 + 630 = 1330
    assert result.cases["deadweight"] == (D("1.71"), D("1.33"))
    # drop-off 0% -> 1600; 20% -> 1440
    assert result.cases["drop_off"] == (D("1.60"), D("1.44"))
    # one year -> 800; three years -> 800 + 720 + 648 = 2168
    assert result.cases["duration_years"] == (D("0.80"), D("2.17"))
    assert (result.low, result.high) == (D("0.80"), D("2.17"))


def test_sensitivity_keeps_fractions_within_bounds_and_refuses_unknown_assumptions():
    outcome = Outcome(quantity=D(1), proxy_value=D(100), deadweight=D("0.05"))
    result = sensitivity([outcome], investment=D(100), discount_rate=D(0), moves={"deadweight": D("0.10")})
    assert result.cases["deadweight"] == (D("1.00"), D("0.85"))  # 0.05 - 0.10 stops at 0
    with pytest.raises(ValueError, match="colour is not an assumption"):
        sensitivity([outcome], investment=D(100), moves={"colour": D(1)})
