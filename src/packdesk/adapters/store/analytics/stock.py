"""Items sold with their ABC class, stock snapshots, and the value of stock on hand
(docs/analytics.md, "Inventory").

ABC classes come from one window function: items ranked by units sold, each with the units
of every item ranked above it (`SUM(...) OVER (ORDER BY ... ROWS BETWEEN UNBOUNDED PRECEDING
AND 1 PRECEDING)`), cut at the shares the caller gives.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from packdesk.adapters.store.analytics.sql import NOT_CANCELLED, AnalyticsSql
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import ts
from packdesk.domain.analytics.facts import InventoryValue, ProductFacts

ITEM_KEY = "COALESCE(NULLIF(li.variant_id, ''), 'sku:' || li.sku || ':' || li.title)"


def ranked_items(sql: AnalyticsSql) -> str:
    """CTEs `sold` and `ranked`: items sold between two instants (parameters: start, end,
    a_share, b_share), with `abc` and `share_before`."""
    return f"""
        sold AS (
            SELECT {ITEM_KEY} AS item, MAX(li.variant_id) AS variant_id,
                MAX(li.sku) AS sku, MAX(li.title) AS title,
                SUM(li.quantity) AS units, SUM({sql.cents("li.price")} * li.quantity) AS gross
            FROM orders o JOIN line_items li ON li.order_id = o.id
            WHERE o.created_at >= ? AND o.created_at < ? AND {NOT_CANCELLED}
              AND li.quantity > 0
            GROUP BY {ITEM_KEY}
        ),
        ordered AS (
            SELECT sold.*,
                COALESCE(SUM(units) OVER (
                    ORDER BY units DESC, item
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS units_before,
                SUM(units) OVER () AS all_units
            FROM sold
        ),
        ranked AS (
            SELECT ordered.*,
                CASE WHEN units_before < ? * all_units THEN 'A'
                     WHEN units_before < ? * all_units THEN 'B'
                     ELSE 'C' END AS abc
            FROM ordered
        )"""


class SqlStock:
    def __init__(self, db: Database, sql: AnalyticsSql) -> None:
        self.db = db
        self.sql = sql

    def snapshot_day(self, first: date, last: date) -> date | None:
        day = self.db.scalar(
            "SELECT MAX(day) FROM stock_snapshots WHERE day >= ? AND day <= ?",
            [first.isoformat(), last.isoformat()],
        )
        return date.fromisoformat(day) if day else None

    def products(
        self,
        start: datetime,
        end: datetime,
        stock: date | Literal["current"] | None,
        a_share: float,
        b_share: float,
    ) -> list[ProductFacts]:
        params: list[Any] = [ts(start), ts(end), a_share, b_share]
        if stock is None:
            on_hand = "SELECT NULL AS variant_id, NULL AS on_hand WHERE 1 = 0"
        elif stock == "current":
            on_hand = (
                "SELECT v.id AS variant_id, SUM(il.on_hand) AS on_hand FROM variants v"
                " JOIN inventory_levels il ON il.inventory_item_id = v.inventory_item_id"
                " WHERE v.id IN (SELECT variant_id FROM ranked) GROUP BY v.id"
            )
        else:
            on_hand = (
                "SELECT v.id AS variant_id, SUM(s.on_hand) AS on_hand FROM variants v"
                " JOIN stock_snapshots s ON s.inventory_item_id = v.inventory_item_id"
                " WHERE s.day = ? AND v.id IN (SELECT variant_id FROM ranked) GROUP BY v.id"
            )
            params.append(stock.isoformat())
        rows = self.db.query(
            f"""
            WITH {ranked_items(self.sql)},
            stock AS ({on_hand})
            SELECT r.item, r.sku, r.title, r.units, r.gross, r.abc, r.units_before,
                r.all_units, {self.sql.cents("v.unit_cost")} AS unit_cost,
                stock.on_hand AS on_hand, stock.variant_id AS stocked
            FROM ranked r
            LEFT JOIN variants v ON v.id = r.variant_id
            LEFT JOIN stock ON stock.variant_id = r.variant_id
            ORDER BY r.units DESC, r.item
            """,
            params,
        )
        return [
            ProductFacts(
                key=r["item"],
                sku=r["sku"],
                title=r["title"],
                units=int(r["units"]),
                gross=int(r["gross"]),
                unit_cost=None if r["unit_cost"] is None else int(r["unit_cost"]),
                abc=r["abc"],
                share_before=int(r["units_before"]) / int(r["all_units"]),
                ending_on_hand=_on_hand(r, stock),
            )
            for r in rows
        ]

    def inventory_value(self, first_day: date, last_day: date) -> InventoryValue:
        c = self.sql.cents
        value = f"CASE WHEN s.on_hand > 0 THEN s.on_hand * COALESCE({c('s.unit_cost')}, 0) END"
        row = self.db.one(
            f"""
            SELECT COUNT(*) AS days, AVG(value) AS average FROM (
                SELECT s.day, COALESCE(SUM({value}), 0) AS value
                FROM stock_snapshots s WHERE s.day >= ? AND s.day <= ?
                GROUP BY s.day
            ) d
            """,
            [first_day.isoformat(), last_day.isoformat()],
        )
        assert row is not None
        if int(row["days"]):
            missing = self.db.scalar(
                "SELECT COALESCE(SUM(on_hand), 0) FROM stock_snapshots"
                " WHERE day = (SELECT MAX(day) FROM stock_snapshots WHERE day >= ? AND day <= ?)"
                " AND unit_cost IS NULL AND on_hand > 0",
                [first_day.isoformat(), last_day.isoformat()],
            )
            return InventoryValue(
                average=round(float(row["average"])),
                days=int(row["days"]),
                source="snapshots",
                units_without_cost=int(missing),
            )
        current = self.db.one(
            f"""
            SELECT COALESCE(SUM(CASE WHEN v.unit_cost IS NULL THEN 0
                                     ELSE il.on_hand * {c("v.unit_cost")} END), 0) AS value,
                COALESCE(SUM(CASE WHEN v.unit_cost IS NULL THEN il.on_hand ELSE 0 END), 0)
                    AS missing,
                COUNT(*) AS levels
            FROM inventory_levels il
            JOIN variants v ON v.inventory_item_id = il.inventory_item_id
            WHERE il.on_hand > 0
            """
        )
        assert current is not None
        return InventoryValue(
            average=int(current["value"]) if int(current["levels"]) else None,
            days=0,
            source="current",
            units_without_cost=int(current["missing"]),
        )

    def take_snapshot(self, day: date, at: datetime) -> int:
        return self.db.execute(
            """
            INSERT INTO stock_snapshots (day, inventory_item_id, location_id, on_hand,
                available, unit_cost, taken_at)
            SELECT ?, il.inventory_item_id, il.location_id, il.on_hand, il.available,
                (SELECT MAX(v.unit_cost) FROM variants v
                 WHERE v.inventory_item_id = il.inventory_item_id), ?
            FROM inventory_levels il
            WHERE 1 = 1
            ON CONFLICT (day, inventory_item_id, location_id) DO UPDATE SET
                on_hand = excluded.on_hand, available = excluded.available,
                unit_cost = excluded.unit_cost, taken_at = excluded.taken_at
            """,
            [day.isoformat(), ts(at)],
        )


def _on_hand(row: Any, stock: date | str | None) -> int | None:
    """Units on hand at the end, or None when unknown (no stock source, an item packdesk
    has no stock level for)."""
    if stock is None or row["stocked"] is None:
        return None
    return int(row["on_hand"])
