"""Reorder points and quantities, worked as the issue writes them, with the working kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from packdesk.domain.inventory.demand import Demand
from packdesk.domain.inventory.reorder import ReorderInputs, ReorderPolicy, plan, round_order
from packdesk.domain.inventory.stock import StockStatus


def demand(velocity: float, sigma: float | None = 2.0) -> Demand:
    return Demand(
        window_start=date(2026, 11, 1), window_end=date(2026, 11, 30), days_in_window=30,
        days_counted=30, units=round(velocity * 30), velocity=velocity, sigma_daily=sigma,
    )  # fmt: skip


def inputs(**changes: object) -> ReorderInputs:
    base = ReorderInputs(
        variant_id="v1", sku="BM-CIR-01", title="Snap Circuits", location="CA",
        demand=demand(2.0), available=3, incoming=0, open_po=0, supplier="LabBox",
        lead_time_days=16, lead_time_source="supplier", case_pack=12, min_order=24,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_low_sku_gets_an_order_rounded_to_cases_with_every_step_written() -> None:
    policy = ReorderPolicy(service_level=0.95, days_of_cover=30)
    result = plan(inputs(), policy)
    assert result.safety_stock == pytest.approx(1.6449 * 2.0 * 4, abs=1e-3)
    assert result.reorder_point == pytest.approx(32 + result.safety_stock)
    assert result.position == 3
    assert result.raw_quantity == pytest.approx(2.0 * (16 + 30) - 3)  # 89
    assert result.quantity == 96  # 89 → 8 cases of 12
    assert result.status is StockStatus.LOW
    working = "\n".join(result.explain())
    assert "60 sold in 30 of 30 days" in working
    assert "lead time: 16 days (supplier LabBox)" in working
    assert "z 1.645 (service level 95%) × σ 2.00 × √16" in working
    assert "position: available 3 + incoming 0 + open POs 0 = 3" in working
    assert "order: 2.00 × (16 + 30) − 3 = 89.0 → 96, case pack 12, minimum order 24" in working


def test_open_orders_and_incoming_lift_the_position_above_the_reorder_point() -> None:
    result = plan(inputs(open_po=36, incoming=12), ReorderPolicy())
    assert result.position == 51 > result.reorder_point
    assert result.quantity == 0
    assert not result.due
    assert "above the reorder point" in result.explain()[-1]


def test_safety_by_days_and_where_variability_is_unknown() -> None:
    by_days = plan(inputs(), ReorderPolicy(safety="days", safety_days=5))
    assert by_days.safety_stock == pytest.approx(10.0)
    fba = plan(inputs(demand=demand(2.0, None)), ReorderPolicy(safety_days=4))
    assert fba.safety_stock == pytest.approx(8.0)
    assert "no daily sales to measure variability" in fba.safety_method


def test_no_sales_means_no_order_and_a_sku_with_stock_is_ok() -> None:
    result = plan(inputs(demand=demand(0.0, 0.0), available=40), ReorderPolicy())
    assert (result.quantity, result.status, result.days_of_cover) == (0, StockStatus.OK, None)
    assert plan(inputs(demand=demand(0.0, 0.0), available=0), ReorderPolicy()).status is (
        StockStatus.OUT
    )


def test_more_cover_than_the_policy_allows_is_overstock() -> None:
    result = plan(inputs(demand=demand(0.5, 0.1), available=400), ReorderPolicy(overstock_days=120))
    assert result.status is StockStatus.OVERSTOCK
    assert result.days_of_cover == pytest.approx(800)


@pytest.mark.parametrize(
    ("raw", "pack", "minimum", "expected"),
    [(0.0, 12, 24, 0), (0.2, 1, 0, 1), (5, 12, 0, 12), (13, 12, 0, 24), (5, 6, 20, 24)],
)
def test_orders_are_whole_cases_of_at_least_the_minimum(
    raw: float, pack: int, minimum: int, expected: int
) -> None:
    assert round_order(raw, pack, minimum) == expected
