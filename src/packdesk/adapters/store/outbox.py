"""Outbox rows, email suppressions and follow-up planning: all the outbox's SQL.

Claiming is one `UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING *` inside a
`BEGIN IMMEDIATE` transaction, so two workers (threads or processes) serialise on SQLite's
write lock and never lease the same row. Settling checks `claimed_by`, so a worker whose
lease ran out and was taken over cannot overwrite the new holder's result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import dumps, loads, parse_ts, ts
from packdesk.domain.models import NewOutboxItem, OutboxItem, OutboxState
from packdesk.domain.states import StationState

_INSERT = (
    "INSERT INTO outbox (kind, dedupe_key, order_id, payload, state, created_at,"
    " next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING"
)

_LIVE = (
    " AND NOT EXISTS (SELECT 1 FROM label_purchases p WHERE p.state = 'VOIDED'"
    " AND outbox.dedupe_key = 'fulfillment:' || p.key)"
)
"""Retrying never revives the fulfillment of a label that was voided (it is DEAD for good)."""


class OutboxRows:
    database: Database

    def schedule_outbox(self, items: Sequence[tuple[NewOutboxItem, datetime]], at: datetime) -> int:
        added = 0
        with self.database.transaction() as db:
            for item, due in items:
                cur = db.execute(
                    _INSERT,
                    [
                        item.kind,
                        item.dedupe_key,
                        item.order_id,
                        dumps(item.payload),
                        ts(at),
                        ts(due),
                    ],
                )
                added += cur.rowcount
        return added

    def claim_outbox(
        self,
        now: datetime,
        limit: int,
        worker: str,
        lease_until: datetime,
        kinds: Sequence[str] | None = None,
    ) -> list[OutboxItem]:
        only, params = "", []
        if kinds is not None:
            only = f" AND kind IN ({','.join('?' for _ in kinds)})"
            params = list(kinds)
        with self.database.transaction() as db:
            rows = db.execute(
                "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1"
                " WHERE id IN (SELECT id FROM outbox WHERE state = 'PENDING'"
                " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
                f"{only} ORDER BY next_attempt_at, id LIMIT ?) RETURNING *",
                [worker, ts(lease_until), ts(now), ts(now), *params, limit],
            )
            columns = [c[0] for c in rows.description]
            claimed = [_item(dict(zip(columns, r, strict=True))) for r in rows.fetchall()]
        return sorted(claimed, key=lambda i: (i.next_attempt_at, i.id))

    def settle_outbox(
        self, item_id: int, worker: str, state: OutboxState, at: datetime, note: str = ""
    ) -> bool:
        with self.database.transaction() as db:
            cur = db.execute(
                "UPDATE outbox SET state = ?, delivered_at = ?, note = ?, last_error = '',"
                " claimed_by = '', claimed_until = NULL"
                " WHERE id = ? AND claimed_by = ? AND state = 'PENDING'",
                [state.value, ts(at), note, item_id, worker],
            )
            return cur.rowcount == 1

    def fail_outbox(
        self, item_id: int, worker: str, error: str, next_attempt_at: datetime, dead: bool
    ) -> bool:
        with self.database.transaction() as db:
            cur = db.execute(
                "UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = ?,"
                " claimed_by = '', claimed_until = NULL"
                " WHERE id = ? AND claimed_by = ? AND state = 'PENDING'",
                [
                    (OutboxState.DEAD if dead else OutboxState.PENDING).value,
                    error[:2000],
                    ts(next_attempt_at),
                    item_id,
                    worker,
                ],
            )
            return cur.rowcount == 1

    def retry_outbox(self, item_id: int, at: datetime) -> bool:
        with self.database.transaction() as db:
            cur = db.execute(
                "UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt_at = ?,"
                f" claimed_by = '', claimed_until = NULL WHERE id = ? AND state = 'DEAD'{_LIVE}",
                [ts(at), item_id],
            )
            return cur.rowcount == 1

    def retry_all_outbox(self, at: datetime) -> int:
        with self.database.transaction() as db:
            cur = db.execute(
                "UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt_at = ?,"
                f" claimed_by = '', claimed_until = NULL WHERE state = 'DEAD'{_LIVE}",
                [ts(at)],
            )
            return int(cur.rowcount)

    def get_outbox(self, item_id: int) -> OutboxItem | None:
        row = next(self.database.db.query("SELECT * FROM outbox WHERE id = ?", [item_id]), None)
        return _item(row) if row else None

    def list_outbox(self, states: Sequence[OutboxState] = (), limit: int = 200) -> list[OutboxItem]:
        where, params = "", []
        if states:
            where = f"WHERE state IN ({','.join('?' for _ in states)})"
            params = [s.value for s in states]
        return [
            _item(r)
            for r in self.database.db.query(
                f"SELECT * FROM outbox {where} ORDER BY id LIMIT ?", [*params, limit]
            )
        ]

    def outbox_counts(self) -> dict[OutboxState, int]:
        counts = dict.fromkeys(OutboxState, 0)
        for state, count in self.database.db.execute(
            "SELECT state, count(*) FROM outbox GROUP BY state"
        ).fetchall():
            counts[OutboxState(state)] = int(count)
        return counts

    # -- email suppressions ---------------------------------------------------------------

    def is_suppressed(self, email: str) -> bool:
        row = self.database.db.execute(
            "SELECT 1 FROM email_suppressions WHERE email = ?", [email.strip()]
        ).fetchone()
        return row is not None

    def suppress_email(self, email: str, reason: str, at: datetime) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO email_suppressions (email, reason, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (email) DO UPDATE SET reason = excluded.reason",
                [email.strip(), reason, ts(at)],
            )

    def unsuppress_email(self, email: str) -> bool:
        with self.database.transaction() as db:
            cur = db.execute("DELETE FROM email_suppressions WHERE email = ?", [email.strip()])
            return cur.rowcount == 1

    # -- follow-up planning ---------------------------------------------------------------

    def delivered_without_followups(self, limit: int = 100) -> list[tuple[str, datetime]]:
        found = []
        for order_id, updated_at in self.database.db.execute(
            "SELECT s.order_id, s.updated_at FROM station_orders s"
            " LEFT JOIN outbox_followups f ON f.order_id = s.order_id"
            " WHERE s.state = ? AND f.order_id IS NULL ORDER BY s.updated_at LIMIT ?",
            [StationState.DELIVERED.value, limit],
        ).fetchall():
            at = parse_ts(updated_at)
            assert at is not None
            found.append((str(order_id), at))
        return found

    def plan_followups(
        self,
        order_id: str,
        delivered_at: datetime,
        items: Sequence[tuple[NewOutboxItem, datetime]],
        at: datetime,
    ) -> None:
        with self.database.transaction() as db:
            cur = db.execute(
                "INSERT INTO outbox_followups (order_id, delivered_at, scheduled_at)"
                " VALUES (?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
                [order_id, ts(delivered_at), ts(at)],
            )
            if cur.rowcount == 0:
                return  # another worker planned them first
            for item, due in items:
                db.execute(
                    _INSERT,
                    [
                        item.kind,
                        item.dedupe_key,
                        item.order_id,
                        dumps(item.payload),
                        ts(at),
                        ts(due),
                    ],
                )

    def recent_station_orders_without(
        self, dedupe_prefix: str, since: datetime, limit: int = 100
    ) -> list[str]:
        return [
            str(r[0])
            for r in self.database.db.execute(
                "SELECT o.id FROM orders o JOIN station_orders s ON s.order_id = o.id"
                " WHERE o.created_at >= ? AND s.state != ? AND NOT EXISTS"
                " (SELECT 1 FROM outbox x WHERE x.dedupe_key = ? || o.id)"
                " ORDER BY o.created_at LIMIT ?",
                [ts(since), StationState.CANCELLED.value, dedupe_prefix, limit],
            ).fetchall()
        ]


def _item(row: dict[str, Any]) -> OutboxItem:
    created_at = parse_ts(row["created_at"])
    next_attempt_at = parse_ts(row["next_attempt_at"])
    assert created_at is not None
    assert next_attempt_at is not None
    return OutboxItem(
        id=row["id"],
        kind=row["kind"],
        dedupe_key=row["dedupe_key"],
        order_id=row["order_id"],
        payload=loads(row["payload"]) or {},
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=created_at,
        next_attempt_at=next_attempt_at,
        delivered_at=parse_ts(row["delivered_at"]),
        note=row.get("note") or "",
    )
