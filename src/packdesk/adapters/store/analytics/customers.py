"""Customers: repeat rates, lifetime value, cohorts and RFM scores (docs/analytics.md,
"Customers").

A customer is an order's `customer_key` (Shopify's customer id, else the e-mail address);
orders with neither are guests and counted apart. Spend is net sales (the current subtotal:
after discounts and returns, without shipping and tax).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from packdesk.adapters.store.analytics.sql import NOT_CANCELLED, AnalyticsSql
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import ts
from packdesk.domain.analytics.facts import CohortCell, CustomerFacts, RfmCell
from packdesk.domain.analytics.periods import Bucket

CUSTOMER_ORDERS = f"{NOT_CANCELLED} AND o.customer_key != ''"


class SqlCustomers:
    def __init__(self, db: Database, sql: AnalyticsSql) -> None:
        self.db = db
        self.sql = sql

    def _spend(self) -> str:
        return f"COALESCE({self.sql.cents('o.current_subtotal_price')}, 0)"

    def customers(self, start: datetime, end: datetime) -> CustomerFacts:
        row = self.db.one(
            f"""
            WITH c AS (
                SELECT o.customer_key AS k, COUNT(*) AS n, MIN(o.created_at) AS first_at,
                    SUM({self._spend()}) AS net,
                    SUM(CASE WHEN o.created_at >= ? THEN 1 ELSE 0 END) AS n_in
                FROM orders o
                WHERE {CUSTOMER_ORDERS} AND o.created_at < ?
                GROUP BY o.customer_key
            )
            SELECT COUNT(*) AS customers,
                COALESCE(SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END), 0) AS repeat,
                COALESCE(SUM(n), 0) AS orders, COALESCE(SUM(net), 0) AS net,
                COALESCE(SUM(CASE WHEN n_in >= 1 THEN 1 ELSE 0 END), 0) AS in_period,
                COALESCE(SUM(CASE WHEN n_in >= 2 THEN 1 ELSE 0 END), 0) AS repeat_in_period,
                COALESCE(SUM(CASE WHEN first_at >= ? THEN 1 ELSE 0 END), 0) AS new_in_period
            FROM c
            """,
            [ts(start), ts(end), ts(start)],
        )
        guests = self.db.scalar(
            f"SELECT COUNT(*) FROM orders o WHERE {NOT_CANCELLED} AND o.customer_key = ''"
            " AND o.created_at >= ? AND o.created_at < ?",
            [ts(start), ts(end)],
        )
        assert row is not None
        return CustomerFacts(
            customers=int(row["customers"]),
            repeat=int(row["repeat"]),
            orders=int(row["orders"]),
            net=int(row["net"]),
            in_period=int(row["in_period"]),
            repeat_in_period=int(row["repeat_in_period"]),
            new_in_period=int(row["new_in_period"]),
            guest_orders=int(guests),
        )

    def cohorts(self, months: Sequence[Bucket]) -> list[CohortCell]:
        if not months:
            return []
        values = ", ".join("(?, ?, ?, ?)" for _ in months)
        params: list[Any] = [
            x for n, m in enumerate(months) for x in (n, m.label, ts(m.start), ts(m.end))
        ]
        rows = self.db.query(
            f"""
            WITH m(idx, label, lo, hi) AS (VALUES {values}),
            firsts AS (
                SELECT o.customer_key AS k, MIN(o.created_at) AS first_at
                FROM orders o WHERE {CUSTOMER_ORDERS} AND o.created_at < ?
                GROUP BY o.customer_key
            ),
            cohort AS (
                SELECT f.k AS k, m.idx AS idx, m.label AS label
                FROM firsts f JOIN m ON f.first_at >= m.lo AND f.first_at < m.hi
            ),
            sizes AS (SELECT idx, COUNT(*) AS size FROM cohort GROUP BY idx),
            activity AS (
                SELECT c.idx AS cohort_idx, c.label AS cohort, m.idx AS month_idx, c.k AS k,
                    SUM({self._spend()}) AS spend
                FROM cohort c
                JOIN orders o ON o.customer_key = c.k AND {NOT_CANCELLED}
                JOIN m ON o.created_at >= m.lo AND o.created_at < m.hi
                GROUP BY c.idx, c.label, m.idx, c.k
            ),
            cells AS (
                SELECT cohort_idx, cohort, month_idx, COUNT(*) AS active, SUM(spend) AS spend
                FROM activity GROUP BY cohort_idx, cohort, month_idx
            )
            SELECT cells.cohort AS cohort, cells.month_idx - cells.cohort_idx AS month_offset,
                sizes.size AS size, cells.active AS active, cells.spend AS spend,
                SUM(cells.spend) OVER (
                    PARTITION BY cells.cohort_idx ORDER BY cells.month_idx
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative
            FROM cells JOIN sizes ON sizes.idx = cells.cohort_idx
            ORDER BY cells.cohort_idx, cells.month_idx
            """,
            [*params, ts(months[-1].end)],
        )
        return [
            CohortCell(
                cohort=r["cohort"],
                offset=int(r["month_offset"]),
                size=int(r["size"]),
                active=int(r["active"]),
                spend=int(r["spend"]),
                cumulative=int(r["cumulative"]),
            )
            for r in rows
        ]

    def rfm(self, end: datetime) -> list[RfmCell]:
        def score(order: str) -> str:
            rank = f"PERCENT_RANK() OVER (ORDER BY {order}) * 5"
            whole = f"1 + {self.sql.whole(rank)}"
            return f"CASE WHEN {whole} > 5 THEN 5 ELSE {whole} END"

        since = self.sql.days("?", "last_at")
        rows = self.db.query(
            f"""
            WITH c AS (
                SELECT o.customer_key AS k, MAX(o.created_at) AS last_at, COUNT(*) AS n,
                    SUM({self._spend()}) AS spend
                FROM orders o WHERE {CUSTOMER_ORDERS} AND o.created_at < ?
                GROUP BY o.customer_key
            ),
            s AS (
                SELECT c.*, {score("last_at")} AS r, {score("n")} AS f,
                    {score("spend")} AS m
                FROM c
            )
            SELECT r, f, m, COUNT(*) AS customers, SUM(spend) AS spend,
                AVG({since}) AS days_since
            FROM s GROUP BY r, f, m ORDER BY r DESC, f DESC, m DESC
            """,
            [ts(end), ts(end)],
        )
        return [
            RfmCell(
                r=int(x["r"]),
                f=int(x["f"]),
                m=int(x["m"]),
                customers=int(x["customers"]),
                spend=int(x["spend"]),
                days_since=float(x["days_since"]),
            )
            for x in rows
        ]
