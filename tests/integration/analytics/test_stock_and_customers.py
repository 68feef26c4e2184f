"""Inventory and customer figures over a real SQLite file, against sums done by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from packdesk.adapters.store.analytics import SqlAnalytics
from packdesk.domain.analytics.periods import Period
from packdesk.services.analytics import AnalyticsService

from .shop_data import CA, PA, T0, Shop, variant

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), ZoneInfo("UTC"))


@pytest.fixture
def stocked(shop: Shop, analytics: SqlAnalytics) -> Shop:
    """Five items sold 50, 30, 10, 6 and 4 units in March (P4 without a cost), with stock
    pictured on 1 and 31 March."""
    shop.catalog(
        variant(1, "P1", "10.00", "2.00"),
        variant(2, "P2", "10.00", "3.00"),
        variant(3, "P3", "10.00", "5.00"),
        variant(4, "P4", "10.00", None),
        variant(5, "P5", "10.00", "1.00"),
    )
    for n, (sku, units) in enumerate({"P1": 50, "P2": 30, "P3": 10, "P4": 6, "P5": 4}.items()):
        shop.order({sku: units}, at=T0 + timedelta(days=n), customer=f"c{n}")
    for sku, on_hand, where in [("P1", 100, CA), ("P2", 50, PA), ("P3", 20, CA), ("P4", 10, CA)]:
        shop.stock(sku, where, on_hand)
    shop.stock("P5", CA, 0)
    analytics.stock.take_snapshot(date(2026, 3, 1), datetime(2026, 3, 1, 6, tzinfo=UTC))
    for sku, on_hand, where in [("P1", 50, CA), ("P2", 20, PA), ("P3", 10, CA), ("P4", 4, CA)]:
        shop.stock(sku, where, on_hand)
    analytics.stock.take_snapshot(date(2026, 3, 31), datetime(2026, 3, 31, 6, tzinfo=UTC))
    return shop


def test_abc_classes_cut_at_80_and_95_percent_of_units(
    stocked: Shop, analytics: SqlAnalytics
) -> None:
    items = analytics.stock.products(MARCH.start, MARCH.end, date(2026, 3, 31), 0.80, 0.95)
    assert [(i.sku, i.units, i.abc) for i in items] == [
        ("P1", 50, "A"),
        ("P2", 30, "A"),  # 50 % of units above it
        ("P3", 10, "B"),  # 80 % above it: not below 80 %
        ("P4", 6, "B"),
        ("P5", 4, "C"),  # 96 % above it
    ]
    assert [i.share_before for i in items] == pytest.approx([0.0, 0.5, 0.8, 0.9, 0.96])
    assert [i.ending_on_hand for i in items] == [50, 20, 10, 4, 0]
    assert [i.unit_cost for i in items] == [200, 300, 500, None, 100]


def test_inventory_value_is_the_average_of_the_days_pictured(
    stocked: Shop, analytics: SqlAnalytics
) -> None:
    value = analytics.stock.inventory_value(MARCH.first, MARCH.last)
    # 1 March: 100×2 + 50×3 + 20×5 = 450 $; 31 March: 50×2 + 20×3 + 10×5 = 210 $.
    assert (value.average, value.days, value.source) == (33000, 2, "snapshots")
    assert value.units_without_cost == 4  # P4's 4 units on 31 March


def test_inventory_section_turnover_days_and_sell_through(
    stocked: Shop, service: AnalyticsService
) -> None:
    section = service.section("stock", MARCH)
    f = {x.key: x.value for x in section.figures}
    assert f["cogs"] == Decimal("244.00")  # 50×2 + 30×3 + 10×5 + 4×1; P4 has no cost
    assert f["cost_coverage"] == pytest.approx(0.94)
    assert f["average_inventory"] == Decimal("330.00")
    assert f["turnover"] == pytest.approx(244 / 330)
    assert f["days_of_inventory"] == pytest.approx(31 / (244 / 330))
    assert f["sell_through"] == pytest.approx(100 / (100 + 84))
    assert f["a_items"] == 2
    notes = " ".join(section.notes)
    assert "6 units sold have no unit cost (P4): enter Cost per item" in notes
    assert "over the 2 of 31 days with a stock snapshot" in notes
    table = section.tables[0]
    assert table.rows[3][:4] == ["P4", "Item P4", "B", 6]
    assert table.rows[3][6] is None
    assert table.rows[3][7] is None


def test_without_snapshots_todays_stock_stands_in_and_says_so(
    shop: Shop, service: AnalyticsService
) -> None:
    shop.catalog(variant(1, "P1", "10.00", "2.00"))
    shop.order({"P1": 5})
    shop.stock("P1", CA, 45)
    section = service.section("stock", MARCH)
    f = {x.key: x.value for x in section.figures}
    assert f["average_inventory"] == Decimal("90.00")
    assert f["sell_through"] == pytest.approx(0.1)
    assert any("today's stock value stands in" in n for n in section.notes)


@pytest.fixture
def regulars(shop: Shop) -> Shop:
    """c1 ordered in January, February and March; c2 in February and March; c3 first in
    March; c4 once in January. Every order is one $10 item."""
    shop.catalog(variant(1, "A", "10.00", "4.00"))
    when = {
        "c1": [date(2026, 1, 5), date(2026, 2, 10), date(2026, 3, 3)],
        "c2": [date(2026, 2, 20), date(2026, 3, 15)],
        "c3": [date(2026, 3, 20)],
        "c4": [date(2026, 1, 8)],
    }
    for customer, days in when.items():
        for day in days:
            shop.order({"A": 1}, at=datetime.combine(day, T0.timetz()), customer=customer)
    return shop


def test_repeat_rates_all_time_and_within_the_period(
    regulars: Shop, analytics: SqlAnalytics
) -> None:
    c = analytics.customers.customers(MARCH.start, MARCH.end)
    assert (c.customers, c.repeat, c.orders, c.net) == (4, 2, 7, 7000)
    assert (c.in_period, c.repeat_in_period, c.new_in_period) == (3, 0, 1)


def test_cohorts_by_first_order_month(regulars: Shop, analytics: SqlAnalytics) -> None:
    cells = analytics.customers.cohorts(MARCH.months_back(3))
    assert [(c.cohort, c.offset, c.size, c.active, c.cumulative) for c in cells] == [
        ("2026-01", 0, 2, 2, 2000),
        ("2026-01", 1, 2, 1, 3000),
        ("2026-01", 2, 2, 1, 4000),
        ("2026-02", 0, 1, 1, 1000),
        ("2026-02", 1, 1, 1, 2000),
        ("2026-03", 0, 1, 1, 1000),
    ]


def test_rfm_scores_by_quintile_and_segments(regulars: Shop, service: AnalyticsService) -> None:
    cells = service.analytics.customers.rfm(MARCH.end)
    assert sorted((c.r, c.f, c.customers) for c in cells) == [
        (1, 1, 1),
        (2, 5, 1),
        (4, 4, 1),
        (5, 1, 1),
    ]
    section = service.section("customers", MARCH)
    segments = next(t for t in section.tables if t.key == "customers_rfm_segments")
    assert {row[0]: row[1] for row in segments.rows} == {
        "Loyal": 1,  # c2: r4 f4
        "New customers": 1,  # c3: r5 f1
        "Can't lose them": 1,  # c1: r2 f5
        "Hibernating": 1,  # c4: r1 f1
    }
    f = {x.key: x.value for x in section.figures}
    assert f["repeat_rate"] == pytest.approx(0.5)
    assert f["lifetime_value"] == Decimal("17.50")  # $70 over 4 customers
    retention = next(t for t in section.tables if t.key == "customers_cohort_retention")
    january = next(r for r in retention.rows if r[0] == "2026-01")
    assert january[:2] == ["2026-01", 2]
    assert january[2:] == [1.0, 0.5, 0.5] + [None] * 9  # months after March are not yet


def test_guests_are_counted_apart(shop: Shop, service: AnalyticsService) -> None:
    shop.catalog(variant(1, "A", "10.00", "4.00"))
    shop.order({"A": 1}, customer="")
    shop.order({"A": 1}, customer="c1")
    section = service.section("customers", MARCH)
    assert {f.key: f.value for f in section.figures}["customers"] == 1
    assert any(
        "1 orders in the period have neither a customer nor an e-mail" in n for n in section.notes
    )
