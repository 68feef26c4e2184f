"""A pack in progress: its scans, the catalog lookups behind them, its package and rate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.models import Parcel, Variant
from packdesk.domain.scanning import PackScan, StationNote


class PackingRows:
    database: Database

    def packing_variants(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        ids = [v for v in variant_ids if v]
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        rows = self.database.db.query(
            "SELECT v.*, COALESCE(p.title, '') AS product_title FROM variants v"
            f" LEFT JOIN products p ON p.id = v.product_id WHERE v.id IN ({marks})",
            ids,
        )
        return {r["id"]: _variant(r) for r in rows}

    def variant_for_code(self, code: str) -> Variant | None:
        code = code.strip()
        if not code:
            return None
        db = self.database.db
        for column in ("barcode", "sku"):
            row = next(
                db.query(
                    "SELECT v.*, COALESCE(p.title, '') AS product_title FROM variants v"
                    f" LEFT JOIN products p ON p.id = v.product_id WHERE v.{column} = ?"
                    f" AND v.{column} != '' LIMIT 1",
                    [code],
                ),
                None,
            )
            if row is None and code != code.upper():
                row = next(
                    db.query(
                        "SELECT v.*, COALESCE(p.title, '') AS product_title FROM variants v"
                        f" LEFT JOIN products p ON p.id = v.product_id WHERE v.{column} = ?"
                        f" AND v.{column} != '' LIMIT 1",
                        [code.upper()],
                    ),
                    None,
                )
            if row is not None:
                return _variant(row)
        return None

    def scanned_quantities(self, order_id: str) -> dict[str, int]:
        return {
            r["line_item_id"]: int(r["n"])
            for r in self.database.db.query(
                "SELECT line_item_id, SUM(quantity) AS n FROM pack_scans WHERE order_id = ?"
                " GROUP BY line_item_id",
                [order_id],
            )
        }

    def add_pack_scan(
        self, order_id: str, line_item_id: str, code: str, quantity: int, at: datetime
    ) -> int:
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO pack_scans (order_id, line_item_id, code, quantity, at)"
                " VALUES (?, ?, ?, ?, ?)",
                [order_id, line_item_id, code, quantity, ts(at)],
            )
            return int(cursor.lastrowid or 0)

    def remove_last_pack_scan(self, order_id: str) -> PackScan | None:
        with self.database.transaction() as db:
            row = next(
                db.query(
                    "SELECT * FROM pack_scans WHERE order_id = ? ORDER BY id DESC LIMIT 1",
                    [order_id],
                ),
                None,
            )
            if row is None:
                return None
            db.execute("DELETE FROM pack_scans WHERE id = ?", [row["id"]])
        at = parse_ts(row["at"])
        assert at is not None
        return PackScan(
            id=row["id"],
            order_id=row["order_id"],
            line_item_id=row["line_item_id"],
            code=row["code"],
            quantity=row["quantity"],
            at=at,
        )

    def clear_pack_scans(self, order_id: str) -> int:
        with self.database.transaction() as db:
            cursor = db.execute("DELETE FROM pack_scans WHERE order_id = ?", [order_id])
            return int(cursor.rowcount)

    def get_package(self, order_id: str, package_no: int = 1) -> Parcel | None:
        row = next(
            self.database.db.query(
                "SELECT * FROM packages WHERE order_id = ? AND package_no = ?",
                [order_id, package_no],
            ),
            None,
        )
        if row is None:
            return None
        return Parcel(
            package_no=row["package_no"],
            box=row["box"],
            length_cm=row["length_cm"],
            width_cm=row["width_cm"],
            height_cm=row["height_cm"],
            weight_g=row["weight_g"],
        )

    def save_package(self, order_id: str, parcel: Parcel, *, weight_overridden: bool) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO packages (order_id, package_no, box, length_cm, width_cm, height_cm,"
                " weight_g, weight_overridden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (order_id, package_no) DO UPDATE SET box = excluded.box,"
                " length_cm = excluded.length_cm, width_cm = excluded.width_cm,"
                " height_cm = excluded.height_cm, weight_g = excluded.weight_g,"
                " weight_overridden = excluded.weight_overridden",
                [
                    order_id,
                    parcel.package_no,
                    parcel.box,
                    parcel.length_cm,
                    parcel.width_cm,
                    parcel.height_cm,
                    parcel.weight_g,
                    int(weight_overridden),
                ],
            )


def _variant(row: dict[str, Any]) -> Variant:
    return Variant(
        id=row["id"],
        product_id=row["product_id"],
        product_title=row["product_title"] or row["title"],
        title=row["title"],
        sku=row["sku"],
        barcode=row["barcode"],
        inventory_item_id=row["inventory_item_id"],
        price=Decimal(row["price"]),
        weight_g=row["weight_g"],
        length_cm=row["length_cm"],
        width_cm=row["width_cm"],
        height_cm=row["height_cm"],
        bin=row.get("bin", "") or "",
        updated_at=parse_ts(row["updated_at"]),
    )


class StationNoteRows:
    database: Database

    def add_station_note(self, order_id: str, text: str, *, actor: str, at: datetime) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO station_notes (order_id, at, actor, text) VALUES (?, ?, ?, ?)",
                [order_id, ts(at), actor, text],
            )

    def station_notes(self, order_id: str) -> list[StationNote]:
        out = []
        for r in self.database.db.query(
            "SELECT * FROM station_notes WHERE order_id = ? ORDER BY id", [order_id]
        ):
            at = parse_ts(r["at"])
            assert at is not None
            out.append(StationNote(order_id=r["order_id"], at=at, actor=r["actor"], text=r["text"]))
        return out
