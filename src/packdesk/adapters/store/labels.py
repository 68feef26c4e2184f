"""Label purchases and label files.

A purchase row is written before the carrier is called and changes only from the state its
owner expects (`claim`, `release`); a bought label is stored with its file
(`record_bought`), by the label service in the same transaction as the order's move to
LABELED and its effects.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import required_ts, ts
from packdesk.domain.models import LabelPurchase, PurchaseState
from packdesk.domain.ports.labels import DuplicatePurchase
from packdesk.domain.shipping import LabelFile, StoredLabel

_COLUMNS = (
    "key, order_id, package_no, attempt, state, rate_id, transaction_id, tracking_number,"
    " tracking_url, carrier, service_name, label_format, label_url, cost, fee, currency,"
    " error, created_at, updated_at"
)


class SqlLabels:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, purchase: LabelPurchase) -> None:
        added = self.db.scalar(
            f"INSERT INTO label_purchases ({_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING key",
            _values(purchase),
        )
        if added is None:
            raise DuplicatePurchase(purchase.key)

    def claim(self, key: str, owner: str, *, now: datetime, until: datetime) -> bool:
        return (
            self.db.execute(
                "UPDATE label_purchases SET claimed_by = ?, claimed_until = ? WHERE key = ?"
                " AND (claimed_by = '' OR claimed_by = ? OR claimed_until IS NULL"
                " OR claimed_until <= ?)",
                [owner, ts(until), key, owner, ts(now)],
            )
            == 1
        )

    def release(self, key: str, owner: str) -> None:
        self.db.execute(
            "UPDATE label_purchases SET claimed_by = '', claimed_until = NULL"
            " WHERE key = ? AND claimed_by = ?",
            [key, owner],
        )

    def update(self, purchase: LabelPurchase) -> None:
        self.db.execute(
            "UPDATE label_purchases SET state = ?, rate_id = ?, transaction_id = ?,"
            " tracking_number = ?, tracking_url = ?, carrier = ?, service_name = ?,"
            " label_format = ?, label_url = ?, cost = ?, fee = ?, currency = ?, error = ?,"
            " updated_at = ? WHERE key = ?",
            [*_values(purchase)[4:17], ts(purchase.updated_at), purchase.key],
        )

    def get(self, key: str) -> LabelPurchase | None:
        row = self.db.one("SELECT * FROM label_purchases WHERE key = ?", [key])
        return _purchase(row) if row else None

    def for_order(self, order_id: str) -> list[LabelPurchase]:
        return [
            _purchase(r)
            for r in self.db.query(
                "SELECT * FROM label_purchases WHERE order_id = ? ORDER BY package_no, attempt",
                [order_id],
            )
        ]

    def pending(self) -> list[LabelPurchase]:
        return [
            _purchase(r)
            for r in self.db.query(
                "SELECT * FROM label_purchases WHERE state = ? ORDER BY created_at, key",
                [PurchaseState.PENDING.value],
            )
        ]

    def record_bought(self, purchase: LabelPurchase, label: StoredLabel) -> None:
        with self.db.transaction():
            self.update(purchase)
            self.db.execute(
                "INSERT INTO labels (purchase_key, format, content_type, data, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (purchase_key) DO UPDATE SET"
                " format = excluded.format, content_type = excluded.content_type,"
                " data = excluded.data, created_at = excluded.created_at",
                [
                    purchase.key,
                    label.format,
                    label.content_type,
                    label.data,
                    ts(purchase.updated_at),
                ],
            )

    def mark_voided(self, key: str, *, refund_id: str, reason: str, at: datetime) -> None:
        self.db.execute(
            "UPDATE label_purchases SET state = ?, void_reason = ?, refund_id = ?,"
            " updated_at = ? WHERE key = ?",
            [PurchaseState.VOIDED.value, reason, refund_id, ts(at), key],
        )

    def file(self, key: str) -> StoredLabel | None:
        row = self.db.one("SELECT * FROM labels WHERE purchase_key = ?", [key])
        if row is None:
            return None
        return StoredLabel(
            format=row["format"], content_type=row["content_type"], data=bytes(row["data"])
        )

    def newest_files(self, order_id: str) -> list[LabelFile]:
        bought = PurchaseState.BOUGHT.value
        return [
            LabelFile(
                package_no=r["package_no"], content_type=r["content_type"], data=bytes(r["data"])
            )
            for r in self.db.query(
                "SELECT p.package_no, l.content_type, l.data FROM labels l"
                " JOIN label_purchases p ON p.key = l.purchase_key"
                " WHERE p.order_id = ? AND p.state = ?"
                " AND p.attempt = (SELECT max(q.attempt) FROM label_purchases q"
                "   JOIN labels m ON m.purchase_key = q.key"
                "   WHERE q.order_id = p.order_id AND q.package_no = p.package_no"
                "   AND q.state = ?)"
                " ORDER BY p.package_no",
                [order_id, bought, bought],
            )
        ]


def _values(p: LabelPurchase) -> list[Any]:
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


def _purchase(r: Row) -> LabelPurchase:
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
        created_at=required_ts(r["created_at"]),
        updated_at=required_ts(r["updated_at"]),
    )
