"""Outbox rows, the email suppression list, and the planning mark of follow-up emails.

Claiming is one `UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING *` inside a write
transaction, so two workers (threads or processes) serialise on the write lock and never
lease the same row. Settling checks `claimed_by`, so a worker whose lease ran out and was
taken over cannot overwrite the new holder's result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import chunks, dumps, loads, marks, parse_ts, required_ts, ts
from packdesk.domain.models import NewOutboxItem, OutboxItem, OutboxState
from packdesk.domain.states import StationState

_INSERT = (
    "INSERT INTO outbox (kind, dedupe_key, order_id, payload, state, created_at,"
    " next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', ?, ?) ON CONFLICT (dedupe_key) DO NOTHING"
)
_REVIVE = (
    "UPDATE outbox SET state = 'PENDING', attempts = 0, unclear = 0, next_attempt_at = ?,"
    " claimed_by = '', claimed_until = NULL WHERE state = 'DEAD' AND withdrawn_at IS NULL"
)


class SqlOutbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, items: Sequence[NewOutboxItem], at: datetime) -> int:
        return self.schedule([(item, at) for item in items], at)

    def schedule(self, items: Sequence[tuple[NewOutboxItem, datetime]], at: datetime) -> int:
        if not items:
            return 0
        added = 0
        with self.db.transaction():
            for item, due in items:
                added += self.db.execute(
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
        return added

    def known_keys(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(keys):
            rows = self.db.query(
                f"SELECT dedupe_key FROM outbox WHERE dedupe_key IN ({marks(chunk)})", chunk
            )
            found.update(r["dedupe_key"] for r in rows)
        return found

    def claim(
        self,
        now: datetime,
        limit: int,
        worker: str,
        lease_until: datetime,
        kinds: Sequence[str] | None = None,
    ) -> list[OutboxItem]:
        only, params = "", []
        if kinds is not None:
            if not kinds:
                return []
            only = f" AND kind IN ({marks(kinds)})"
            params = list(kinds)
        with self.db.transaction():
            rows = self.db.query(
                "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1"
                " WHERE id IN (SELECT id FROM outbox WHERE state = 'PENDING'"
                " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
                f"{only} ORDER BY next_attempt_at, id LIMIT ?) RETURNING *",
                [worker, ts(lease_until), ts(now), ts(now), *params, limit],
            )
        return sorted((_item(r) for r in rows), key=lambda i: (i.next_attempt_at, i.id))

    def settle(
        self, item_id: int, worker: str, state: OutboxState, at: datetime, note: str = ""
    ) -> bool:
        changed = self.db.execute(
            "UPDATE outbox SET state = ?, delivered_at = ?, note = ?, last_error = '',"
            " claimed_by = '', claimed_until = NULL"
            " WHERE id = ? AND claimed_by = ? AND state = 'PENDING'",
            [state.value, ts(at), note, item_id, worker],
        )
        return changed == 1

    def fail(
        self,
        item_id: int,
        worker: str,
        error: str,
        next_attempt_at: datetime,
        dead: bool,
        *,
        unclear: bool = False,
    ) -> bool:
        changed = self.db.execute(
            "UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = ?,"
            " unclear = unclear + ?, claimed_by = '', claimed_until = NULL"
            " WHERE id = ? AND claimed_by = ? AND state = 'PENDING'",
            [
                (OutboxState.DEAD if dead else OutboxState.PENDING).value,
                error[:2000],
                ts(next_attempt_at),
                1 if unclear else 0,
                item_id,
                worker,
            ],
        )
        return changed == 1

    def withdraw(self, dedupe_key: str, *, error: str, at: datetime) -> int:
        with self.db.transaction():
            stopped = self.db.execute(
                "UPDATE outbox SET state = 'DEAD', last_error = ?"
                " WHERE dedupe_key = ? AND state = 'PENDING'",
                [error[:2000], dedupe_key],
            )
            self.db.execute(
                "UPDATE outbox SET withdrawn_at = ?"
                " WHERE dedupe_key = ? AND state = 'DEAD' AND withdrawn_at IS NULL",
                [ts(at), dedupe_key],
            )
        return stopped

    def retry(self, item_id: int, at: datetime) -> bool:
        return self.db.execute(_REVIVE + " AND id = ?", [ts(at), item_id]) == 1

    def retry_all(self, at: datetime) -> int:
        return self.db.execute(_REVIVE, [ts(at)])

    def get(self, item_id: int) -> OutboxItem | None:
        row = self.db.one("SELECT * FROM outbox WHERE id = ?", [item_id])
        return _item(row) if row else None

    def items(self, states: Sequence[OutboxState] = (), limit: int = 200) -> list[OutboxItem]:
        where, params = "", []
        if states:
            where = f"WHERE state IN ({marks(states)})"
            params = [s.value for s in states]
        return [
            _item(r)
            for r in self.db.query(
                f"SELECT * FROM outbox {where} ORDER BY id LIMIT ?", [*params, limit]
            )
        ]

    def counts(self) -> dict[OutboxState, int]:
        counts = dict.fromkeys(OutboxState, 0)
        for r in self.db.query("SELECT state, count(*) AS n FROM outbox GROUP BY state"):
            counts[OutboxState(r["state"])] = int(r["n"])
        return counts

    # -- email suppressions -------------------------------------------------------------

    def is_suppressed(self, email: str) -> bool:
        return (
            self.db.one("SELECT 1 FROM email_suppressions WHERE email = ?", [_address(email)])
            is not None
        )

    def suppress(self, email: str, reason: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO email_suppressions (email, reason, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (email) DO UPDATE SET reason = excluded.reason",
            [_address(email), reason, ts(at)],
        )

    def unsuppress(self, email: str) -> bool:
        return (
            self.db.execute("DELETE FROM email_suppressions WHERE email = ?", [_address(email)])
            == 1
        )

    # -- follow-up planning -------------------------------------------------------------

    def delivered_unplanned(self, limit: int = 100) -> list[tuple[str, datetime]]:
        return [
            (str(r["order_id"]), required_ts(r["updated_at"]))
            for r in self.db.query(
                "SELECT s.order_id, s.updated_at FROM station_orders s"
                " LEFT JOIN outbox_followups f ON f.order_id = s.order_id"
                " WHERE s.state = ? AND f.order_id IS NULL ORDER BY s.updated_at LIMIT ?",
                [StationState.DELIVERED.value, limit],
            )
        ]

    def mark_planned(self, order_id: str, delivered_at: datetime, at: datetime) -> bool:
        added = self.db.execute(
            "INSERT INTO outbox_followups (order_id, delivered_at, scheduled_at)"
            " VALUES (?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
            [order_id, ts(delivered_at), ts(at)],
        )
        return added == 1


def _address(email: str) -> str:
    """Addresses compare without case (`Maya@Example.com` is `maya@example.com`)."""
    return email.strip().lower()


def _item(row: Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        kind=row["kind"],
        dedupe_key=row["dedupe_key"],
        order_id=row["order_id"],
        payload=loads(row["payload"]) or {},
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=required_ts(row["created_at"]),
        next_attempt_at=required_ts(row["next_attempt_at"]),
        delivered_at=parse_ts(row["delivered_at"]),
        note=row["note"] or "",
        unclear=row["unclear"],
    )
