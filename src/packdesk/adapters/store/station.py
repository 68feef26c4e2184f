"""The station state of each order and its audit log, written together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import dumps, parse_ts, ts
from packdesk.domain.models import (
    AuditEvent,
    NewOutboxItem,
    NewPrintJob,
    OutboxState,
    PrintJobState,
    StationOrder,
    Transition,
)
from packdesk.domain.ports import StaleState
from packdesk.domain.states import StationState


class StationRows:
    database: Database

    def get_station_order(self, order_id: str) -> StationOrder | None:
        row = next(
            self.database.db.query("SELECT * FROM station_orders WHERE order_id = ?", [order_id]),
            None,
        )
        return _station(row) if row else None

    def orders_in_states(self, states: Sequence[StationState]) -> list[StationOrder]:
        marks = ",".join("?" for _ in states)
        return [
            _station(r)
            for r in self.database.db.query(
                f"SELECT * FROM station_orders WHERE state IN ({marks}) ORDER BY updated_at",
                [s.value for s in states],
            )
        ]

    def apply_transition(
        self,
        transition: Transition,
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder:
        t = transition
        with self.database.transaction() as db:
            row = db.execute(
                "SELECT state FROM station_orders WHERE order_id = ?", [t.order_id]
            ).fetchone()
            stored = StationState(row[0]) if row else None
            if stored != t.from_state:
                raise StaleState(
                    f"Order {t.order_id} is {stored.value if stored else 'not at the station'},"
                    f" not {t.from_state.value if t.from_state else 'new'}: reload and retry."
                )
            db.execute(
                "INSERT INTO station_orders (order_id, state, held_from, reason, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET"
                " state = excluded.state, held_from = excluded.held_from,"
                " reason = excluded.reason, updated_at = excluded.updated_at",
                [
                    t.order_id,
                    t.to_state.value,
                    t.held_from.value if t.held_from else None,
                    t.reason,
                    ts(t.at),
                ],
            )
            db.execute(
                "INSERT INTO order_events (order_id, at, from_state, to_state, actor, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    t.order_id,
                    ts(t.at),
                    t.from_state.value if t.from_state else None,
                    t.to_state.value,
                    t.actor,
                    t.reason,
                ],
            )
            for item in outbox:
                db.execute(
                    "INSERT INTO outbox (kind, dedupe_key, order_id, payload, state, created_at,"
                    " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (dedupe_key) DO NOTHING",
                    [
                        item.kind,
                        item.dedupe_key,
                        item.order_id,
                        dumps(item.payload),
                        OutboxState.PENDING.value,
                        ts(t.at),
                        ts(t.at),
                    ],
                )
            for job in print_jobs:
                db.execute(
                    "INSERT INTO print_jobs (printer, role, order_id, document, content_type,"
                    " data, state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        job.printer,
                        job.role.value,
                        job.order_id,
                        job.document,
                        job.content_type,
                        job.data,
                        PrintJobState.QUEUED.value,
                        ts(t.at),
                        ts(t.at),
                    ],
                )
        return StationOrder(
            order_id=t.order_id,
            state=t.to_state,
            held_from=t.held_from,
            reason=t.reason,
            updated_at=t.at,
        )

    def history(self, order_id: str) -> list[AuditEvent]:
        return [
            AuditEvent(
                order_id=r["order_id"],
                at=r["at"],
                from_state=StationState(r["from_state"]) if r["from_state"] else None,
                to_state=StationState(r["to_state"]),
                actor=r["actor"],
                reason=r["reason"],
            )
            for r in self.database.db.query(
                "SELECT * FROM order_events WHERE order_id = ? ORDER BY id", [order_id]
            )
        ]


def _station(row: dict[str, Any]) -> StationOrder:
    updated_at = parse_ts(row["updated_at"])
    assert updated_at is not None
    return StationOrder(
        order_id=row["order_id"],
        state=StationState(row["state"]),
        held_from=StationState(row["held_from"]) if row["held_from"] else None,
        reason=row["reason"],
        updated_at=updated_at,
    )
