"""The Inventory section: cost of goods sold, turnover, days of inventory, sell-through and
ABC classes, each with how much of it rests on known costs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from packdesk.domain.analytics.facts import InventoryValue, ProductFacts
from packdesk.domain.analytics.formulas import (
    A_SHARE,
    B_SHARE,
    days_of_inventory,
    money,
    ratio,
    sell_through,
    turnover,
)
from packdesk.domain.analytics.periods import Period
from packdesk.domain.analytics.report import Cell, Chart, Section, Table
from packdesk.domain.ports.analytics import StockReader
from packdesk.services.analytics.common import figure, units

TITLE = "Inventory"
LISTED_WITHOUT_COST = 5
"""SKUs without a unit cost named in the note (the table has them all)."""


def stock_section(reader: StockReader, period: Period, today: date) -> Section:
    """Items sold in the period against the stock that carried them."""
    stock = ending_stock(reader, period, today)
    items = reader.products(period.start, period.end, stock, A_SHARE, B_SHARE)
    value = reader.inventory_value(period.first, period.last)
    units_sold = sum(i.units for i in items)
    costed = [i for i in items if i.unit_cost is not None]
    cogs = sum(i.units * (i.unit_cost or 0) for i in items)
    costed_units = sum(i.units for i in costed)
    turns = turnover(cogs, value.average)
    stocked = [i for i in items if i.ending_on_hand is not None]
    classes = {c: [i for i in items if i.abc == c] for c in "ABC"}
    return Section(
        key="stock",
        title=TITLE,
        figures=[
            figure("units_sold", "Units sold", "count", units_sold),
            figure("cogs", "Cost of goods sold", "money", money(cogs)),
            figure(
                "cost_coverage",
                "Units with a known cost",
                "percent",
                ratio(costed_units, units_sold),
            ),
            figure(
                "average_inventory",
                "Average inventory value",
                "money",
                None if value.average is None else money(value.average),
            ),
            figure("turnover", "Turnover", "ratio", turns),
            figure(
                "days_of_inventory",
                "Days of inventory",
                "days",
                days_of_inventory(period.days, turns),
            ),
            figure(
                "sell_through",
                "Sell-through",
                "percent",
                sell_through(
                    sum(i.units for i in stocked),
                    sum(i.ending_on_hand or 0 for i in stocked) if stocked else None,
                ),
            ),
            figure("a_items", "A items", "count", len(classes["A"])),
        ],
        charts=[
            Chart(
                key="units_by_class",
                title="Units sold by ABC class",
                kind="bar",
                labels=list(classes),
                series={"units": [float(sum(i.units for i in c)) for c in classes.values()]},
                unit="count",
            ),
            Chart(
                key="top_items",
                title="Top items by units sold",
                kind="bar",
                labels=[i.sku or i.title for i in items[:10]],
                series={"units": [float(i.units) for i in items[:10]]},
                unit="count",
            ),
        ],
        tables=[_items_table(items)],
        notes=_notes(items, value, stock, period),
    )


def ending_stock(
    reader: StockReader, period: Period, today: date
) -> date | Literal["current"] | None:
    """Where the stock at the period's end comes from: the latest snapshot of its last week,
    else today's stock when the period ends today (or later), else unknown."""
    last = min(period.last, today)
    day = reader.snapshot_day(max(period.first, last - timedelta(days=7)), last)
    if day is not None:
        return day
    return "current" if period.last >= today else None


def _items_table(items: list[ProductFacts]) -> Table:
    body: list[list[Cell]] = [
        [
            i.sku,
            i.title,
            i.abc,
            i.units,
            i.share_before,
            money(i.gross),
            None if i.unit_cost is None else money(i.unit_cost),
            None if i.unit_cost is None else money(i.unit_cost * i.units),
            i.ending_on_hand,
            sell_through(i.units, i.ending_on_hand),
        ]
        for i in items
    ]
    return Table(
        key="items_abc",
        title="Items sold, by units (ABC)",
        columns=[
            "sku",
            "title",
            "class",
            "units",
            "share_above",
            "gross_sales",
            "unit_cost",
            "cogs",
            "on_hand_at_end",
            "sell_through",
        ],
        units=units(
            "text",
            "text",
            "text",
            "count",
            "percent",
            "money",
            "money",
            "money",
            "count",
            "percent",
        ),
        rows=body,
    )


def _notes(
    items: list[ProductFacts],
    value: InventoryValue,
    stock: date | str | None,
    period: Period,
) -> list[str]:
    notes = [
        "Costs are today's unit costs from Shopify (Cost per item); COGS counts only units "
        "with a known cost, never an unknown one as zero."
    ]
    if not items:
        notes.append(f"No items were sold from {period.first} to {period.last}.")
    missing = [i for i in items if i.unit_cost is None]
    if missing:
        named = ", ".join(i.sku or i.title for i in missing[:LISTED_WITHOUT_COST])
        extra = len(missing) - LISTED_WITHOUT_COST
        more = f" and {extra} more" if extra > 0 else ""
        notes.append(
            f"{sum(i.units for i in missing)} units sold have no unit cost ({named}{more}): "
            "enter Cost per item on the product in Shopify; the next catalog sync reads it."
        )
    if value.source == "current":
        notes.append(
            "No stock snapshot falls in the period: today's stock value stands in for the "
            "average inventory."
        )
    elif value.days < period.days:
        notes.append(
            f"The average inventory value is over the {value.days} of {period.days} days "
            "with a stock snapshot."
        )
    if value.units_without_cost:
        notes.append(
            f"{value.units_without_cost} units on hand have no unit cost and are left out "
            "of the inventory value."
        )
    if stock is None:
        notes.append(
            "No stock snapshot near the period's end: sell-through and stock at the end are "
            "unknown."
        )
    return notes
