"""Finance calculators: loan repayment, compound growth and monthly cash flow, in 만원 like the price data.

Thin wrappers: arguments carry their unit and range in the schema (so a model sees them before calling
and the SDK rejects out-of-range values with the limit named); combinations that make no sense are
``FinanceInputError`` from ``mcp_server.finance``, whose message ``tools.registry`` hands to the model.
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_server.finance import (
    CashflowInputs,
    CompoundGrowth,
    FinanceInputError,
    LoanMethod,
    LoanPayment,
    MonthlyCashflow,
    compound_growth,
    loan_payment,
    monthly_cashflow,
)
from mcp_server.tools.registry import tool

__all__ = ["register"]

MAX_MONEY_10K = 10_000_000  # 1,000억원: above any single Korean property deal
MethodArg = Literal["원리금균등", "원금균등", "만기일시", "equal_payment", "equal_principal", "bullet"]
_METHODS: dict[str, LoanMethod] = {
    "원리금균등": "원리금균등",
    "원금균등": "원금균등",
    "만기일시": "만기일시",
    "equal_payment": "원리금균등",
    "equal_principal": "원금균등",
    "bullet": "만기일시",
}

_CALCULATOR = ToolAnnotations(readOnlyHint=True, openWorldHint=False, idempotentHint=True)


def _money(description: str) -> object:
    return Field(ge=0, le=MAX_MONEY_10K, description=f"{description} (만원; 1억원 = 10000)")


def register(server: MCPServer) -> None:
    """Add ``calculate_loan_payment``, ``calculate_compound_growth`` and ``calculate_monthly_cashflow``."""

    @tool(
        server, name="calculate_loan_payment", title="Loan repayment (대출 상환액)", annotations=_CALCULATOR
    )
    def calculate_loan_payment(
        principal_10k: Annotated[
            float, Field(gt=0, le=MAX_MONEY_10K, description="Loan amount in 만원 (3억원 = 30000)")
        ],
        annual_rate_pct: Annotated[
            float, Field(ge=0, le=30, description="Yearly interest rate in %, e.g. 4.2")
        ],
        years: Annotated[int, Field(ge=1, le=50, description="Loan term in years (1-50)")],
        method: Annotated[
            MethodArg,
            Field(description="원리금균등 (equal payments), 원금균등 (equal principal) or 만기일시 (bullet)"),
        ] = "원리금균등",
        schedule_months: Annotated[
            int, Field(ge=0, le=120, description="How many first months of the schedule to list (0-120)")
        ] = 12,
    ) -> LoanPayment:
        """Monthly repayment, total interest and the first months' schedule of a loan (주택담보대출 등).

        Use for "월 상환액", "총 이자", "원리금균등 vs 원금균등". Money in 만원.
        """
        return loan_payment(principal_10k, annual_rate_pct, years, _METHODS[method], schedule_months)

    @tool(
        server, name="calculate_compound_growth", title="Compound growth (복리 계산)", annotations=_CALCULATOR
    )
    def calculate_compound_growth(
        initial_10k: Annotated[float, _money("Starting amount")],
        annual_rate_pct: Annotated[
            float,
            Field(ge=-50, le=100, description="Yearly growth or return in %, e.g. 3 (negative: decline)"),
        ],
        years: Annotated[int, Field(ge=1, le=60, description="Number of years (1-60)")],
        monthly_contribution_10k: Annotated[float, _money("Amount added at the end of every month")] = 0.0,
    ) -> CompoundGrowth:
        """Future value of savings or an asset compounding monthly, with optional monthly contributions.

        Use for "10년 뒤 얼마", "매달 100만원씩 적립하면", "집값이 연 3%씩 오르면". Money in 만원.
        """
        if initial_10k == 0 and monthly_contribution_10k == 0:
            raise FinanceInputError(
                "Give initial_10k and/or monthly_contribution_10k: both are 0, so nothing grows."
            )
        return compound_growth(initial_10k, annual_rate_pct, years, monthly_contribution_10k)

    @tool(
        server,
        name="calculate_monthly_cashflow",
        title="Monthly cash flow and rental yield",
        annotations=_CALCULATOR,
    )
    def calculate_monthly_cashflow(
        monthly_rent_10k: Annotated[float, _money("월세 received from a tenant per month")] = 0.0,
        monthly_income_10k: Annotated[float, _money("Other monthly income, e.g. salary")] = 0.0,
        purchase_price_10k: Annotated[
            float | None, Field(gt=0, le=MAX_MONEY_10K, description="Purchase price (만원), for yields")
        ] = None,
        rent_deposit_10k: Annotated[float, _money("보증금 received from the tenant")] = 0.0,
        acquisition_costs_10k: Annotated[float, _money("취득세, 중개수수료 and other one-off costs")] = 0.0,
        loan_amount_10k: Annotated[float, _money("Loan taken for the purchase")] = 0.0,
        annual_rate_pct: Annotated[
            float | None,
            Field(ge=0, le=30, description="Loan's yearly interest rate in %, needed with a loan"),
        ] = None,
        loan_years: Annotated[int, Field(ge=1, le=50, description="Loan term in years")] = 30,
        loan_method: Annotated[MethodArg, Field(description="Repayment method of the loan")] = "원리금균등",
        monthly_loan_payment_10k: Annotated[
            float | None,
            Field(
                ge=0,
                le=MAX_MONEY_10K,
                description="Actual monthly loan payment (만원), instead of computing it",
            ),
        ] = None,
        monthly_living_cost_10k: Annotated[float, _money("Household living costs per month")] = 0.0,
        other_monthly_costs_10k: Annotated[
            float, _money("관리비, repairs, vacancy allowance per month")
        ] = 0.0,
        annual_holding_tax_10k: Annotated[float, _money("재산세/종부세 per year")] = 0.0,
    ) -> MonthlyCashflow:
        """Monthly net cash flow after loan payments and costs, plus rental yields when a price is given.

        Use for "월세 받으면 한 달에 얼마 남나", "임대수익률", "대출 갚고 생활비 빼면". Money in 만원.
        """
        inputs = CashflowInputs(
            monthly_rent_10k=monthly_rent_10k,
            monthly_income_10k=monthly_income_10k,
            purchase_price_10k=purchase_price_10k,
            rent_deposit_10k=rent_deposit_10k,
            acquisition_costs_10k=acquisition_costs_10k,
            loan_amount_10k=loan_amount_10k,
            annual_rate_pct=annual_rate_pct,
            loan_years=loan_years,
            loan_method=_METHODS[loan_method],
            monthly_loan_payment_10k=monthly_loan_payment_10k,
            monthly_living_cost_10k=monthly_living_cost_10k,
            other_monthly_costs_10k=other_monthly_costs_10k,
            annual_holding_tax_10k=annual_holding_tax_10k,
        )
        return monthly_cashflow(inputs)
