"""Sales by bucket and the period's currencies (docs/analytics.md, "Orders and revenue").

Each bucket is a row of a `VALUES` list joined to orders by a range on `created_at`, so one
statement answers a whole trend and every bucket is an index range of `orders_created`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from packdesk.adapters.store.analytics.sql import NOT_CANCELLED, AnalyticsSql, bucket_values
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import ts
from packdesk.domain.analytics.facts import CurrencyMix, SalesFacts
from packdesk.domain.analytics.periods import Bucket


class SqlSales:
    def __init__(self, db: Database, sql: AnalyticsSql) -> None:
        self.db = db
        self.sql = sql

    def sales(self, buckets: Sequence[Bucket], currency: str) -> list[SalesFacts]:
        if not buckets:
            return []
        c = self.sql.cents
        statement = f"""
            WITH b(label, lo, hi) AS (VALUES {bucket_values(len(buckets))}),
            m AS (
                SELECT b.label AS label, COUNT(*) AS orders,
                    SUM(CASE WHEN o.subtotal_price IS NULL THEN 0 ELSE 1 END) AS known,
                    COALESCE(SUM({c("o.subtotal_price")}), 0) AS subtotal,
                    COALESCE(SUM({c("o.current_subtotal_price")}), 0) AS current_subtotal,
                    COALESCE(SUM({c("o.total_discounts")}), 0) AS discounts,
                    COALESCE(SUM({c("o.total_shipping")}), 0) AS shipping,
                    COALESCE(SUM({c("o.total_tax")}), 0) AS tax
                FROM b JOIN orders o ON o.created_at >= b.lo AND o.created_at < b.hi
                WHERE {NOT_CANCELLED} AND o.currency = ?
                GROUP BY b.label
            ),
            u AS (
                SELECT b.label AS label, SUM(li.quantity) AS units
                FROM b JOIN orders o ON o.created_at >= b.lo AND o.created_at < b.hi
                JOIN line_items li ON li.order_id = o.id
                WHERE {NOT_CANCELLED} AND o.currency = ?
                GROUP BY b.label
            )
            SELECT b.label AS label, COALESCE(m.orders, 0) AS orders,
                COALESCE(u.units, 0) AS units, COALESCE(m.known, 0) AS known,
                COALESCE(m.subtotal + m.discounts, 0) AS gross,
                COALESCE(m.discounts, 0) AS discounts,
                COALESCE(m.subtotal - m.current_subtotal, 0) AS returns,
                COALESCE(m.current_subtotal, 0) AS net,
                COALESCE(m.shipping, 0) AS shipping,
                COALESCE(m.tax, 0) AS tax
            FROM b LEFT JOIN m ON m.label = b.label LEFT JOIN u ON u.label = b.label
            ORDER BY b.lo
        """
        params = [x for b in buckets for x in (b.label, ts(b.start), ts(b.end))]
        params += [currency, currency]
        return [
            SalesFacts(
                label=r["label"],
                orders=int(r["orders"]),
                units=int(r["units"]),
                known=int(r["known"]),
                gross=int(r["gross"]),
                discounts=int(r["discounts"]),
                returns=int(r["returns"]),
                net=int(r["net"]),
                shipping=int(r["shipping"]),
                tax=int(r["tax"]),
            )
            for r in self.db.query(statement, params)
        ]

    def sales_total(self, start: datetime, end: datetime, currency: str) -> SalesFacts:
        return self.sales([Bucket("", start, end)], currency)[0]

    def currencies(self, start: datetime, end: datetime) -> CurrencyMix:
        shop: Counter[str] = Counter()
        paid: Counter[str] = Counter()
        for r in self.db.query(
            f"""
            SELECT o.currency AS shop,
                CASE WHEN o.presentment_currency = '' THEN o.currency
                     ELSE o.presentment_currency END AS paid,
                COUNT(*) AS n
            FROM orders o
            WHERE o.created_at >= ? AND o.created_at < ? AND {NOT_CANCELLED}
            GROUP BY o.currency,
                CASE WHEN o.presentment_currency = '' THEN o.currency
                     ELSE o.presentment_currency END
            """,
            [ts(start), ts(end)],
        ):
            shop[r["shop"]] += int(r["n"])
            paid[r["paid"]] += int(r["n"])
        if not shop:
            latest = self.db.scalar("SELECT currency FROM orders ORDER BY created_at DESC LIMIT 1")
            shop[latest or "USD"] = 0
        labels = {
            r["currency"]: int(r["n"])
            for r in self.db.query(
                "SELECT currency, COUNT(*) AS n FROM label_purchases"
                " WHERE state = 'BOUGHT' AND created_at >= ? AND created_at < ?"
                " GROUP BY currency",
                [ts(start), ts(end)],
            )
        }
        main = shop.most_common(1)[0][0]
        return CurrencyMix(
            shop=main,
            paid_in=dict(paid),
            label_currencies=labels,
            other_shop_currency={k: n for k, n in shop.items() if k != main},
        )
