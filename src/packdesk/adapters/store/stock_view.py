"""The stock view's reads: Shopify's levels with the day-by-day history `catalog` keeps of
them, sales by day, and FBA imports (stored whole, matched to variants)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import chunks, dumps, loads, marks, required_ts, ts
from packdesk.domain.inventory.demand import StockDay
from packdesk.domain.inventory.fba import FbaImport, FbaSnapshot
from packdesk.domain.inventory.stock import FbaQuantities, ShopifyQuantities, VariantStock
from packdesk.domain.ports.inventory import SalesKey

FBA_KEEP_DAYS = 180
"""FBA imports older than this are dropped when a new one is stored (the latest stays)."""

SALES_SQL = """
SELECT li.variant_id, coalesce((
        SELECT fo.location_id FROM fulfillment_order_lines fol
        JOIN fulfillment_orders fo ON fo.id = fol.fulfillment_order_id
        WHERE fol.line_item_id = li.id AND fo.status != 'CANCELLED'
        ORDER BY fo.updated_at DESC, fo.id DESC LIMIT 1
    ), '') AS location_id, substr(o.created_at, 1, 10) AS day, sum(li.quantity) AS units
FROM orders o JOIN line_items li ON li.order_id = o.id
WHERE o.created_at >= ? AND o.created_at < ? AND o.cancelled_at IS NULL
  AND li.variant_id != '' AND li.quantity > 0 {variants}
