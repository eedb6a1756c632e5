"""Loan, growth and rental cash-flow arithmetic behind the finance tools, kept apart from MCP for testing.

Money is in 만원 (10,000 KRW), the unit of MOLIT's prices, so results combine directly with the 실거래가
tools; ``_won`` fields give whole won for the headline figures. Interest is monthly (annual rate ÷ 12),
the way Korean banks quote 주택담보대출 repayments. Amounts are computed unrounded and rounded only
for output (to 0.01 만원 = 100원), so totals equal the sum of the schedule to within rounding.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field

from mcp_server.errors import InvalidArgumentError

__all__ = [
    "CashflowInputs",
    "CompoundGrowth",
    "FinanceInputError",
    "LoanMethod",
    "LoanMonth",
    "LoanPayment",
    "MonthlyCashflow",
    "YearValue",
    "compound_growth",
    "loan_payment",
    "monthly_cashflow",
]

LoanMethod = Literal["원리금균등", "원금균등", "만기일시"]
_METHOD_NOTES: dict[str, str] = {
    "원리금균등": "원리금균등상환 (equal payments): the same payment every month, interest share falling.",
    "원금균등": "원금균등상환 (equal principal): principal ÷ months plus interest, payments falling.",
    "만기일시": "만기일시상환 (bullet): interest only each month, the whole principal with the last payment.",
}


class FinanceInputError(InvalidArgumentError):
    """Arguments that are each valid but make no sense together; the message says what to change."""


def _r(value: float) -> float:
    return round(value + 0.0, 2)


def _won(value_10k: float) -> int:
    return round(value_10k * 10_000)


class LoanMonth(BaseModel):
    month: int
    payment_10k: float
    principal_10k: float
    interest_10k: float
    balance_10k: float = Field(description="Principal still owed after this payment")


class LoanPayment(BaseModel):
    method: LoanMethod
    principal_10k: float
    annual_rate_pct: float
    years: int
    months: int
    monthly_payment_10k: float = Field(
        description="First month's payment (the same every month for 원리금균등)"
    )
    monthly_payment_won: int
    first_month_payment_10k: float
    last_month_payment_10k: float
    total_payment_10k: float
    total_interest_10k: float
    schedule: list[LoanMonth] = Field(description="The first months of the repayment schedule")
    note: str


def _schedule(principal: float, rate: float, months: int, method: LoanMethod) -> list[tuple[float, float]]:
    """(principal part, interest part) of every monthly payment."""
    rows: list[tuple[float, float]] = []
    balance = principal
    # 1 - (1+r)^-n computed without cancellation, so tiny rates do not divide by zero.
    annuity = -math.expm1(-months * math.log1p(rate))
    level = principal * rate / annuity if annuity > 0 else principal / months
    for month in range(1, months + 1):
        interest = balance * rate
        if month == months:
            part = balance
        elif method == "원리금균등":
            part = level - interest
        elif method == "원금균등":
            part = principal / months
        else:
            part = 0.0
        balance -= part
        rows.append((part, interest))
    return rows


def loan_payment(
    principal_10k: float, annual_rate_pct: float, years: int, method: LoanMethod, schedule_months: int = 12
) -> LoanPayment:
    """Repayment of ``principal_10k`` over ``years`` at ``annual_rate_pct`` with ``method``."""
    months = years * 12
    rows = _schedule(principal_10k, annual_rate_pct / 100 / 12, months, method)
    balance = principal_10k
    schedule: list[LoanMonth] = []
    for month, (part, interest) in enumerate(rows[:schedule_months], start=1):
        balance -= part
        schedule.append(
            LoanMonth(
                month=month,
                payment_10k=_r(part + interest),
                principal_10k=_r(part),
                interest_10k=_r(interest),
                balance_10k=_r(max(balance, 0.0)),
            )
        )
    total_interest = sum(interest for _, interest in rows)
    first = sum(rows[0])
    return LoanPayment(
        method=method,
        principal_10k=principal_10k,
        annual_rate_pct=annual_rate_pct,
        years=years,
        months=months,
        monthly_payment_10k=_r(first),
        monthly_payment_won=_won(first),
        first_month_payment_10k=_r(first),
        last_month_payment_10k=_r(sum(rows[-1])),
        total_payment_10k=_r(principal_10k + total_interest),
        total_interest_10k=_r(total_interest),
        schedule=schedule,
        note=_METHOD_NOTES[method],
    )


class YearValue(BaseModel):
    year: int
    value_10k: float
    contributed_10k: float = Field(description="Initial amount plus contributions so far")


class CompoundGrowth(BaseModel):
    initial_10k: float
    monthly_contribution_10k: float
    annual_rate_pct: float
    years: int
    final_value_10k: float
    total_contributed_10k: float
    total_gain_10k: float
    effective_annual_rate_pct: float = Field(description="Annual growth with monthly compounding")
    by_year: list[YearValue]


def compound_growth(
    initial_10k: float, annual_rate_pct: float, years: int, monthly_contribution_10k: float = 0.0
) -> CompoundGrowth:
    """Value after ``years`` compounding monthly, contributions added at the end of each month."""
    rate = annual_rate_pct / 100 / 12
    value = initial_10k
    by_year: list[YearValue] = []
    for month in range(1, years * 12 + 1):
        value = value * (1 + rate) + monthly_contribution_10k
        if month % 12 == 0:
            contributed = initial_10k + monthly_contribution_10k * month
            by_year.append(YearValue(year=month // 12, value_10k=_r(value), contributed_10k=_r(contributed)))
    contributed = initial_10k + monthly_contribution_10k * years * 12
    return CompoundGrowth(
        initial_10k=initial_10k,
        monthly_contribution_10k=monthly_contribution_10k,
        annual_rate_pct=annual_rate_pct,
        years=years,
        final_value_10k=_r(value),
        total_contributed_10k=_r(contributed),
        total_gain_10k=_r(value - contributed),
        effective_annual_rate_pct=_r(((1 + rate) ** 12 - 1) * 100),
        by_year=by_year,
    )


class CashflowInputs(BaseModel):
    """Everything ``monthly_cashflow`` takes; all money in 만원, zero when not given."""

    monthly_rent_10k: float = 0.0
    monthly_income_10k: float = 0.0
    purchase_price_10k: float | None = None
    rent_deposit_10k: float = 0.0
    acquisition_costs_10k: float = 0.0
    loan_amount_10k: float = 0.0
    annual_rate_pct: float | None = None
    loan_years: int = 30
    loan_method: LoanMethod = "원리금균등"
    monthly_loan_payment_10k: float | None = None
    monthly_living_cost_10k: float = 0.0
    other_monthly_costs_10k: float = 0.0
    annual_holding_tax_10k: float = 0.0


class MonthlyCashflow(BaseModel):
    monthly_cashflow_10k: float = Field(description="Income + rent − loan payment − living and other costs")
    monthly_cashflow_won: int
    annual_cashflow_10k: float
    property_monthly_cashflow_10k: float = Field(
        description="The property alone: rent − loan payment − other costs − holding tax ÷ 12"
    )
    monthly_income_10k: float
    monthly_rent_10k: float
    monthly_loan_payment_10k: float
    monthly_loan_interest_10k: float | None = Field(
        description="Interest part of the first loan payment (null when the payment was given without a rate)"
    )
    monthly_living_cost_10k: float
    other_monthly_costs_10k: float
    monthly_holding_tax_10k: float
    equity_10k: float | None = Field(description="Own cash in: price + costs − loan − deposit received")
    gross_yield_pct: float | None = Field(description="연 월세 ÷ (매매가 − 보증금) × 100")
    cash_on_cash_pct: float | None = Field(description="Property annual cash flow ÷ equity × 100")
    notes: list[str]


def _loan_terms(inputs: CashflowInputs) -> tuple[float, float | None]:
    """(first monthly payment, its interest part if known): taken as given, or computed from the loan."""
    rate = inputs.annual_rate_pct
    if inputs.monthly_loan_payment_10k is not None:
        interest = None if rate is None else inputs.loan_amount_10k * rate / 100 / 12
        return inputs.monthly_loan_payment_10k, interest
    if inputs.loan_amount_10k == 0:
        return 0.0, 0.0
    if rate is None:
        raise FinanceInputError(
            "loan_amount_10k needs annual_rate_pct (the loan's yearly rate, e.g. 4.2) "
            "or the actual monthly_loan_payment_10k"
        )
    loan = loan_payment(inputs.loan_amount_10k, rate, inputs.loan_years, inputs.loan_method, 1)
    return loan.first_month_payment_10k, loan.schedule[0].interest_10k


def monthly_cashflow(inputs: CashflowInputs) -> MonthlyCashflow:
    """Monthly net cash flow of a household or a rented-out property, with yields when a price is given."""
    if inputs.monthly_rent_10k <= 0 and inputs.monthly_income_10k <= 0:
        raise FinanceInputError(
            "give monthly_rent_10k (월세 received) and/or monthly_income_10k (other income)"
        )
    payment, interest = _loan_terms(inputs)
    tax = inputs.annual_holding_tax_10k / 12
    prop = inputs.monthly_rent_10k - payment - inputs.other_monthly_costs_10k - tax
    total = prop + inputs.monthly_income_10k - inputs.monthly_living_cost_10k
    notes: list[str] = []
    equity = gross = cash_on_cash = None
    if inputs.purchase_price_10k is not None:
        equity = (
            inputs.purchase_price_10k
            + inputs.acquisition_costs_10k
            - inputs.loan_amount_10k
            - inputs.rent_deposit_10k
        )
        net_price = inputs.purchase_price_10k - inputs.rent_deposit_10k
        if net_price > 0:
            gross = _r(inputs.monthly_rent_10k * 12 / net_price * 100)
        if equity > 0:
            cash_on_cash = _r(prop * 12 / equity * 100)
        else:
            notes.append(
                "Loan and deposit cover the whole price, so no own cash is in: cash_on_cash_pct is null."
            )
    if inputs.monthly_loan_payment_10k is None and inputs.loan_method != "원리금균등" and payment:
        notes.append(f"{inputs.loan_method}: the loan payment shown is the first month's; it changes later.")
    if prop < 0 < inputs.monthly_rent_10k:
        notes.append("The property costs more each month than its rent brings in.")
    return MonthlyCashflow(
        monthly_cashflow_10k=_r(total),
        monthly_cashflow_won=_won(total),
        annual_cashflow_10k=_r(total * 12),
        property_monthly_cashflow_10k=_r(prop),
        monthly_income_10k=inputs.monthly_income_10k,
        monthly_rent_10k=inputs.monthly_rent_10k,
        monthly_loan_payment_10k=_r(payment),
        monthly_loan_interest_10k=None if interest is None else _r(interest),
        monthly_living_cost_10k=inputs.monthly_living_cost_10k,
        other_monthly_costs_10k=inputs.other_monthly_costs_10k,
        monthly_holding_tax_10k=_r(tax),
        equity_10k=None if equity is None else _r(equity),
        gross_yield_pct=gross,
        cash_on_cash_pct=cash_on_cash,
        notes=notes,
    )
