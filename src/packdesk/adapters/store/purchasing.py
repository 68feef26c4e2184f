"""Suppliers, what they sell, purchase orders and their receipts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import chunks, marks, parse_ts, required_ts, ts
from packdesk.domain.inventory.purchasing import (
    PoStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierItem,
)
from packdesk.domain.inventory.receiving import Receipt

ITEM_SQL = (
    "SELECT i.*, coalesce(v.sku, '') AS sku FROM supplier_items i"
    " LEFT JOIN variants v ON v.id = i.variant_id"
)


class SqlPurchasing:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- suppliers ----------------------------------------------------------------------

    def save_supplier(
        self,
        name: str,
        *,
        email: str,
        lead_time_days: int,
        currency: str,
        at: datetime,
        supplier_id: int | None = None,
    ) -> Supplier:
        if supplier_id is None:
            supplier_id = int(
                self.db.scalar(
                    "INSERT INTO suppliers (name, email, lead_time_days, currency, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [name, email, lead_time_days, currency, ts(at), ts(at)],
                )
            )
        else:
            self.db.execute(
                "UPDATE suppliers SET name = ?, email = ?, lead_time_days = ?, currency = ?,"
                " updated_at = ? WHERE id = ?",
                [name, email, lead_time_days, currency, ts(at), supplier_id],
            )
        found = self.supplier(str(supplier_id))
        assert found is not None
        return found

    def supplier(self, name_or_id: str) -> Supplier | None:
        text = name_or_id.strip()
        row = self.db.one("SELECT * FROM suppliers WHERE lower(name) = lower(?)", [text])
        if row is None and text.isdigit():
            row = self.db.one("SELECT * FROM suppliers WHERE id = ?", [int(text)])
        return _supplier(row) if row else None

    def suppliers(self) -> list[Supplier]:
        return [_supplier(r) for r in self.db.query("SELECT * FROM suppliers ORDER BY name")]

    def set_item(self, item: SupplierItem) -> None:
        self.db.execute(
            "INSERT INTO supplier_items (variant_id, supplier_id, case_pack, min_order,"
            " unit_cost, lead_time_days) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (variant_id)"
            " DO UPDATE SET supplier_id = excluded.supplier_id, case_pack = excluded.case_pack,"
            " min_order = excluded.min_order, unit_cost = excluded.unit_cost,"
            " lead_time_days = excluded.lead_time_days",
            [
                item.variant_id,
                item.supplier_id,
                item.case_pack,
                item.min_order,
                str(item.unit_cost),
                item.lead_time_days,
            ],
        )

    def items(self, supplier_id: int | None = None) -> list[SupplierItem]:
        if supplier_id is None:
            rows = self.db.query(ITEM_SQL + " ORDER BY sku")
        else:
            rows = self.db.query(ITEM_SQL + " WHERE i.supplier_id = ? ORDER BY sku", [supplier_id])
        return [_item(r) for r in rows]

    def items_by_variant(self, variant_ids: Sequence[str] | None = None) -> dict[str, SupplierItem]:
        if variant_ids is None:
            rows = self.db.query(ITEM_SQL)
        else:
            rows = []
            for c in chunks(variant_ids):
                rows += self.db.query(f"{ITEM_SQL} WHERE i.variant_id IN ({marks(c)})", c)
        return {r["variant_id"]: _item(r) for r in rows}

    # -- purchase orders ----------------------------------------------------------------

    def create_po(
        self,
        supplier_id: int,
        *,
        location: str,
        location_id: str,
        currency: str,
        note: str,
        lines: Sequence[PurchaseOrderLine],
        at: datetime,
    ) -> PurchaseOrder:
        with self.db.transaction():
            po_id = int(
                self.db.scalar(
                    "INSERT INTO purchase_orders (supplier_id, location_code, location_id,"
                    " status, currency, note, created_at, updated_at)"
                    " VALUES (?, ?, ?, 'DRAFT', ?, ?, ?, ?) RETURNING id",
                    [supplier_id, location, location_id, currency, note, ts(at), ts(at)],
                )
            )
            self._write_lines(po_id, lines)
        found = self.po(po_id)
        assert found is not None
        return found

    def _write_lines(self, po_id: int, lines: Sequence[PurchaseOrderLine]) -> None:
        self.db.execute("DELETE FROM purchase_order_lines WHERE po_id = ?", [po_id])
        self.db.execute_many(
            "INSERT INTO purchase_order_lines (po_id, position, variant_id, inventory_item_id,"
            " sku, barcode, title, quantity, unit_cost, received)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    po_id,
                    n,
                    li.variant_id,
                    li.inventory_item_id,
                    li.sku,
                    li.barcode,
                    li.title,
                    li.quantity,
                    str(li.unit_cost),
                    li.received,
                )
                for n, li in enumerate(lines)
            ],
        )

    def po(self, po_id: int) -> PurchaseOrder | None:
        found = self._pos("WHERE o.id = ?", [po_id])
        return found[0] if found else None

    def pos(self, statuses: Sequence[PoStatus] = ()) -> list[PurchaseOrder]:
        if not statuses:
            return self._pos("", [])
        return self._pos(f"WHERE o.status IN ({marks(statuses)})", [s.value for s in statuses])

    def _pos(self, where: str, args: list[object]) -> list[PurchaseOrder]:
        with self.db.transaction(write=False):
            heads = self.db.query(
                "SELECT o.*, s.name AS s_name, s.email AS s_email,"
                " s.lead_time_days AS s_lead, s.currency AS s_currency FROM purchase_orders o"
                f" JOIN suppliers s ON s.id = o.supplier_id {where} ORDER BY o.id DESC",
                args,
            )
            lines: dict[int, list[PurchaseOrderLine]] = {}
            for c in chunks([str(h["id"]) for h in heads]):
                for r in self.db.query(
                    f"SELECT * FROM purchase_order_lines WHERE po_id IN ({marks(c)})"
                    " ORDER BY po_id, position",
                    [int(i) for i in c],
                ):
                    lines.setdefault(r["po_id"], []).append(_line(r))
        return [_po(h, lines.get(h["id"], [])) for h in heads]

    def set_lines(self, po_id: int, lines: Sequence[PurchaseOrderLine], at: datetime) -> None:
        with self.db.transaction():
            self._write_lines(po_id, lines)
            self.db.execute(
                "UPDATE purchase_orders SET updated_at = ? WHERE id = ?", [ts(at), po_id]
            )

    def move_po(
        self,
        po_id: int,
        expected: PoStatus,
        to: PoStatus,
        at: datetime,
        *,
        expected_on: date | None = None,
    ) -> bool:
        sets = ["status = ?", "updated_at = ?"]
        args: list[object] = [to.value, ts(at)]
        if to is PoStatus.ORDERED:
            sets += ["ordered_at = ?", "expected_on = ?"]
            args += [ts(at), expected_on.isoformat() if expected_on else None]
        if to in (PoStatus.CLOSED, PoStatus.CANCELLED):
            sets.append("closed_at = ?")
            args.append(ts(at))
        changed = self.db.execute(
            f"UPDATE purchase_orders SET {', '.join(sets)} WHERE id = ? AND status = ?",
            [*args, po_id, expected.value],
        )
        return changed == 1

    def open_po_quantities(self) -> dict[tuple[str, str], int]:
        rows = self.db.query(
            "SELECT l.variant_id, o.location_code, sum(l.quantity - l.received) AS units"
            " FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.po_id"
            " WHERE o.status IN ('ORDERED', 'PARTIAL') AND l.quantity > l.received"
            " GROUP BY l.variant_id, o.location_code"
        )
        return {(r["variant_id"], r["location_code"]): int(r["units"]) for r in rows}

    # -- receipts -----------------------------------------------------------------------

    def open_receipt(self, po_id: int, actor: str, at: datetime) -> Receipt:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO receipts (po_id, state, actor, started_at) VALUES (?, 'OPEN', ?, ?)"
                " ON CONFLICT (po_id) WHERE state = 'OPEN' DO NOTHING",
                [po_id, actor, ts(at)],
            )
            receipt_id = self.db.scalar(
                "SELECT id FROM receipts WHERE po_id = ? AND state = 'OPEN'", [po_id]
            )
        found = self.receipt(int(receipt_id))
        assert found is not None
        return found

    def receipt(self, receipt_id: int) -> Receipt | None:
        row = self.db.one("SELECT * FROM receipts WHERE id = ?", [receipt_id])
        if row is None:
            return None
        lines = self.db.query(
            "SELECT variant_id, quantity FROM receipt_lines WHERE receipt_id = ? AND quantity > 0",
            [receipt_id],
        )
        return Receipt(
            id=row["id"],
            po_id=row["po_id"],
            state=row["state"],
            actor=row["actor"],
            scanned={r["variant_id"]: r["quantity"] for r in lines},
        )

    def add_received(self, receipt_id: int, variant_id: str, quantity: int, at: datetime) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO receipt_lines (receipt_id, variant_id, quantity) VALUES (?, ?, 0)"
                " ON CONFLICT (receipt_id, variant_id) DO NOTHING",
                [receipt_id, variant_id],
            )
            self.db.execute(
                "UPDATE receipt_lines SET quantity = CASE WHEN quantity + ? < 0 THEN 0"
                " ELSE quantity + ? END WHERE receipt_id = ? AND variant_id = ?",
                [quantity, quantity, receipt_id, variant_id],
            )

    def finish_receipt(self, receipt_id: int, at: datetime) -> dict[str, int]:
        with self.db.transaction():
            row = self.db.one(
                "SELECT po_id FROM receipts WHERE id = ? AND state = 'OPEN'", [receipt_id]
            )
            if row is None:
                return {}
            self.db.execute(
                "UPDATE receipts SET state = 'DONE', finished_at = ? WHERE id = ?",
                [ts(at), receipt_id],
            )
            lines = self.db.query(
                "SELECT variant_id, quantity FROM receipt_lines WHERE receipt_id = ?"
                " AND quantity > 0",
                [receipt_id],
            )
            self.db.execute_many(
                "UPDATE purchase_order_lines SET received = received + ? WHERE po_id = ?"
                " AND variant_id = ?",
                [(r["quantity"], row["po_id"], r["variant_id"]) for r in lines],
            )
            self.db.execute(
                "UPDATE purchase_orders SET updated_at = ? WHERE id = ?", [ts(at), row["po_id"]]
            )
        return {r["variant_id"]: int(r["quantity"]) for r in lines}


def _supplier(r: Row) -> Supplier:
    return Supplier(
        id=r["id"],
        name=r["name"],
        email=r["email"],
        lead_time_days=r["lead_time_days"],
        currency=r["currency"],
    )


def _item(r: Row) -> SupplierItem:
    # read for every variant of the stock view: the store's own values need no validation
    return SupplierItem.model_construct(
        supplier_id=r["supplier_id"],
        variant_id=r["variant_id"],
        sku=r["sku"],
        case_pack=r["case_pack"],
        min_order=r["min_order"],
        unit_cost=Decimal(r["unit_cost"]),
        lead_time_days=r["lead_time_days"],
    )


def _line(r: Row) -> PurchaseOrderLine:
    return PurchaseOrderLine(
        variant_id=r["variant_id"],
        inventory_item_id=r["inventory_item_id"],
        sku=r["sku"],
        barcode=r["barcode"],
        title=r["title"],
        quantity=r["quantity"],
        unit_cost=Decimal(r["unit_cost"]),
        received=r["received"],
    )


def _po(h: Row, lines: list[PurchaseOrderLine]) -> PurchaseOrder:
    expected_on = h["expected_on"]
    return PurchaseOrder(
        id=h["id"],
        supplier=Supplier(
            id=h["supplier_id"],
            name=h["s_name"],
            email=h["s_email"],
            lead_time_days=h["s_lead"],
            currency=h["s_currency"],
        ),
        location=h["location_code"],
        location_id=h["location_id"],
        status=PoStatus(h["status"]),
        currency=h["currency"],
        note=h["note"],
        lines=tuple(lines),
        created_at=required_ts(h["created_at"]),
        ordered_at=parse_ts(h["ordered_at"]),
        expected_on=date.fromisoformat(expected_on) if expected_on else None,
        closed_at=parse_ts(h["closed_at"]),
        updated_at=required_ts(h["updated_at"]),
    )
