"""Velocity leaves out the days a SKU was out of stock: observed, carried forward, or inferred
before packdesk first saw the level; FBA velocity is what left Amazon between reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from packdesk.domain.inventory.demand import StockDay, fba_demand, shop_demand

TODAY = date(2026, 12, 1)


def day(n: int) -> date:
    """`n` days before today."""
    return TODAY - timedelta(days=n)


def test_every_day_in_stock_counts_and_zero_sales_days_count_too() -> None:
    demand = shop_demand(TODAY, 10, {day(1): 4, day(5): 6})
    assert (demand.days_counted, demand.units, demand.out_days) == (10, 10, 0)
    assert demand.velocity == pytest.approx(1.0)
    assert demand.window_start == day(10)
    assert demand.window_end == day(1)


def test_days_seen_out_of_stock_are_left_out_and_carried_forward() -> None:
    seen = [
        StockDay(day=day(20), min_available=8, last_available=8),
        StockDay(day=day(6), min_available=0, last_available=0),  # sold out, nothing since
        StockDay(day=day(2), min_available=0, last_available=30),  # received
    ]
    sales = {day(7): 3, day(6): 5, day(1): 2}
    demand = shop_demand(TODAY, 10, sales, seen)
    # out: days 6, 5, 4, 3 (carried) and 2 (it was at 0 before the receipt)
    assert (demand.out_days, demand.inferred_out_days) == (5, 0)
    assert (demand.days_counted, demand.units) == (5, 5)
    assert demand.velocity == pytest.approx(1.0)
    assert "leaving out 5 day(s) out of stock" in demand.explain()


def test_a_level_first_seen_empty_was_out_since_its_last_sale() -> None:
    seen = [StockDay(day=day(1), min_available=0, last_available=0)]
    demand = shop_demand(TODAY, 30, {day(30): 6, day(20): 6, day(12): 3}, seen)
    # days 11..2 have no sale after the last one on day 12: inferred out; day 1 observed
    assert (demand.out_days, demand.inferred_out_days) == (11, 10)
    assert (demand.days_counted, demand.units) == (19, 15)
    assert "10 inferred" in demand.explain()


def test_a_level_first_seen_in_stock_counts_the_days_before_as_in_stock() -> None:
    seen = [StockDay(day=day(3), min_available=5, last_available=5)]
    assert shop_demand(TODAY, 30, {day(30): 6}, seen).out_days == 0


def test_sigma_is_the_spread_of_daily_sales_over_counted_days() -> None:
    demand = shop_demand(TODAY, 4, {day(4): 2, day(3): 4, day(2): 2, day(1): 4})
    assert demand.velocity == pytest.approx(3.0)
    assert demand.sigma_daily == pytest.approx(1.1547, abs=1e-4)


def test_fba_velocity_counts_falls_between_reports_and_ignores_inbound_rises() -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    totals = [(at, 100), (at + timedelta(days=7), 86), (at + timedelta(days=14), 140),
              (at + timedelta(days=28), 112)]  # fmt: skip
    demand = fba_demand(TODAY, 30, totals)
    assert demand.units == 14 + 28
    assert demand.velocity == pytest.approx(42 / 28)
    assert demand.sigma_daily is None
    assert fba_demand(TODAY, 30, totals[:1]).velocity == 0
