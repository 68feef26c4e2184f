"""Shipping costs: labels bought in a span and the orders they shipped (docs/analytics.md,
"Shipping").

A label counts when its purchase is BOUGHT (a voided one was refunded) and it was billed in
the shop's currency; its cost is the rate plus the label fee.
"""

from __future__ import annotations

from datetime import datetime

from packdesk.adapters.store.analytics.sql import AnalyticsSql
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import ts
from packdesk.domain.analytics.facts import ServiceMatch, ShippingGroup, ShippingTotals

GROUPINGS = ("carrier", "service", "zone", "warehouse")


class SqlShipping:
    def __init__(self, db: Database, sql: AnalyticsSql) -> None:
        self.db = db
        self.sql = sql

    def _labels(self) -> str:
        """The CTE `l` of the span's labels; parameters: start, end, currency."""
        c = self.sql.cents
        return f"""
            l AS (
                SELECT p.order_id AS order_id, p.package_no AS package_no,
                    p.carrier AS carrier, p.service_name AS service_name,
                    p.rate_id AS rate_id, p.created_at AS created_at,
                    {c("p.cost")} + {c("p.fee")} AS cost
                FROM label_purchases p
                WHERE p.state = 'BOUGHT' AND p.created_at >= ? AND p.created_at < ?
                  AND p.currency = ?
            )"""

    def shipping(self, start: datetime, end: datetime, currency: str) -> ShippingTotals:
        c = self.sql.cents
        days = self.sql.days("lo.first_label", "o.created_at")
        span = [ts(start), ts(end), currency]
        row = self.db.one(
            f"""
            WITH {self._labels()},
            lo AS (
                SELECT order_id, COUNT(*) AS parcels, SUM(cost) AS cost,
                    MIN(created_at) AS first_label
                FROM l GROUP BY order_id
            ),
            d AS (
                SELECT lo.parcels AS parcels, lo.cost AS cost, {days} AS days,
                    {c("o.total_shipping")} AS charged,
                    {c("o.current_subtotal_price")} AS net
                FROM lo LEFT JOIN orders o ON o.id = lo.order_id
            )
            SELECT COUNT(*) AS orders, COALESCE(SUM(parcels), 0) AS parcels,
                COALESCE(SUM(cost), 0) AS cost,
                COALESCE(SUM(charged), 0) AS charged, COUNT(charged) AS charged_known,
                COALESCE(SUM(CASE WHEN charged IS NULL THEN 0 ELSE cost END), 0) AS cost_known,
                COALESCE(SUM(net), 0) AS net_sales,
                AVG(days) AS days,
                SUM(CASE WHEN days < 1 THEN 1 ELSE 0 END) AS same_day,
                SUM(CASE WHEN days >= 1 AND days < 2 THEN 1 ELSE 0 END) AS next_day,
                SUM(CASE WHEN days >= 2 THEN 1 ELSE 0 END) AS later
            FROM d
            """,
            span,
        )
        weight = self.db.one(
            f"""
            WITH {self._labels()}
            SELECT COALESCE(SUM(pk.weight_g), 0) AS grams, COUNT(pk.order_id) AS weighed,
                COALESCE(SUM(l.cost), 0) AS weighed_cost
            FROM l JOIN packages pk
              ON pk.order_id = l.order_id AND pk.package_no = l.package_no
            """,
            span,
        )
        assert row is not None
        assert weight is not None
        return ShippingTotals(
            orders=int(row["orders"]),
            parcels=int(row["parcels"]),
            cost=int(row["cost"]),
            weight_g=float(weight["grams"]),
            weighed=int(weight["weighed"]),
            weighed_cost=int(weight["weighed_cost"]),
            charged=int(row["charged"]),
            charged_known=int(row["charged_known"]),
            cost_known=int(row["cost_known"]),
            net_sales=int(row["net_sales"]),
            days_to_label=None if row["days"] is None else float(row["days"]),
            same_day=int(row["same_day"] or 0),
            next_day=int(row["next_day"] or 0),
            later=int(row["later"] or 0),
        )

    def shipping_groups(
        self, start: datetime, end: datetime, currency: str
    ) -> dict[str, list[ShippingGroup]]:
        """One pass over the span's labels (`x`, materialized once), grouped four ways."""
        grouped = " UNION ALL ".join(
            f"""
            SELECT '{by}' AS grouping, {by} AS key, COUNT(*) AS parcels,
                COUNT(DISTINCT order_id) AS orders, SUM(cost) AS cost,
                COALESCE(SUM(grams), 0) AS grams, SUM(weighed) AS weighed,
                SUM(weighed * cost) AS weighed_cost
            FROM x GROUP BY {by}"""
            for by in GROUPINGS
        )
        rows = self.db.query(
            f"""
            WITH {self._labels()},
            f AS (
                SELECT order_id, MIN(location_id) AS location_id FROM fulfillment_orders
                WHERE order_id IN (SELECT order_id FROM l) GROUP BY order_id
            ),
            x AS MATERIALIZED (
                SELECT l.order_id AS order_id, l.cost AS cost, l.carrier AS carrier,
                    l.carrier || ' ' || l.service_name AS service,
                    COALESCE(NULLIF(r.zone, ''), '?') AS zone,
                    COALESCE(loc.code, '?') AS warehouse,
                    pk.weight_g AS grams,
                    CASE WHEN pk.order_id IS NULL THEN 0 ELSE 1 END AS weighed
                FROM l
                LEFT JOIN packages pk
                  ON pk.order_id = l.order_id AND pk.package_no = l.package_no
                LEFT JOIN rates r ON r.id = l.rate_id
                LEFT JOIN f ON f.order_id = l.order_id
                LEFT JOIN locations loc ON loc.id = f.location_id
            )
            {grouped}
            """,
            [ts(start), ts(end), currency],
        )
        found: dict[str, list[ShippingGroup]] = {by: [] for by in GROUPINGS}
        for r in rows:
            found[r["grouping"]].append(
                ShippingGroup(
                    key=r["key"],
                    parcels=int(r["parcels"]),
                    orders=int(r["orders"]),
                    cost=int(r["cost"]),
                    weight_g=float(r["grams"]),
                    weighed=int(r["weighed"]),
                    weighed_cost=int(r["weighed_cost"]),
                )
            )
        for groups in found.values():
            groups.sort(key=lambda g: (-g.cost, g.key))
        return found

    def service_matches(self, start: datetime, end: datetime, currency: str) -> list[ServiceMatch]:
        requested = "COALESCE(NULLIF(o.shipping_title, ''), '?')"
        bought = "l.carrier || ' ' || l.service_name"
        return [
            ServiceMatch(
                requested=r["requested"],
                bought=r["bought"],
                parcels=int(r["parcels"]),
                cost=int(r["cost"]),
            )
            for r in self.db.query(
                f"""
                WITH {self._labels()}
                SELECT {requested} AS requested, {bought} AS bought,
                    COUNT(*) AS parcels, SUM(l.cost) AS cost
                FROM l LEFT JOIN orders o ON o.id = l.order_id
                GROUP BY {requested}, {bought}
                ORDER BY {requested}, COUNT(*) DESC, {bought}
                """,
                [ts(start), ts(end), currency],
            )
        ]