GROUP BY li.variant_id, location_id, day
"""
"""Units sold a day per variant, placed at the location of the line's newest fulfillment
order that was not cancelled (moved orders count where they went)."""

FBA_COLUMNS = (
    "fulfillable",
    "unsellable",
    "reserved",
    "warehouse",
    "total",
    "inbound_working",
    "inbound_shipped",
    "inbound_receiving",
    "researching",
)


def display_title(product: str, variant: str) -> str:
    if variant and variant != "Default Title":
        return f"{product} — {variant}" if product else variant
    return product or variant


def _fba(row: Row, as_of: datetime) -> FbaQuantities:
    return FbaQuantities(
        fulfillable=row["fulfillable"],
        inbound_working=row["inbound_working"],
        inbound_shipped=row["inbound_shipped"],
        inbound_receiving=row["inbound_receiving"],
        reserved=row["reserved"],
        unsellable=row["unsellable"],
        researching=row["researching"],
        total=row["total"],
        as_of=as_of,
    )


class SqlStockView:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the stock view -----------------------------------------------------------------

    def variant_stock(self, skus: Sequence[str] | None = None) -> list[VariantStock]:
        sql = (
            "SELECT v.id, v.sku, v.title, v.barcode, v.inventory_item_id,"
            " coalesce(p.title, '') AS product_title, coalesce(p.vendor, '') AS vendor"
            " FROM variants v LEFT JOIN products p ON p.id = v.product_id"
        )
        with self.db.transaction(write=False):  # one snapshot of levels and imports
            if skus is None:
                rows = self.db.query(sql + " ORDER BY v.sku, v.id")
            else:
                wanted = sorted({s.strip().lower() for s in skus if s.strip()})
                rows = []
                for chunk in chunks(wanted):
                    rows += self.db.query(f"{sql} WHERE lower(v.sku) IN ({marks(chunk)})", chunk)
                rows.sort(key=lambda r: (r["sku"], r["id"]))
            items = [r["inventory_item_id"] for r in rows if r["inventory_item_id"]]
            levels = self._levels(None if skus is None else items)
            fba = self._latest_fba(None if skus is None else [r["id"] for r in rows])
        return [
            VariantStock(
                variant_id=r["id"],
                sku=r["sku"],
                title=display_title(r["product_title"], r["title"]),
                vendor=r["vendor"],
                barcode=r["barcode"],
                inventory_item_id=r["inventory_item_id"],
                levels=levels.get(r["inventory_item_id"], {}),
                fba=fba.get(r["id"]),
            )
            for r in rows
        ]

    def _levels(self, items: Sequence[str] | None) -> dict[str, dict[str, ShopifyQuantities]]:
        sql = (
            "SELECT inventory_item_id, location_id, available, committed, on_hand, incoming"
            " FROM inventory_levels"
        )
        found: dict[str, dict[str, ShopifyQuantities]] = {}
        batches = (
            [self.db.query(sql)]
            if items is None
            else [
                self.db.query(f"{sql} WHERE inventory_item_id IN ({marks(c)})", c)
                for c in chunks(items)
            ]
        )
        for rows in batches:
            for r in rows:
                found.setdefault(r["inventory_item_id"], {})[r["location_id"]] = ShopifyQuantities(
                    r["available"], r["committed"], r["on_hand"], r["incoming"]
                )
        return found

    def _latest_fba(self, variant_ids: Sequence[str] | None) -> dict[str, FbaQuantities]:
        latest = self.db.one("SELECT id, as_of FROM fba_imports ORDER BY as_of DESC, id DESC")
        if latest is None:
            return {}
        as_of = required_ts(latest["as_of"])
        sql = "SELECT * FROM fba_stock WHERE import_id = ? AND variant_id != ''"
        if variant_ids is None:
            rows = self.db.query(sql, [latest["id"]])
        else:
            rows = []
            for c in chunks(variant_ids):
                rows += self.db.query(f"{sql} AND variant_id IN ({marks(c)})", [latest["id"], *c])
        return {r["variant_id"]: _fba(r, as_of) for r in rows}

    def daily_sales(
        self, first: date, last: date, variant_ids: Sequence[str] | None = None
    ) -> dict[SalesKey, dict[date, int]]:
        bounds = [first.isoformat(), (last + timedelta(days=1)).isoformat()]
        batches: list[list[Row]]
        if variant_ids is None:
            batches = [self.db.query(SALES_SQL.format(variants=""), bounds)]
        else:
            batches = [
                self.db.query(
                    SALES_SQL.format(variants=f"AND li.variant_id IN ({marks(c)})"), [*bounds, *c]
                )
                for c in chunks(variant_ids)
            ]
        sales: dict[SalesKey, dict[date, int]] = {}
        for rows in batches:
            for r in rows:
                key = (r["variant_id"], r["location_id"])
                sales.setdefault(key, {})[date.fromisoformat(r["day"])] = int(r["units"])
        return sales

    def stock_days(
        self, since: date, item_ids: Sequence[str] | None = None
    ) -> dict[tuple[str, str], list[StockDay]]:
        day = since.isoformat()
        sql = (
            "SELECT * FROM stock_days WHERE day >= ?{items} UNION ALL"
            " SELECT s.* FROM stock_days s JOIN (SELECT inventory_item_id, location_id,"
            " max(day) AS day FROM stock_days WHERE day < ?{items} GROUP BY inventory_item_id,"
            " location_id) m ON m.inventory_item_id = s.inventory_item_id"
            " AND m.location_id = s.location_id AND m.day = s.day"
        )
        batches: list[list[Row]]
        if item_ids is None:
            batches = [self.db.query(sql.format(items=""), [day, day])]
        else:
            batches = []
            for c in chunks(item_ids):
                where = f" AND inventory_item_id IN ({marks(c)})"
                batches.append(self.db.query(sql.format(items=where), [day, *c, day, *c]))
        found: dict[tuple[str, str], list[StockDay]] = {}
        for rows in batches:
            for r in rows:
                found.setdefault((r["inventory_item_id"], r["location_id"]), []).append(
                    StockDay(date.fromisoformat(r["day"]), r["min_available"], r["last_available"])
                )
        for days in found.values():
            days.sort(key=lambda d: d.day)
        return found

    # -- FBA ----------------------------------------------------------------------------

    def fba_totals(
        self, since: datetime, variant_ids: Sequence[str] | None = None
    ) -> dict[str, list[tuple[datetime, int]]]:
        sql = (
            "SELECT s.*, i.as_of FROM fba_stock s JOIN fba_imports i ON i.id = s.import_id"
            " WHERE i.as_of >= ? AND s.variant_id != ''"
        )
        batches: list[list[Row]]
        if variant_ids is None:
            batches = [self.db.query(sql, [ts(since)])]
        else:
            batches = [
                self.db.query(f"{sql} AND s.variant_id IN ({marks(c)})", [ts(since), *c])
                for c in chunks(variant_ids)
            ]
        found: dict[str, list[tuple[datetime, int]]] = {}
        for rows in batches:
            for r in rows:
                as_of = required_ts(r["as_of"])
                found.setdefault(r["variant_id"], []).append((as_of, _fba(r, as_of).network_total))
        for totals in found.values():
            totals.sort()
        return found

    def save_fba_import(self, snapshot: FbaSnapshot, imported_at: datetime) -> FbaImport:
        exact: dict[str, str] = {}
        folded: dict[str, list[str]] = {}
        for r in self.db.query("SELECT id, sku FROM variants WHERE sku != '' ORDER BY id"):
            exact.setdefault(r["sku"], r["id"])
            folded.setdefault(r["sku"].casefold(), []).append(r["id"])

        def match(sku: str) -> str:
            if sku in exact:
                return exact[sku]
            candidates = folded.get(sku.casefold(), [])
            return candidates[0] if len(candidates) == 1 else ""

        matches = {item.sku: match(item.sku) for item in snapshot.items}
        unmatched = sorted(sku for sku, variant in matches.items() if not variant)
        with self.db.transaction():
            import_id = int(
                self.db.scalar(
                    "INSERT INTO fba_imports (source, name, as_of, imported_at, row_count,"
                    " matched, unmatched, ignored_columns, missing_columns)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    [
                        snapshot.source,
                        snapshot.name,
                        ts(snapshot.as_of),
                        ts(imported_at),
                        len(snapshot.items),
                        len(snapshot.items) - len(unmatched),
                        dumps(unmatched),
                        dumps(list(snapshot.ignored_columns)),
                        dumps(list(snapshot.missing_columns)),
                    ],
                )
            )
            self.db.execute_many(
                "INSERT INTO fba_stock (import_id, sku, variant_id, fnsku, asin, product_name,"
                f" condition, price, {', '.join(FBA_COLUMNS)})"
                f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, {marks(FBA_COLUMNS)})",
                [
                    (
                        import_id,
                        item.sku,
                        matches[item.sku],
                        item.fnsku,
                        item.asin,
                        item.product_name,
                        item.condition,
                        None if item.price is None else str(item.price),
                        *(getattr(item, column) for column in FBA_COLUMNS),
                    )
                    for item in snapshot.items
                ],
            )
            self.db.execute(
                "DELETE FROM fba_imports WHERE as_of < ? AND id != ?",
                [ts(snapshot.as_of - timedelta(days=FBA_KEEP_DAYS)), import_id],
            )
        found = self.db.one("SELECT * FROM fba_imports WHERE id = ?", [import_id])
        assert found is not None
        return _import(found)

    def fba_imports(self, limit: int = 20) -> list[FbaImport]:
        rows = self.db.query(
            "SELECT * FROM fba_imports ORDER BY as_of DESC, id DESC LIMIT ?", [limit]
        )
        return [_import(r) for r in rows]


def _import(r: Row) -> FbaImport:
    return FbaImport(
        id=r["id"],
        source=r["source"],
        name=r["name"],
        as_of=required_ts(r["as_of"]),
        imported_at=required_ts(r["imported_at"]),
        rows=r["row_count"],
        matched=r["matched"],
        unmatched=tuple(loads(r["unmatched"]) or ()),
        ignored_columns=tuple(loads(r["ignored_columns"]) or ()),
        missing_columns=tuple(loads(r["missing_columns"]) or ()),
    )
