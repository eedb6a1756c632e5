"""Pydantic result models of the data tools: what a client sees as structured output and output schema.

Field names are part of the public contract (the reference server's prompts use ``total_count``,
``items``, ``summary.median_price_10k`` …); amounts are in 만원 (10,000 KRW) as published by MOLIT,
hence the ``_10k`` suffix.
"""

from __future__ import annotations

from mcp_server.models.base import AMOUNT_UNIT, THIN_SAMPLE, SourceInfo
from mcp_server.models.months import (
    DepositStats,
    RentItem,
    RentResult,
    RentSummary,
    TradeItem,
    TradeResult,
    TradeSummary,
    WolseStats,
)
from mcp_server.models.ranges import (
    Change,
    CompareResult,
    ComplexAreaGroup,
    ComplexDeal,
    ComplexSummaryResult,
    JeonseRatioResult,
    MonthIssue,
    PriceStats,
    RangeInfo,
    RatioGroup,
    RegionTrend,
    TrendMonth,
    TrendResult,
    UnmatchedGroup,
    WolseGroupStats,
)
from mcp_server.models.subscription import (
    AreaAgeStat,
    AreaCompetitionStat,
    AreaScoreStat,
    SubscriptionNotice,
    SubscriptionNoticeResult,
    SubscriptionStatResult,
)

__all__ = [
    "AMOUNT_UNIT",
    "THIN_SAMPLE",
    "AreaAgeStat",
    "AreaCompetitionStat",
    "AreaScoreStat",
    "Change",
    "CompareResult",
    "ComplexAreaGroup",
    "ComplexDeal",
    "ComplexSummaryResult",
    "DepositStats",
    "JeonseRatioResult",
    "MonthIssue",
    "PriceStats",
    "RangeInfo",
    "RatioGroup",
    "RegionTrend",
    "RentItem",
    "RentResult",
    "RentSummary",
    "SourceInfo",
    "SubscriptionNotice",
    "SubscriptionNoticeResult",
    "SubscriptionStatResult",
    "TradeItem",
    "TradeResult",
    "TradeSummary",
    "TrendMonth",
    "TrendResult",
    "UnmatchedGroup",
    "WolseGroupStats",
    "WolseStats",
]
