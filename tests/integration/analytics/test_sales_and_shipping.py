"""Sales and shipping figures over a real SQLite file, against sums done by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from packdesk.adapters.store.analytics import SqlAnalytics
from packdesk.domain.analytics.periods import Grain, Period
from packdesk.domain.models import PurchaseState
from packdesk.services.analytics import AnalyticsService

from .shop_data import PA, T0, Shop, variant

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), ZoneInfo("UTC"))


@pytest.fixture
def march(shop: Shop) -> Shop:
    """Six orders in March (one cancelled, one without a breakdown, one guest, one paid in
    CAD), one in February, and labels for two of March's orders."""
    shop.catalog(
        variant(1, "A", "10.00", "4.00"),
        variant(2, "B", "20.00", "8.00"),
        variant(3, "C", "5.00", None),
        variant(4, "D", "50.00", "20.00"),
        variant(5, "E", "1.00", "0.40"),
    )
    o1 = shop.order({"A": 2, "B": 1}, discount="4.00", tax="2.61", customer="c1")
    o2 = shop.order(
        {"D": 1},
        at=T0 + timedelta(days=8),
        returned="50.00",
        customer="c1",
        location=PA,
        service="Express",
    )
    o3 = shop.order({"A": 1}, at=T0 + timedelta(days=8, hours=2), customer="c2")
    shop.order({"C": 4}, at=T0 + timedelta(days=13), customer="c3", breakdown=False)
    shop.order({"B": 2}, at=T0 + timedelta(days=14), customer="c4", cancelled=True)
    o6 = shop.order({"E": 3}, at=T0 + timedelta(days=18), customer="c2", paid_in="CAD")
    shop.order({"A": 1}, at=T0 + timedelta(days=19), customer="")
    shop.order({"A": 1}, at=T0 - timedelta(days=20), customer="c1")  # 10 February
    shop.label(o1, cost="7.50", weight_g=454.0)
    shop.label(
        o2,
        cost="12.00",
        carrier="UPS",
        service="Ground",
        zone="8",
        weight_g=1000.0,
        at=o2.created_at + timedelta(days=2),
    )
    shop.label(
        o2,
        cost="8.00",
        package_no=2,
        carrier="UPS",
        service="Ground",
        zone="8",
        weight_g=None,
        at=o2.created_at + timedelta(days=2),
    )
    shop.label(o3, cost="6.00", state=PurchaseState.VOIDED)
    shop.label(o6, cost="9.00", currency="CAD")
    return shop


def test_sales_of_the_period_add_up_by_hand(march: Shop, analytics: SqlAnalytics) -> None:
    total = analytics.sales.sales_total(MARCH.start, MARCH.end, "USD")
    assert (total.orders, total.known, total.units) == (6, 5, 13)
    assert (total.gross, total.discounts, total.returns, total.net) == (11300, 400, 5000, 5900)
    assert (total.shipping, total.tax) == (2500, 261)


def test_each_day_is_a_bucket_and_empty_days_are_zero(march: Shop, analytics: SqlAnalytics) -> None:
    days = analytics.sales.sales(MARCH.buckets(Grain.DAY), "USD")
    assert len(days) == 31
    by_day = {d.label: d for d in days}
    assert (by_day["2026-03-10"].orders, by_day["2026-03-10"].net) == (2, 1000)
    assert by_day["2026-03-10"].returns == 5000
    assert by_day["2026-03-11"].orders == 0
    assert by_day["2026-03-11"].net == 0
    assert sum(d.orders for d in days) == 6


def test_sales_section_figures_notes_and_change(march: Shop, service: AnalyticsService) -> None:
    section = service.section("sales", MARCH)
    figures = {f.key: f for f in section.figures}
    assert figures["orders"].value == 6
    assert figures["orders"].previous == 1
    assert figures["orders"].change == pytest.approx(5.0)
    assert figures["aov"].value == Decimal("21.80")  # (113.00 − 4.00) / 5 orders
    assert figures["net_sales"].value == Decimal("59.00")
    assert figures["returns"].value == Decimal("50.00")
    notes = " ".join(section.notes)
    assert "Amounts are in shop money (USD); cancelled orders are left out." in notes
    assert "1 of 6 orders have no sales breakdown yet" in notes
    assert "Customers paid 1 in CAD; those orders count at their USD value" in notes


def test_shipping_totals_add_up_by_hand(march: Shop, analytics: SqlAnalytics) -> None:
    s = analytics.shipping.shipping(MARCH.start, MARCH.end, "USD")
    assert (s.orders, s.parcels, s.cost) == (2, 3, 2765)  # 7.55 + 12.05 + 8.05
    assert (s.weighed, s.weighed_cost, s.weight_g) == (2, 1960, 1454.0)
    assert (s.charged, s.charged_known, s.cost_known, s.net_sales) == (1000, 2, 2765, 3600)
    assert s.days_to_label == pytest.approx(1.125)  # 6 hours and 2 days
    assert (s.same_day, s.next_day, s.later) == (1, 0, 1)


def test_shipping_groups_and_requested_services(march: Shop, analytics: SqlAnalytics) -> None:
    found = analytics.shipping.shipping_groups(MARCH.start, MARCH.end, "USD")

    def groups(by: str) -> list[tuple[str, int, int, int]]:
        return [(g.key, g.parcels, g.orders, g.cost) for g in found[by]]

    assert groups("carrier") == [("UPS", 2, 1, 2010), ("USPS", 1, 1, 755)]
    assert groups("service") == [("UPS Ground", 2, 1, 2010), ("USPS Ground Advantage", 1, 1, 755)]
    assert groups("zone") == [("8", 2, 1, 2010), ("4", 1, 1, 755)]
    assert groups("warehouse") == [("PA", 2, 1, 2010), ("CA", 1, 1, 755)]
    matches = analytics.shipping.service_matches(MARCH.start, MARCH.end, "USD")
    assert [(m.requested, m.bought, m.parcels, m.cost) for m in matches] == [
        ("Express", "UPS Ground", 2, 2010),
        ("Standard", "USPS Ground Advantage", 1, 755),
    ]


def test_shipping_section_figures_and_notes(march: Shop, service: AnalyticsService) -> None:
    section = service.section("shipping", MARCH)
    figures = {f.key: f.value for f in section.figures}
    assert figures["label_cost"] == Decimal("27.65")
    assert figures["cost_per_order"] == Decimal("13.83")
    assert figures["cost_per_parcel"] == Decimal("9.22")
    assert figures["cost_per_ounce"] == Decimal("0.38")  # $19.60 over 1,454 g = 51.3 oz
    assert figures["shipping_share"] == pytest.approx(27.65 / 36.00)
    assert figures["net_shipping"] == Decimal("-17.65")
    notes = " ".join(section.notes)
    assert "Labels in another currency are left out of the costs (1 billed in CAD)." in notes
    assert "1 of 3 parcels have no weight recorded" in notes


def test_a_period_with_no_orders_says_so(march: Shop, service: AnalyticsService) -> None:
    quiet = Period(date(2025, 6, 1), date(2025, 6, 30), ZoneInfo("UTC"))
    sales = service.section("sales", quiet)
    assert "No orders were placed from 2025-06-01 to 2025-06-30." in sales.notes
    assert {f.key: f.value for f in sales.figures}["aov"] is None
    shipping = service.section("shipping", quiet)
    assert "No labels were bought from 2025-06-01 to 2025-06-30." in shipping.notes
    assert {f.key: f.value for f in shipping.figures}["cost_per_order"] is None
