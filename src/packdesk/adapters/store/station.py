"""The station's records of each order: its state with the audit log (written together),
the scans of its pack, and the packers' notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import chunks, marks, required_ts, ts
from packdesk.domain.models import AuditEvent, StationOrder, Transition
from packdesk.domain.ports.station import StaleState
from packdesk.domain.scanning import PackScan, StationNote
from packdesk.domain.states import StationState

_AUDIT = (
    "INSERT INTO order_events (order_id, at, from_state, to_state, actor, reason)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


class SqlStation:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- state and history --------------------------------------------------------------

    def get(self, order_id: str) -> StationOrder | None:
        row = self.db.one("SELECT * FROM station_orders WHERE order_id = ?", [order_id])
        return _station(row) if row else None

    def by_ids(self, order_ids: Sequence[str]) -> dict[str, StationOrder]:
        found: dict[str, StationOrder] = {}
        for chunk in chunks(order_ids):
            for row in self.db.query(
                f"SELECT * FROM station_orders WHERE order_id IN ({marks(chunk)})", chunk
            ):
                found[row["order_id"]] = _station(row)
        return found

    def in_states(self, states: Sequence[StationState]) -> list[StationOrder]:
        if not states:
            return []
        return [
            _station(r)
            for r in self.db.query(
                f"SELECT * FROM station_orders WHERE state IN ({marks(states)})"
                " ORDER BY updated_at, order_id",
                [s.value for s in states],
            )
        ]

    def apply(self, transition: Transition) -> StationOrder:
        t = transition
        with self.db.transaction():
            stored_value = self.db.scalar(
                "SELECT state FROM station_orders WHERE order_id = ?", [t.order_id]
            )
            stored = StationState(stored_value) if stored_value else None
            if stored != t.from_state:
                raise StaleState(t.order_id, stored, t.from_state)
            self.db.execute(
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
            self.db.execute(
                _AUDIT,
                [
                    t.order_id,
                    ts(t.at),
                    t.from_state.value if t.from_state else None,
                    t.to_state.value,
                    t.actor,
                    t.reason,
                ],
            )
        return StationOrder(
            order_id=t.order_id,
            state=t.to_state,
            held_from=t.held_from,
            reason=t.reason,
            updated_at=t.at,
        )

    def note(self, order_id: str, *, reason: str, actor: str, at: datetime) -> StationOrder | None:
        with self.db.transaction():
            row = self.db.one(
                "SELECT state, held_from FROM station_orders WHERE order_id = ?", [order_id]
            )
            if row is None:
                return None
            self.db.execute(
                "UPDATE station_orders SET reason = ?, updated_at = ? WHERE order_id = ?",
                [reason, ts(at), order_id],
            )
            self.db.execute(_AUDIT, [order_id, ts(at), row["state"], row["state"], actor, reason])
        return StationOrder(
            order_id=order_id,
            state=StationState(row["state"]),
            held_from=StationState(row["held_from"]) if row["held_from"] else None,
            reason=reason,
            updated_at=at,
        )

    def record_event(self, order_id: str, *, actor: str, reason: str, at: datetime) -> bool:
        with self.db.transaction():
            state = self.db.scalar(
                "SELECT state FROM station_orders WHERE order_id = ?", [order_id]
            )
            if state is None:
                return False
            self.db.execute(_AUDIT, [order_id, ts(at), state, state, actor, reason])
        return True

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
            for r in self.db.query(
                "SELECT * FROM order_events WHERE order_id = ? ORDER BY id", [order_id]
            )
        ]

    def young_orders(self, created_since: datetime) -> list[str]:
        return [
            r["id"]
            for r in self.db.query(
                "SELECT o.id FROM orders o JOIN station_orders s ON s.order_id = o.id"
                " WHERE o.created_at >= ? AND s.state != ? ORDER BY o.created_at, o.id",
                [ts(created_since), StationState.CANCELLED.value],
            )
        ]

    # -- pack scans ---------------------------------------------------------------------

    def scanned_quantities(self, order_id: str) -> dict[str, int]:
        return {
            r["line_item_id"]: int(r["n"])
            for r in self.db.query(
                "SELECT line_item_id, SUM(quantity) AS n FROM pack_scans WHERE order_id = ?"
                " GROUP BY line_item_id",
                [order_id],
            )
        }

    def add_scan(
        self, order_id: str, line_item_id: str, code: str, quantity: int, at: datetime
    ) -> int:
        return int(
            self.db.scalar(
                "INSERT INTO pack_scans (order_id, line_item_id, code, quantity, at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                [order_id, line_item_id, code, quantity, ts(at)],
            )
        )

    def undo_scan(self, order_id: str) -> PackScan | None:
        with self.db.transaction():
            row = self.db.one(
                "SELECT * FROM pack_scans WHERE order_id = ? ORDER BY id DESC LIMIT 1", [order_id]
            )
            if row is None:
                return None
            self.db.execute("DELETE FROM pack_scans WHERE id = ?", [row["id"]])
        return PackScan(
            id=row["id"],
            order_id=row["order_id"],
            line_item_id=row["line_item_id"],
            code=row["code"],
            quantity=row["quantity"],
            at=required_ts(row["at"]),
        )

    def clear_scans(self, order_id: str) -> int:
        return self.db.execute("DELETE FROM pack_scans WHERE order_id = ?", [order_id])

    # -- notes --------------------------------------------------------------------------

    def add_note(self, order_id: str, text: str, *, actor: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO station_notes (order_id, at, actor, text) VALUES (?, ?, ?, ?)",
            [order_id, ts(at), actor, text],
        )

    def notes(self, order_id: str) -> list[StationNote]:
        return [
            StationNote(
                order_id=r["order_id"], at=required_ts(r["at"]), actor=r["actor"], text=r["text"]
            )
            for r in self.db.query(
                "SELECT * FROM station_notes WHERE order_id = ? ORDER BY id", [order_id]
            )
        ]


def _station(row: Row) -> StationOrder:
    return StationOrder(
        order_id=row["order_id"],
        state=StationState(row["state"]),
        held_from=StationState(row["held_from"]) if row["held_from"] else None,
        reason=row["reason"],
        updated_at=required_ts(row["updated_at"]),
    )
