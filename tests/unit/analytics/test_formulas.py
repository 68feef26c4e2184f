"""The formulas of docs/analytics.md on numbers a person can check."""

from __future__ import annotations

from decimal import Decimal

import pytest

from packdesk.domain.analytics.facts import SalesFacts, ShippingTotals
from packdesk.domain.analytics.formulas import (
    average_order_value,
    change,
    cost_per_ounce,
    days_of_inventory,
    net_shipping,
    sell_through,
    turnover,
)
from packdesk.domain.analytics.report import show, show_change
from packdesk.domain.analytics.rfm import SEGMENTS, segment


def test_aov_is_gross_less_discounts_over_orders_without_tax_or_shipping() -> None:
    sales = SalesFacts("", orders=3, known=2, gross=30000, discounts=3000, shipping=999, tax=800)
    assert average_order_value(sales) == Decimal("135.00")
    assert average_order_value(SalesFacts("")) is None


def test_change_is_relative_and_unknown_without_a_base() -> None:
    assert change(150, 100) == pytest.approx(0.5)
    assert change(50, 100) == pytest.approx(-0.5)
    assert change(5, 0) is None
    assert show_change(0.5) == "▲ 50.0 %"
    assert show_change(-0.031, "percent") == "▼ 3.1 pt"


def test_shipping_per_ounce_and_net_shipping() -> None:
    shipping = ShippingTotals(
        parcels=3, weighed=2, cost=1500, weighed_cost=1000, weight_g=2 * 453.59237, charged=1800
    )
    assert cost_per_ounce(shipping) == Decimal("0.31")  # $10 over the 32 oz weighed
    assert net_shipping(shipping) == 300
    assert cost_per_ounce(ShippingTotals(parcels=1, weighed=0, cost=500)) is None


def test_turnover_days_of_inventory_and_sell_through() -> None:
    turns = turnover(cogs=60000, average_inventory=30000)
    assert turns == pytest.approx(2.0)
    assert days_of_inventory(30, turns) == pytest.approx(15.0)
    assert turnover(60000, None) is None
    assert days_of_inventory(30, None) is None
    assert sell_through(30, 70) == pytest.approx(0.3)
    assert sell_through(30, None) is None


@pytest.mark.parametrize(
    ("r", "f", "name"),
    [
        (5, 5, "Champions"),
        (4, 5, "Loyal"),
        (3, 4, "Loyal"),
        (5, 2, "Potential loyalists"),
        (5, 1, "New customers"),
        (4, 1, "Promising"),
        (3, 3, "Need attention"),
        (3, 1, "About to sleep"),
        (2, 3, "At risk"),
        (1, 5, "Can't lose them"),
        (1, 1, "Hibernating"),
    ],
)
def test_rfm_segments_follow_the_r_by_f_grid(r: int, f: int, name: str) -> None:
    assert segment(r, f) == name
    assert name in SEGMENTS


def test_every_score_pair_has_a_segment() -> None:
    assert {segment(r, f) for r in range(1, 6) for f in range(1, 6)} == set(SEGMENTS)


def test_values_are_shown_as_a_person_reads_them() -> None:
    assert show(Decimal("-1234.5"), "money", "USD") == "−$1,234.50"
    assert show(Decimal("10"), "money", "EUR") == "EUR 10.00"
    assert show(0.125, "percent") == "12.5 %"
    assert show(None, "money") == "—"
    assert show(12345, "count") == "12,345"
