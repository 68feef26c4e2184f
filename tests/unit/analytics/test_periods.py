"""Periods are whole days of the shop's calendar; buckets are cut at its midnights."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from packdesk.domain.analytics.periods import Grain, Period, PeriodError

LA = ZoneInfo("America/Los_Angeles")


def test_a_day_is_the_shops_day_across_daylight_saving() -> None:
    # 8 March 2026: clocks in Los Angeles go forward, so that day lasts 23 hours.
    period = Period(date(2026, 3, 7), date(2026, 3, 9), LA)
    days = period.buckets(Grain.DAY)
    assert [b.label for b in days] == ["2026-03-07", "2026-03-08", "2026-03-09"]
    assert days[0].start == datetime(2026, 3, 7, 8, tzinfo=UTC)
    assert days[1].start == datetime(2026, 3, 8, 8, tzinfo=UTC)
    assert days[2].start == datetime(2026, 3, 9, 7, tzinfo=UTC)
    assert (days[1].end - days[1].start).total_seconds() == 23 * 3600
    assert period.end == datetime(2026, 3, 10, 7, tzinfo=UTC)


def test_weeks_start_on_monday_and_are_clipped_to_the_period() -> None:
    period = Period(date(2026, 3, 4), date(2026, 3, 17), ZoneInfo("UTC"))
    weeks = period.buckets(Grain.WEEK)
    assert [b.label for b in weeks] == ["2026-W10", "2026-W11", "2026-W12"]
    assert weeks[0].start == datetime(2026, 3, 4, tzinfo=UTC)  # a Wednesday: clipped
    assert weeks[1].start == datetime(2026, 3, 9, tzinfo=UTC)  # Monday
    assert weeks[2].end == datetime(2026, 3, 18, tzinfo=UTC)


def test_months_and_the_grain_a_chart_reads_well_in() -> None:
    year = Period(date(2025, 4, 15), date(2026, 3, 31), ZoneInfo("UTC"))
    assert year.grain() is Grain.MONTH
    labels = [b.label for b in year.buckets()]
    assert labels[0] == "2025-04"
    assert labels[-1] == "2026-03"
    assert len(labels) == 12
    assert Period(date(2026, 3, 1), date(2026, 3, 31), LA).grain() is Grain.DAY
    assert Period(date(2026, 1, 1), date(2026, 3, 31), LA).grain() is Grain.WEEK


def test_previous_period_has_the_same_length_just_before() -> None:
    march = Period(date(2026, 3, 1), date(2026, 3, 31), LA)
    before = march.previous()
    assert (before.first, before.last) == (date(2026, 1, 29), date(2026, 2, 28))


def test_presets_end_today() -> None:
    today = date(2026, 3, 18)
    utc = ZoneInfo("UTC")
    assert Period.preset("7d", today, utc).first == date(2026, 3, 12)
    assert Period.preset("mtd", today, utc).first == date(2026, 3, 1)
    last = Period.preset("last-month", today, utc)
    assert (last.first, last.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert Period.preset("12m", today, utc).first == date(2025, 4, 1)
    with pytest.raises(PeriodError, match="use one of 7d"):
        Period.preset("fortnight", today, utc)


def test_bad_periods_say_what_to_type() -> None:
    with pytest.raises(
        PeriodError, match=r"--from '1/3/2026' is not a date: write it as YYYY-MM-DD"
    ):
        Period.parse("1/3/2026", "2026-03-31", LA)
    with pytest.raises(PeriodError, match="give --from a day on or before --to"):
        Period.parse("2026-03-31", "2026-03-01", LA)


def test_cohort_months_are_whole_months_ending_with_the_periods_last() -> None:
    months = Period(date(2026, 3, 10), date(2026, 3, 20), ZoneInfo("UTC")).months_back(3)
    assert [m.label for m in months] == ["2026-01", "2026-02", "2026-03"]
    assert months[-1].end == datetime(2026, 4, 1, tzinfo=UTC)
