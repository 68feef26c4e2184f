"""Label purchases, label files and extra labels.

A purchase row is inserted claimed by the process that will send it, and every change to it
is a compare-and-set: it names the claim's owner and the state the owner expects, and
reports whether the row matched (zero rows changed means another process got there first).
A bought label is stored with its file once (`record_bought`), by the label service in the
same transaction as the order's move to LABELED and its effects; a stored label file is
never replaced.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import parse_ts, required_ts, ts
from packdesk.domain.models import LabelPurchase, PurchaseState
from packdesk.domain.ports.labels import DuplicatePurchase
from packdesk.domain.shipping import ExtraLabel, LabelFile, StoredLabel

_COLUMNS = (
    "key, order_id, package_no, attempt, state, rate_id, transaction_id, tracking_number,"
    " tracking_url, carrier, service_name, label_format, label_url, cost, fee, currency,"
    " error, created_at, updated_at, claimed_by, claimed_until, sent_at, unclear"
)
_CHANGES = (
    "state = ?, rate_id = ?, transaction_id = ?, tracking_number = ?, tracking_url = ?,"
    " carrier = ?, service_name = ?, label_format = ?, label_url = ?, cost = ?, fee = ?,"
    " currency = ?, error = ?, updated_at = ?, claimed_until = ?, sent_at = ?, unclear = ?"
)
_PENDING = PurchaseState.PENDING.value


class SqlLabels:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- purchase rows ------------------------------------------------------------------

    def add(self, purchase: LabelPurchase) -> None:
        added = self.db.scalar(
            f"INSERT INTO label_purchases ({_COLUMNS}) VALUES ({', '.join('?' * 23)})"
            " ON CONFLICT DO NOTHING RETURNING key",
            _values(purchase),
        )
        if added is None:
            raise DuplicatePurchase(purchase.key)

    def claim(
        self, key: str, owner: str, *, now: datetime, until: datetime, take_from: str = ""
    ) -> bool:
        taken = " OR claimed_by = ?" if take_from else ""
        return (
            self.db.execute(
                "UPDATE label_purchases SET claimed_by = ?, claimed_until = ?"
                " WHERE key = ? AND state = ? AND (claimed_by IN ('', ?)"
                f" OR claimed_until IS NULL OR claimed_until <= ?{taken})",
                [
                    owner,
                    ts(until),
                    key,
                    _PENDING,
                    owner,
                    ts(now),
                    *([take_from] if take_from else []),
                ],
            )
            == 1
        )

    def release(self, key: str, owner: str) -> None:
        self.db.execute(
            "UPDATE label_purchases SET claimed_by = '', claimed_until = NULL"
            " WHERE key = ? AND claimed_by = ?",
            [key, owner],
        )

    def send(self, purchase: LabelPurchase, owner: str) -> bool:
        p = purchase
        return (
            self.db.execute(
                "UPDATE label_purchases SET rate_id = ?, carrier = ?, service_name = ?,"
                " label_format = ?, cost = ?, fee = ?, currency = ?, error = '',"
                " sent_at = ?, unclear = 1, updated_at = ?, claimed_until = ?"
                " WHERE key = ? AND claimed_by = ? AND claimed_by != '' AND state = ?"
                " AND unclear = 0 AND transaction_id = ''",
                [
                    p.rate_id,
                    p.carrier,
                    p.service_name,
                    p.label_format,
                    str(p.cost),
                    str(p.fee),
                    p.currency,
                    ts(p.sent_at),
                    ts(p.updated_at),
                    ts(p.claimed_until),
                    p.key,
                    owner,
                    _PENDING,
                ],
            )
            == 1
        )

    def update(self, purchase: LabelPurchase, *, owner: str, expect: PurchaseState) -> bool:
        return (
            self.db.execute(
                f"UPDATE label_purchases SET {_CHANGES}"
                " WHERE key = ? AND claimed_by = ? AND claimed_by != '' AND state = ?",
                [*_changes(purchase), purchase.key, owner, expect.value],
            )
            == 1
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
                [_PENDING],
            )
        ]

    def sent_since(self, since: datetime) -> list[LabelPurchase]:
        return [
            _purchase(r)
            for r in self.db.query(
                "SELECT * FROM label_purchases WHERE sent_at >= ? AND state != ?"
                " ORDER BY created_at, key",
                [ts(since), _PENDING],
            )
        ]

    def record_bought(self, purchase: LabelPurchase, label: StoredLabel, *, owner: str) -> bool:
        with self.db.transaction():
            if not self.update(purchase, owner=owner, expect=PurchaseState.PENDING):
                return False
            stored = self.db.scalar(
                "INSERT INTO labels (purchase_key, format, content_type, data, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (purchase_key) DO NOTHING"
                " RETURNING purchase_key",
                [
                    purchase.key,
                    label.format,
                    label.content_type,
                    label.data,
                    ts(purchase.updated_at),
                ],
            )
            if stored is None:
                raise DuplicatePurchase(purchase.key)  # a label file is never replaced
        return True

    def mark_voided(self, key: str, *, refund_id: str, reason: str, at: datetime) -> bool:
        return (
            self.db.execute(
                "UPDATE label_purchases SET state = ?, void_reason = ?, refund_id = ?,"
                " updated_at = ? WHERE key = ? AND state = ?",
                [
                    PurchaseState.VOIDED.value,
                    reason,
                    refund_id,
                    ts(at),
                    key,
                    PurchaseState.BOUGHT.value,
                ],
            )
            == 1
        )

    # -- label files --------------------------------------------------------------------

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

    # -- extra labels -------------------------------------------------------------------

    def add_extra(self, extra: ExtraLabel) -> bool:
        added = self.db.scalar(
            "INSERT INTO label_extras (transaction_id, purchase_key, order_id, package_no,"
            " tracking_number, found_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING transaction_id",
            [
                extra.transaction_id,
                extra.purchase_key,
                extra.order_id,
                extra.package_no,
                extra.tracking_number,
                ts(extra.found_at),
            ],
        )
        return added is not None

    def extra(self, transaction_id: str) -> ExtraLabel | None:
        row = self.db.one("SELECT * FROM label_extras WHERE transaction_id = ?", [transaction_id])
        return _extra(row) if row else None

    def extras(self, order_id: str) -> list[ExtraLabel]:
        return [
            _extra(r)
            for r in self.db.query(
                "SELECT * FROM label_extras WHERE order_id = ? ORDER BY found_at, transaction_id",
                [order_id],
            )
        ]

    def extra_refunded(self, transaction_id: str, *, refund_id: str, at: datetime) -> bool:
        return (
            self.db.execute(
                "UPDATE label_extras SET refund_id = ?, refunded_at = ?, error = ''"
                " WHERE transaction_id = ? AND refunded_at IS NULL",
                [refund_id, ts(at), transaction_id],
            )
            == 1
        )

    def extra_refused(self, transaction_id: str, *, error: str) -> bool:
        return (
            self.db.execute(
                "UPDATE label_extras SET error = ?"
                " WHERE transaction_id = ? AND refunded_at IS NULL AND error = ''",
                [error, transaction_id],
            )
            == 1
        )


def _changes(p: LabelPurchase) -> list[Any]:
    return [
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
        ts(p.updated_at),
        ts(p.claimed_until),
        ts(p.sent_at),
        int(p.unclear),
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
        p.claimed_by,
        ts(p.claimed_until),
        ts(p.sent_at),
        int(p.unclear),
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
        claimed_by=r["claimed_by"],
        claimed_until=parse_ts(r["claimed_until"]),
        sent_at=parse_ts(r["sent_at"]),
        unclear=bool(r["unclear"]),
    )


def _extra(r: Row) -> ExtraLabel:
    return ExtraLabel(
        transaction_id=r["transaction_id"],
        purchase_key=r["purchase_key"],
        order_id=r["order_id"],
        package_no=r["package_no"],
        tracking_number=r["tracking_number"],
        found_at=required_ts(r["found_at"]),
        refund_id=r["refund_id"],
        refunded_at=parse_ts(r["refunded_at"]),
        error=r["error"],
    )
