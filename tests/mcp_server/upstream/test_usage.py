"""Upstream requests per service per KST day: counted by kind, kept in the cache file across restarts,
started afresh when the day turns in Korea (not in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mcp_server.errors import UpstreamQuotaError, UpstreamTimeoutError, UpstreamUnavailableError
from mcp_server.upstream.usage import UpstreamUsage

APT = "아파트 매매 (RTMSDataSvcAptTrade)"
RENT = "아파트 전월세 (RTMSDataSvcAptRent)"


class Clock:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def __call__(self) -> datetime:
        return self.instant


async def test_counts_answered_and_errors_by_kind_per_service() -> None:
    clock = Clock(datetime(2026, 3, 5, 1, 0, tzinfo=UTC))  # 10:00 KST
    usage = UpstreamUsage(clock=clock)

    await usage.answered(APT)
    await usage.answered(APT)
    await usage.failed(APT, UpstreamTimeoutError("slow", service=APT))
    await usage.failed(APT, UpstreamUnavailableError("502", service=APT))
    clock.instant = datetime(2026, 3, 5, 2, 30, tzinfo=UTC)
    await usage.failed(RENT, UpstreamQuotaError("quota", service=RENT))

    day, services = await usage.today()
    assert day == "2026-03-05"
    assert services[APT].requests == 4
    assert services[APT].answered == 2
    assert services[APT].errors == {"timeout": 1, "unavailable": 1}
    assert services[RENT].errors == {"quota": 1}
    assert services[RENT].last_error_kind == "quota"
    assert services[RENT].last_error_at == "2026-03-05T11:30:00+09:00"


async def test_a_restart_keeps_the_days_count(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 3, 5, 1, 0, tzinfo=UTC))
    path = tmp_path / "cache.sqlite3"
    first = UpstreamUsage(path, clock=clock)
    for _ in range(3):
        await first.answered(APT)
    await first.failed(APT, UpstreamQuotaError("quota", service=APT))
    await first.cache_hit()
    await first.cache_miss()
    await first.close()

    second = UpstreamUsage(path, clock=clock)
    await second.answered(APT)

    _, services = await second.today()
    assert services[APT].requests == 5
    assert services[APT].errors == {"quota": 1}
    assert services[APT].last_error_kind == "quota"
    assert await second.cache_hits_today() == (1, 1)


async def test_the_count_starts_again_at_midnight_kst(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 3, 5, 14, 59, tzinfo=UTC))  # 23:59 KST
    path = tmp_path / "cache.sqlite3"
    usage = UpstreamUsage(path, clock=clock)
    await usage.answered(APT)

    clock.instant = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)  # 00:00 KST on the 6th, still the 5th in UTC
    day, services = await usage.today()
    assert (day, services) == ("2026-03-06", {})
    await usage.answered(APT)
    await usage.close()

    _, restarted = await UpstreamUsage(path, clock=clock).today()
    assert restarted[APT].requests == 1


async def test_an_unwritable_file_keeps_counting_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    usage = UpstreamUsage(blocker / "cache.sqlite3")

    await usage.answered(APT)
    await usage.answered(APT)

    _, services = await usage.today()
    assert services[APT].answered == 2
