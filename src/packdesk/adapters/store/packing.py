"""A pack in progress: its scans, the catalog lookups behind them, its package and rate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from packdesk.adapters.store.catalog import find_variant_by_code, variants_by_ids
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.models import Parcel, Variant
from packdesk.domain.scanning import PackScan, StationNote


class PackingRows:
    database: Database

    def packing_variants(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        return variants_by_ids(self.database.db, variant_ids)

    def variant_for_code(self, code: str) -> Variant | None:
        return find_variant_by_code(self.database.db, code)

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
