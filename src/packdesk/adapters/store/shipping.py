"""Packages, rates, label purchases and label files (the `ShippingStore` port).

The label purchase rows are the heart of "never twice, never lost": a row is written before
Shippo is called, and a bought label is stored together with the order's move to LABELED and
its outbox and print rows in one transaction (`record_labels`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from packdesk.adapters.store.catalog import variants_by_ids
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import dumps, loads, parse_ts, ts
from packdesk.domain.models import (
    Address,
    LabelPurchase,
    Location,
    NewOutboxItem,
    NewPrintJob,
    Parcel,
    PurchaseState,
    Rate,
    StationOrder,
    Transition,
    Variant,
)
from packdesk.domain.ports import DuplicatePurchase
from packdesk.domain.shipping import AddressCheck, StoredLabel

_PURCHASE_COLUMNS = (
    "key, order_id, package_no, attempt, state, rate_id, transaction_id, tracking_number,"
    " tracking_url, carrier, service_name, label_format, label_url, cost, fee, currency,"
    " error, created_at, updated_at"
)


class ShippingRows:
    database: Database

    # StationRows provides it; record_labels and record_void nest it in their transaction.
    apply_transition: Callable[..., StationOrder]

    # --- catalog reads the box choice needs --------------------------------------------

    def shipping_variants(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        return variants_by_ids(self.database.db, variant_ids)

    def ship_from(self, location_code: str) -> Location | None:
        row = next(
            self.database.db.query(
                "SELECT * FROM locations WHERE code = ? OR id = ? ORDER BY active DESC",
                [location_code, location_code],
            ),
            None,
        )
        if row is None:
            return None
        address = loads(row["address"])
        return Location(
            id=row["id"],
            name=row["name"],
            code=row["code"],
            is_shopify=bool(row["is_shopify"]),
            active=bool(row["active"]),
            address=Address(**address) if address else None,
        )

    # --- address checks ------------------------------------------------------------------

    def save_address_check(self, order_id: str, check: AddressCheck, at: datetime) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO address_checks (order_id, valid, messages, checked_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET"
                " valid = excluded.valid, messages = excluded.messages,"
                " checked_at = excluded.checked_at",
                [order_id, int(check.valid), dumps(list(check.messages)), ts(at)],
            )

    def address_check(self, order_id: str) -> AddressCheck | None:
        row = next(
            self.database.db.query("SELECT * FROM address_checks WHERE order_id = ?", [order_id]),
            None,
        )
        if row is None:
            return None
        return AddressCheck(valid=bool(row["valid"]), messages=tuple(loads(row["messages"])))

    # --- packages ------------------------------------------------------------------------

    def get_packages(self, order_id: str) -> list[Parcel]:
        return [
            Parcel(
                package_no=r["package_no"],
                box=r["box"],
                length_cm=r["length_cm"],
                width_cm=r["width_cm"],
                height_cm=r["height_cm"],
                weight_g=r["weight_g"],
            )
            for r in self.database.db.query(
                "SELECT * FROM packages WHERE order_id = ? ORDER BY package_no", [order_id]
            )
        ]

    def save_packages(self, order_id: str, parcels: Sequence[Parcel], *, overridden: bool) -> None:
        with self.database.transaction() as db:
            db.execute("DELETE FROM packages WHERE order_id = ?", [order_id])
            for p in parcels:
                db.execute(
                    "INSERT INTO packages (order_id, package_no, box, length_cm, width_cm,"
                    " height_cm, weight_g, weight_overridden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        order_id,
                        p.package_no,
                        p.box,
                        p.length_cm,
                        p.width_cm,
                        p.height_cm,
                        p.weight_g,
                        int(overridden),
                    ],
                )
            db.execute(
                "DELETE FROM rates WHERE order_id = ? AND package_no > ?", [order_id, len(parcels)]
            )

    # --- rates ---------------------------------------------------------------------------

    def save_rates(
        self,
        order_id: str,
        package_no: int,
        rates: Sequence[Rate],
        chosen_id: str | None,
        reason: str,
    ) -> None:
        with self.database.transaction() as db:
            db.execute(
                "DELETE FROM rates WHERE order_id = ? AND package_no = ?", [order_id, package_no]
            )
            for r in rates:
                db.execute(
                    "INSERT OR REPLACE INTO rates (id, order_id, package_no, shipment_id, carrier,"
                    " service_token, service_name, amount, currency, estimated_days, attributes,"
                    " fetched_at, chosen, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        r.id,
                        order_id,
                        package_no,
                        r.shipment_id,
                        r.carrier,
                        r.service_token,
                        r.service_name,
                        str(r.amount),
                        r.currency,
                        r.estimated_days,
                        dumps(list(r.attributes)),
                        ts(r.fetched_at),
                        int(r.id == chosen_id),
                        reason if r.id == chosen_id or chosen_id is None else "",
                    ],
                )

    def get_rates(self, order_id: str, package_no: int) -> list[Rate]:
        return [
            _rate(r)
            for r in self.database.db.query(
                "SELECT * FROM rates WHERE order_id = ? AND package_no = ?"
                " ORDER BY CAST(amount AS REAL), id",
                [order_id, package_no],
            )
        ]

    def chosen_rate(self, order_id: str, package_no: int) -> tuple[Rate | None, str]:
        row = next(
            self.database.db.query(
                "SELECT * FROM rates WHERE order_id = ? AND package_no = ?"
                " ORDER BY chosen DESC, id LIMIT 1",
                [order_id, package_no],
            ),
            None,
        )
        if row is None:
            return None, ""
        return (_rate(row) if row["chosen"] else None), row["reason"]

    # --- label purchases -----------------------------------------------------------------

    def add_purchase(self, purchase: LabelPurchase) -> None:
        try:
            with self.database.transaction() as db:
                db.execute(
                    f"INSERT INTO label_purchases ({_PURCHASE_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _purchase_values(purchase),
                )
        except sqlite3.IntegrityError as exc:
            raise DuplicatePurchase(
                f"A label purchase {purchase.key} exists already; it is being handled."
            ) from exc

    def claim_purchase(self, key: str, owner: str, *, now: datetime, until: datetime) -> bool:
        """Claim the purchase for `owner` unless another owner's claim is still running."""
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE label_purchases SET claimed_by = ?, claimed_until = ? WHERE key = ?"
                " AND (claimed_by = '' OR claimed_by = ? OR claimed_until IS NULL"
                " OR claimed_until <= ?)",
                [owner, ts(until), key, owner, ts(now)],
            )
            return bool(cursor.rowcount == 1)

    def release_purchase(self, key: str, owner: str) -> None:
        with self.database.transaction() as db:
            db.execute(
                "UPDATE label_purchases SET claimed_by = '', claimed_until = NULL"
                " WHERE key = ? AND claimed_by = ?",
                [key, owner],
            )

    def update_purchase(self, purchase: LabelPurchase) -> None:
        with self.database.transaction() as db:
            _update(db.conn, purchase)

    def get_purchase(self, key: str) -> LabelPurchase | None:
        row = next(
            self.database.db.query("SELECT * FROM label_purchases WHERE key = ?", [key]), None
        )
        return _purchase(row) if row else None

    def purchases_for(self, order_id: str) -> list[LabelPurchase]:
        return [
            _purchase(r)
            for r in self.database.db.query(
                "SELECT * FROM label_purchases WHERE order_id = ? ORDER BY package_no, attempt",
                [order_id],
            )
        ]

    def pending_purchases(self) -> list[LabelPurchase]:
        return [
            _purchase(r)
            for r in self.database.db.query(
                "SELECT * FROM label_purchases WHERE state = ? ORDER BY created_at",
                [PurchaseState.PENDING.value],
            )
        ]

    def record_labels(
        self,
        purchases: Sequence[tuple[LabelPurchase, StoredLabel]],
        transition: Transition | None,
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder | None:
        with self.database.transaction() as db:
            for purchase, label in purchases:
                _update(db.conn, purchase)
                db.execute(
                    "INSERT OR REPLACE INTO labels (purchase_key, format, content_type, data,"
                    " created_at) VALUES (?, ?, ?, ?, ?)",
                    [
                        purchase.key,
                        label.format,
                        label.content_type,
                        label.data,
                        ts(purchase.updated_at),
                    ],
                )
            if transition is None:
                return None
            return self.apply_transition(transition, outbox, print_jobs)

    def record_void(
        self,
        voided: Sequence[tuple[str, str]],
        *,
        reason: str,
        transition: Transition,
    ) -> StationOrder:
        """Mark purchases VOIDED (key, refund id), stop their not yet delivered fulfillment
        effects, and move the order, in one transaction."""
        with self.database.transaction() as db:
            for key, refund_id in voided:
                db.execute(
                    "UPDATE label_purchases SET state = ?, void_reason = ?, refund_id = ?,"
                    " updated_at = ? WHERE key = ?",
                    [PurchaseState.VOIDED.value, reason, refund_id, ts(transition.at), key],
                )
                db.execute(
                    "UPDATE outbox SET state = 'DEAD', last_error = ? WHERE dedupe_key = ?"
                    " AND state = 'PENDING'",
                    [f"label voided before delivery: {reason}", f"fulfillment:{key}"],
                )
            return self.apply_transition(transition)

    def get_label(self, purchase_key: str) -> StoredLabel | None:
        row = next(
            self.database.db.query("SELECT * FROM labels WHERE purchase_key = ?", [purchase_key]),
            None,
        )
        if row is None:
            return None
        return StoredLabel(format=row["format"], content_type=row["content_type"], data=row["data"])

    def live_labels_count(self) -> int:
        """Purchases holding a live (bought, not voided) label: for checks and benchmarks."""
        return int(
            self.database.db.execute(
                "SELECT count(*) FROM label_purchases WHERE state = ?",
                [PurchaseState.BOUGHT.value],
            ).fetchone()[0]
        )


def _purchase_values(p: LabelPurchase) -> list[Any]:
    return [
        p.key,
        p.order_id,
        p.package_no,
        p.attempt,
        p.state.value,
        p.rate_id,
        p.transaction_id,
        p.tracking_number,
        p.tracking_url,
        p.carrier,
        p.service_name,
        p.label_format,
        p.label_url,
        str(p.cost),
        str(p.fee),
        p.currency,
        p.error,
        ts(p.created_at),
        ts(p.updated_at),
    ]


def _update(conn: sqlite3.Connection, p: LabelPurchase) -> None:
    conn.execute(
        "UPDATE label_purchases SET state = ?, rate_id = ?, transaction_id = ?,"
        " tracking_number = ?, tracking_url = ?, carrier = ?, service_name = ?,"
        " label_format = ?, label_url = ?, cost = ?, fee = ?, currency = ?, error = ?,"
        " updated_at = ? WHERE key = ?",
        [*_purchase_values(p)[4:17], ts(p.updated_at), p.key],
    )


def _purchase(r: dict[str, Any]) -> LabelPurchase:
    created = parse_ts(r["created_at"])
    updated = parse_ts(r["updated_at"])
    assert created is not None
    assert updated is not None
    return LabelPurchase(
        key=r["key"],
        order_id=r["order_id"],
        package_no=r["package_no"],
        attempt=r["attempt"],
        state=PurchaseState(r["state"]),
        rate_id=r["rate_id"],
        transaction_id=r["transaction_id"],
        tracking_number=r["tracking_number"],
        tracking_url=r["tracking_url"],
        carrier=r["carrier"],
        service_name=r["service_name"],
        label_format=r["label_format"],
        label_url=r["label_url"],
        cost=Decimal(r["cost"]),
        fee=Decimal(r["fee"]),
        currency=r["currency"],
        error=r["error"],
        created_at=created,
        updated_at=updated,
    )


def _rate(r: dict[str, Any]) -> Rate:
    fetched = parse_ts(r["fetched_at"])
    assert fetched is not None
    return Rate(
        id=r["id"],
        shipment_id=r["shipment_id"],
        carrier=r["carrier"],
        service_token=r["service_token"],
        service_name=r["service_name"],
        amount=Decimal(r["amount"]),
        currency=r["currency"],
        estimated_days=r["estimated_days"],
        attributes=tuple(loads(r["attributes"]) or []),
        fetched_at=fetched,
    )
