"""Locations, products, variants and stock levels: the local copy of Shopify's catalog."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import chunks, dumps, loads, marks, parse_ts, ts
from packdesk.domain.models import Address, Location, StockLevel, Variant
from packdesk.domain.shop import ShopIdentity

VARIANT_SQL = (
    "SELECT v.*, coalesce(p.title, '') AS product_title, coalesce(p.vendor, '') AS vendor"
    " FROM variants v LEFT JOIN products p ON p.id = v.product_id"
)
STOCK_DAY_SQL = (
    "INSERT INTO stock_days (inventory_item_id, location_id, day, min_available,"
    " last_available) SELECT ?, ?, ?, ?, ? WHERE coalesce((SELECT available FROM"
    " inventory_levels WHERE inventory_item_id = ? AND location_id = ?), -2147483648) != ?"
    " ON CONFLICT (inventory_item_id, location_id, day) DO UPDATE SET"
    " min_available = CASE WHEN excluded.min_available < stock_days.min_available"
    " THEN excluded.min_available ELSE stock_days.min_available END,"
    " last_available = excluded.last_available"
)
"""A day's row of a level's history, written only when its available quantity changes (or
is first seen), before the level itself is updated."""


class SqlCatalog:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- locations ----------------------------------------------------------------------

    def save_locations(self, locations: Sequence[Location], at: datetime) -> None:
        self.db.execute_many(
            "INSERT INTO locations (id, name, code, is_shopify, active, updated_at, address)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " name = excluded.name, code = excluded.code, is_shopify = excluded.is_shopify,"
            " active = excluded.active, updated_at = excluded.updated_at,"
            " address = excluded.address",
            [
                (
                    loc.id,
                    loc.name,
                    loc.code,
                    int(loc.is_shopify),
                    int(loc.active),
                    ts(at),
                    dumps(loc.address.model_dump()) if loc.address else None,
                )
                for loc in locations
            ],
        )

    def locations(self) -> list[Location]:
        return [_location(r) for r in self.db.query("SELECT * FROM locations ORDER BY code")]

    def save_shop(self, shop: ShopIdentity, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO shop (id, name, domain, updated_at) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, domain = excluded.domain,"
            " updated_at = excluded.updated_at",
            [shop.name, shop.domain, ts(at)],
        )

    def shop(self) -> ShopIdentity | None:
        row = self.db.one("SELECT name, domain FROM shop WHERE id = 1")
        return ShopIdentity(name=row["name"], domain=row["domain"]) if row else None

    def location(self, code_or_id: str) -> Location | None:
        """The location [station].location names: its code, its name (any case), its GID
        or the number at the end of it; active locations first."""
        wanted = code_or_id.strip()
        rows = self.db.query(
            "SELECT * FROM locations WHERE upper(code) = upper(?) OR upper(name) = upper(?)"
            " OR id = ? OR id LIKE ? ORDER BY active DESC, id",
            [wanted, wanted, wanted, f"%/{wanted}"],
        )
        found = [loc for loc in map(_location, rows) if loc.answers_to(wanted)]
        return found[0] if found else None

    # -- products and variants ----------------------------------------------------------

    def save_variants(self, variants: Sequence[Variant]) -> None:
        with self.db.transaction():
            self.db.execute_many(
                "INSERT INTO products (id, title, vendor) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                " vendor = excluded.vendor",
                [(v.product_id, v.product_title, v.vendor) for v in variants],
            )
            self.db.execute_many(
                "INSERT INTO variants (id, product_id, title, sku, barcode,"
                " inventory_item_id, price, weight_g, length_cm, width_cm, height_cm, bin,"
                " unit_cost, cost_currency, hs_code, origin_country, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id,"
                " title = excluded.title, sku = excluded.sku, barcode = excluded.barcode,"
                " inventory_item_id = excluded.inventory_item_id, price = excluded.price,"
                " weight_g = excluded.weight_g, length_cm = excluded.length_cm,"
                " width_cm = excluded.width_cm, height_cm = excluded.height_cm,"
                " bin = excluded.bin, unit_cost = excluded.unit_cost,"
                " cost_currency = excluded.cost_currency, hs_code = excluded.hs_code,"
                " origin_country = excluded.origin_country, updated_at = excluded.updated_at",
                [
                    (
                        v.id,
                        v.product_id,
                        v.title,
                        v.sku,
                        v.barcode,
                        v.inventory_item_id,
                        str(v.price),
                        v.weight_g,
                        v.length_cm,
                        v.width_cm,
                        v.height_cm,
                        v.bin,
                        None if v.unit_cost is None else str(v.unit_cost),
                        v.cost_currency,
                        v.hs_code,
                        v.origin_country,
                        ts(v.updated_at),
                    )
                    for v in variants
                ],
            )

    def variant(self, variant_id: str) -> Variant | None:
        row = self.db.one(VARIANT_SQL + " WHERE v.id = ?", [variant_id])
        return variant_from_row(row) if row else None

    def variants(self) -> list[Variant]:
        return [variant_from_row(r) for r in self.db.query(VARIANT_SQL + " ORDER BY v.id")]

    def variants_by_id(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        found: dict[str, Variant] = {}
        for chunk in chunks([i for i in variant_ids if i]):
            for r in self.db.query(f"{VARIANT_SQL} WHERE v.id IN ({marks(chunk)})", chunk):
                found[r["id"]] = variant_from_row(r)
        return found

    def variant_for_code(self, code: str) -> Variant | None:
        # A code typed in lower case also finds an upper-case SKU: scanners and keyboards in
        # caps lock disagree.
        code = code.strip()
        if not code:
            return None
        for column in ("barcode", "sku"):
            for candidate in dict.fromkeys((code, code.upper())):
                row = self.db.one(
                    f"{VARIANT_SQL} WHERE v.{column} = ? ORDER BY v.id LIMIT 1", [candidate]
                )
                if row:
                    return variant_from_row(row)
        return None

    def bins(self, variant_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks([i for i in variant_ids if i]):
            for r in self.db.query(
                f"SELECT id, bin FROM variants WHERE id IN ({marks(chunk)}) AND bin != ''", chunk
            ):
                found[r["id"]] = r["bin"]
        return found

    def count_variants(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM variants"))

    # -- stock --------------------------------------------------------------------------

    def save_stock(self, levels: Sequence[StockLevel]) -> None:
        """Store levels, and a day's row of history for each whose available quantity
        changed, on the day Shopify says it changed (`updated_at`)."""
        with self.db.transaction():
            self.db.execute_many(
                STOCK_DAY_SQL,
                [
                    (
                        s.inventory_item_id,
                        s.location_id,
                        _day(s.updated_at),
                        s.available,
                        s.available,
                        s.inventory_item_id,
                        s.location_id,
                        s.available,
                    )
                    for s in levels
                    if s.updated_at is not None
                ],
            )
            self.db.execute_many(
                "INSERT INTO inventory_levels (inventory_item_id, location_id, available,"
                " on_hand, committed, incoming, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (inventory_item_id, location_id) DO UPDATE SET"
                " available = excluded.available, on_hand = excluded.on_hand,"
                " committed = excluded.committed, incoming = excluded.incoming,"
                " updated_at = excluded.updated_at",
                [
                    (
                        s.inventory_item_id,
                        s.location_id,
                        s.available,
                        s.on_hand,
                        s.committed,
                        s.incoming,
                        ts(s.updated_at),
                    )
                    for s in levels
                ],
            )

    def stock_levels(self, inventory_item_id: str | None = None) -> list[StockLevel]:
        sql = "SELECT * FROM inventory_levels"
        args: list[Any] = []
        if inventory_item_id is not None:
            sql += " WHERE inventory_item_id = ?"
            args.append(inventory_item_id)
        return [
            StockLevel(
                inventory_item_id=r["inventory_item_id"],
                location_id=r["location_id"],
                available=r["available"],
                on_hand=r["on_hand"],
                committed=r["committed"],
                incoming=r["incoming"],
                updated_at=parse_ts(r["updated_at"]),
            )
            for r in self.db.query(sql + " ORDER BY inventory_item_id, location_id", args)
        ]


def variant_from_row(r: Row) -> Variant:
    """A `variants` row (joined with its product's title) as a Variant."""
    return Variant(
        id=r["id"],
        product_id=r["product_id"],
        product_title=r["product_title"],
        title=r["title"],
        sku=r["sku"],
        barcode=r["barcode"],
        inventory_item_id=r["inventory_item_id"],
        price=Decimal(r["price"]),
        weight_g=r["weight_g"],
        length_cm=r["length_cm"],
        width_cm=r["width_cm"],
        height_cm=r["height_cm"],
        bin=r["bin"],
        unit_cost=None if r["unit_cost"] is None else Decimal(r["unit_cost"]),
        cost_currency=r["cost_currency"],
        vendor=r["vendor"],
        hs_code=r["hs_code"],
        origin_country=r["origin_country"],
        updated_at=parse_ts(r["updated_at"]),
    )


def _day(at: datetime | None) -> str:
    assert at is not None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).date().isoformat()


def _location(r: Row) -> Location:
    address = loads(r["address"])
    return Location(
        id=r["id"],
        name=r["name"],
        code=r["code"],
        is_shopify=bool(r["is_shopify"]),
        active=bool(r["active"]),
        address=Address(**address) if address else None,
    )
