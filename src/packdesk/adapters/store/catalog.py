"""Locations, products, variants and stock levels: the local copy of Shopify's catalog."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlite_utils

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import dumps, loads, parse_ts, ts
from packdesk.adapters.store.sync_state import write_status
from packdesk.domain.models import Address, Location, StockLevel, SyncStatus, Variant


class CatalogRows:
    database: Database

    # -- locations ----------------------------------------------------------------------------

    def store_locations(self, locations: Sequence[Location], status: SyncStatus) -> None:
        """Upsert every location (with its ship-from address) and the locations' sync state."""
        with self.database.transaction() as db:
            for loc in locations:
                db.execute(
                    "INSERT INTO locations (id, name, code, is_shopify, active, updated_at,"
                    " address) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    " name = excluded.name, code = excluded.code,"
                    " is_shopify = excluded.is_shopify, active = excluded.active,"
                    " updated_at = excluded.updated_at, address = excluded.address",
                    [
                        loc.id,
                        loc.name,
                        loc.code,
                        int(loc.is_shopify),
                        int(loc.active),
                        ts(status.last_success_at),
                        dumps(loc.address.model_dump()) if loc.address else None,
                    ],
                )
            write_status(db, status)

    def locations(self) -> list[Location]:
        return [
            _location(r) for r in self.database.db.query("SELECT * FROM locations ORDER BY code")
        ]

    def location_by_code(self, code: str) -> Location | None:
        row = next(
            self.database.db.query(
                "SELECT * FROM locations WHERE upper(code) = upper(?) ORDER BY active DESC",
                [code],
            ),
            None,
        )
        return _location(row) if row else None

    def location_by_id(self, location_id: str) -> Location | None:
        row = next(
            self.database.db.query("SELECT * FROM locations WHERE id = ?", [location_id]), None
        )
        return _location(row) if row else None

    # -- products and variants ----------------------------------------------------------------

    def store_variants_page(self, variants: Sequence[Variant], status: SyncStatus) -> None:
        """Upsert variants and their products, and the catalog cursor, in one transaction."""
        with self.database.transaction() as db:
            for v in variants:
                db.execute(
                    "INSERT INTO products (id, title) VALUES (?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET title = excluded.title",
                    [v.product_id, v.product_title],
                )
                db.execute(
                    "INSERT INTO variants (id, product_id, title, sku, barcode,"
                    " inventory_item_id, price, weight_g, length_cm, width_cm, height_cm, bin,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id,"
                    " title = excluded.title, sku = excluded.sku, barcode = excluded.barcode,"
                    " inventory_item_id = excluded.inventory_item_id, price = excluded.price,"
                    " weight_g = excluded.weight_g, length_cm = excluded.length_cm,"
                    " width_cm = excluded.width_cm, height_cm = excluded.height_cm,"
                    " bin = excluded.bin, updated_at = excluded.updated_at",
                    [
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
                        ts(v.updated_at),
                    ],
                )
            write_status(db, status)

    def get_variant(self, variant_id: str) -> Variant | None:
        row = next(self.database.db.query(VARIANT_SQL + " WHERE v.id = ?", [variant_id]), None)
        return variant_from_row(row) if row else None

    def variant_by_code(self, code: str) -> Variant | None:
        """The variant whose barcode is `code`, else whose SKU is (what a scan names)."""
        return find_variant_by_code(self.database.db, code)

    def variants(self) -> list[Variant]:
        return [variant_from_row(r) for r in self.database.db.query(VARIANT_SQL + " ORDER BY v.id")]

    def count_variants(self) -> int:
        return int(self.database.db.execute("SELECT count(*) FROM variants").fetchone()[0])

    # -- stock --------------------------------------------------------------------------------

    def store_stock_page(self, levels: Sequence[StockLevel], status: SyncStatus) -> None:
        """Upsert stock levels and the inventory cursor in one transaction."""
        with self.database.transaction() as db:
            db.conn.executemany(
                "INSERT INTO inventory_levels (inventory_item_id, location_id, available,"
                " on_hand, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (inventory_item_id, location_id) DO UPDATE SET"
                " available = excluded.available, on_hand = excluded.on_hand,"
                " updated_at = excluded.updated_at",
                [
                    (s.inventory_item_id, s.location_id, s.available, s.on_hand, ts(s.updated_at))
                    for s in levels
                ],
            )
            write_status(db, status)

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
                updated_at=parse_ts(r["updated_at"]),
            )
            for r in self.database.db.query(sql + " ORDER BY inventory_item_id, location_id", args)
        ]


VARIANT_SQL = (
    "SELECT v.*, coalesce(p.title, '') AS product_title FROM variants v"
    " LEFT JOIN products p ON p.id = v.product_id"
)


def variant_from_row(r: dict[str, Any]) -> Variant:
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
        updated_at=parse_ts(r["updated_at"]),
    )


def _location(r: dict[str, Any]) -> Location:
    address = loads(r["address"])
    return Location(
        id=r["id"],
        name=r["name"],
        code=r["code"],
        is_shopify=bool(r["is_shopify"]),
        active=bool(r["active"]),
        address=Address(**address) if address else None,
    )


def variants_by_ids(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, Variant]:
    """The variants among `ids` that the catalog holds, by id."""
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    marks = ",".join("?" for _ in wanted)
    rows = db.query(f"{VARIANT_SQL} WHERE v.id IN ({marks})", wanted)
    return {r["id"]: variant_from_row(r) for r in rows}


def find_variant_by_code(db: sqlite_utils.Database, code: str) -> Variant | None:
    """The variant whose barcode is `code`, else whose SKU is; a code typed in lower case
    also finds an upper-case SKU (scanners and keyboards in caps-lock disagree)."""
    code = code.strip()
    if not code:
        return None
    for column in ("barcode", "sku"):
        for candidate in dict.fromkeys((code, code.upper())):
            row = next(
                db.query(f"{VARIANT_SQL} WHERE v.{column} = ? ORDER BY v.id LIMIT 1", [candidate]),
                None,
            )
            if row:
                return variant_from_row(row)
    return None
