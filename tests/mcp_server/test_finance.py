"""Finance arithmetic checked against closed-form formulas and published figures, not against itself."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcp_server.finance import (
    CashflowInputs,
    FinanceInputError,
    compound_growth,
    loan_payment,
    monthly_cashflow,
)


def test_equal_payment_loan_matches_the_bank_figure() -> None:
    # 3억원, 연 4%, 30년 원리금균등: the widely published monthly payment is 1,432,246원.
    result = loan_payment(30000, 4.0, 30, "원리금균등")

    assert result.monthly_payment_won == pytest.approx(1_432_246, abs=1)
    assert result.months == 360
    assert result.last_month_payment_10k == pytest.approx(result.monthly_payment_10k, abs=0.01)


# The loans the property tests draw: 100만원 to 20억원 over 1 to 40 years, at up to 20 %.
PRINCIPALS = st.floats(min_value=100, max_value=200_000)
RATES = st.floats(min_value=0, max_value=20)
POSITIVE_RATES = st.floats(min_value=0.1, max_value=20)
LOAN_YEARS = st.integers(min_value=1, max_value=40)


@given(principal=PRINCIPALS, rate=POSITIVE_RATES, years=LOAN_YEARS)
def test_equal_payment_follows_the_annuity_formula(principal: float, rate: float, years: int) -> None:
    r, n = rate / 1200, years * 12
    expected = principal * r / (1 - (1 + r) ** -n)

    result = loan_payment(principal, rate, years, "원리금균등", schedule_months=n)

    assert result.monthly_payment_10k == pytest.approx(expected, abs=0.01)
    assert result.total_payment_10k == pytest.approx(expected * n, rel=1e-6, abs=0.05)
    assert sum(m.principal_10k for m in result.schedule) == pytest.approx(principal, abs=0.01 * n)
    assert result.schedule[-1].balance_10k == 0


@given(principal=PRINCIPALS, rate=RATES, years=LOAN_YEARS)
def test_equal_principal_interest_is_the_arithmetic_series(principal: float, rate: float, years: int) -> None:
    r, n = rate / 1200, years * 12

    result = loan_payment(principal, rate, years, "원금균등")

    assert result.total_interest_10k == pytest.approx(principal * r * (n + 1) / 2, abs=0.01)
    assert result.first_month_payment_10k == pytest.approx(principal / n + principal * r, abs=0.01)
    assert result.last_month_payment_10k == pytest.approx(principal / n * (1 + r), abs=0.01)


def test_bullet_loan_pays_interest_monthly_and_principal_at_the_end() -> None:
    result = loan_payment(30000, 4.0, 2, "만기일시", schedule_months=24)

    assert result.monthly_payment_10k == 100
    assert result.total_interest_10k == 100 * 24
    assert result.last_month_payment_10k == 30100
    assert [m.balance_10k for m in result.schedule[:-1]] == [30000] * 23


def test_zero_rate_loans_only_repay_principal() -> None:
    for method in ("원리금균등", "원금균등", "만기일시"):
        result = loan_payment(1200, 0, 1, method)  # type: ignore[arg-type]
        assert result.total_interest_10k == 0
        assert result.total_payment_10k == 1200


def test_schedule_lists_only_the_months_asked_for() -> None:
    assert len(loan_payment(10000, 3, 10, "원리금균등", schedule_months=6).schedule) == 6
    assert loan_payment(10000, 3, 10, "원리금균등", schedule_months=0).schedule == []


@given(
    initial=st.floats(min_value=0, max_value=100_000),
    monthly=st.floats(min_value=0, max_value=1_000),
    rate=st.floats(min_value=0.1, max_value=15),
    years=st.integers(min_value=1, max_value=40),
)
def test_compound_growth_matches_the_future_value_formula(
    initial: float, monthly: float, rate: float, years: int
) -> None:
    r, n = rate / 1200, years * 12
    expected = initial * (1 + r) ** n + monthly * ((1 + r) ** n - 1) / r

    result = compound_growth(initial, rate, years, monthly)

    assert result.final_value_10k == pytest.approx(expected, rel=1e-9, abs=0.01)
    assert result.total_contributed_10k == pytest.approx(initial + monthly * n, abs=0.01)
    assert result.total_gain_10k == pytest.approx(expected - initial - monthly * n, rel=1e-9, abs=0.02)
    assert len(result.by_year) == years
    assert result.by_year[-1].value_10k == result.final_value_10k


def test_compound_growth_can_decline_and_reports_the_effective_rate() -> None:
    result = compound_growth(10000, -12, 1)

    assert result.final_value_10k == pytest.approx(10000 * 0.99**12, abs=0.01)
    assert result.total_gain_10k < 0
    assert result.effective_annual_rate_pct == pytest.approx((0.99**12 - 1) * 100, abs=0.01)


def test_rental_cashflow_and_yields() -> None:
    # 5억 apartment, 보증금 5천, 월세 150, loan 2억 at 4% over 30 years, 관리비 등 20, 재산세 연 120.
    inputs = CashflowInputs(
        monthly_rent_10k=150,
        purchase_price_10k=50000,
        rent_deposit_10k=5000,
        acquisition_costs_10k=1500,
        loan_amount_10k=20000,
        annual_rate_pct=4,
        other_monthly_costs_10k=20,
        annual_holding_tax_10k=120,
    )
    payment = loan_payment(20000, 4, 30, "원리금균등").monthly_payment_10k

    result = monthly_cashflow(inputs)

    prop = 150 - payment - 20 - 10
    assert result.monthly_loan_payment_10k == payment
    assert result.monthly_loan_interest_10k == pytest.approx(20000 * 0.04 / 12, abs=0.01)
    assert result.property_monthly_cashflow_10k == pytest.approx(prop, abs=0.01)
    assert result.monthly_cashflow_10k == pytest.approx(prop, abs=0.01)
    assert result.equity_10k == 50000 + 1500 - 20000 - 5000
    assert result.gross_yield_pct == pytest.approx(150 * 12 / 45000 * 100, abs=0.01)
    assert result.cash_on_cash_pct == pytest.approx(prop * 12 / 26500 * 100, abs=0.01)


def test_household_cashflow_with_a_given_loan_payment() -> None:
    result = monthly_cashflow(
        CashflowInputs(monthly_income_10k=500, monthly_loan_payment_10k=150, monthly_living_cost_10k=200)
    )

    assert result.monthly_cashflow_10k == 150
    assert result.monthly_cashflow_won == 1_500_000
    assert result.annual_cashflow_10k == 1800
    assert result.monthly_loan_interest_10k is None
    assert result.gross_yield_pct is None
    assert result.equity_10k is None


def test_losing_property_and_full_leverage_are_explained() -> None:
    result = monthly_cashflow(
        CashflowInputs(
            monthly_rent_10k=50,
            purchase_price_10k=30000,
            rent_deposit_10k=10000,
            loan_amount_10k=20000,
            annual_rate_pct=5,
        )
    )

    assert result.property_monthly_cashflow_10k < 0
    assert result.cash_on_cash_pct is None
    assert len(result.notes) == 2


@pytest.mark.parametrize(
    ("inputs", "says"),
    [
        (CashflowInputs(), "monthly_rent_10k"),
        (CashflowInputs(monthly_rent_10k=100, loan_amount_10k=10000), "annual_rate_pct"),
    ],
)
def test_inconsistent_cashflow_inputs_say_what_to_give(inputs: CashflowInputs, says: str) -> None:
    with pytest.raises(FinanceInputError, match=says):
        monthly_cashflow(inputs)
