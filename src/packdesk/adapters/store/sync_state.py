"""Each synced resource's cursor and health, and order pages written with their cursor.

The cursor of a resource is only ever written in the transaction that stores the page it
describes: a crash before the commit loses the page and the cursor together (the page is
read again), a crash after it keeps both. That is what makes sync "never twice, never lost".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.orders import prepare_order, write_order
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.models import Order, StationOrder, SyncStatus
from packdesk.domain.states import StationState


def write_status(db: sqlite_utils.Database, status: SyncStatus) -> None:
    """Upsert one resource's sync state; the caller holds the transaction."""
    db.execute(
        "INSERT INTO sync_state (resource, cursor, page_cursor, last_success_at, last_error,"
        " last_error_at, last_count) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (resource) DO UPDATE SET cursor = excluded.cursor,"
        " page_cursor = excluded.page_cursor, last_success_at = excluded.last_success_at,"
        " last_error = excluded.last_error, last_error_at = excluded.last_error_at,"
        " last_count = excluded.last_count",
        [
            status.resource,
            status.cursor,
            status.page_cursor,
            ts(status.last_success_at),
            status.last_error,
            ts(status.last_error_at),
            status.last_count,
        ],
    )


def _station_row(row: dict[str, Any]) -> StationOrder:
    updated_at = parse_ts(row["updated_at"])
    assert updated_at is not None
    return StationOrder(
        order_id=row["order_id"],
        state=StationState(row["state"]),
        held_from=StationState(row["held_from"]) if row["held_from"] else None,
        reason=row["reason"],
        updated_at=updated_at,
    )


def _status(row: dict[str, Any]) -> SyncStatus:
    return SyncStatus(
        resource=row["resource"],
        cursor=row["cursor"],
        page_cursor=row["page_cursor"],
        last_success_at=parse_ts(row["last_success_at"]),
        last_error=row["last_error"],
        last_error_at=parse_ts(row["last_error_at"]),
        last_count=row["last_count"],
    )


class SyncStateRows:
    database: Database

    def sync_status(self, resource: str) -> SyncStatus:
        """The stored state of `resource`, or a blank one before its first sync."""
        row = next(
            self.database.db.query("SELECT * FROM sync_state WHERE resource = ?", [resource]),
            None,
        )
        return _status(row) if row else SyncStatus(resource=resource)

    def all_sync_status(self) -> list[SyncStatus]:
        return [
            _status(r) for r in self.database.db.query("SELECT * FROM sync_state ORDER BY resource")
        ]

    def save_sync_status(self, status: SyncStatus) -> None:
        with self.database.transaction() as db:
            write_status(db, status)

    def store_orders_page(self, orders: Sequence[Order], status: SyncStatus) -> None:
        """Upsert a page of orders and advance the orders cursor, in one transaction.

        The rows are prepared before the transaction begins, so the write lock is held only
        for the SQL itself (a packer's scan waits on it)."""
        prepared = [prepare_order(order) for order in orders]
        with self.database.transaction() as db:
            for order in prepared:
                write_order(db, order)
            write_status(db, status)

    def station_orders_by_id(self, order_ids: Sequence[str]) -> dict[str, StationOrder]:
        """The station rows of those orders that have one (one query for a whole page)."""
        found: dict[str, StationOrder] = {}
        ids = list(order_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            for row in self.database.db.query(
                f"SELECT * FROM station_orders WHERE order_id IN ({marks})", chunk
            ):
                found[row["order_id"]] = _station_row(row)
        return found

    def orders_without_station(self, location_id: str) -> list[str]:
        """Orders with open work at `location_id` that the station has not seen yet."""
        return [
            r["id"]
            for r in self.database.db.query(
                """
                SELECT DISTINCT o.id FROM orders o
                JOIN fulfillment_orders fo ON fo.order_id = o.id
                LEFT JOIN station_orders so ON so.order_id = o.id
                WHERE so.order_id IS NULL AND o.cancelled_at IS NULL
                  AND fo.location_id = ? AND fo.status IN ('OPEN', 'IN_PROGRESS')
                ORDER BY o.created_at
                """,
                [location_id],
            )
        ]

    def note_station_order(
        self, order_id: str, *, reason: str, actor: str, at: datetime
    ) -> StationOrder | None:
        """Set the visible reason of an order without moving it, with an audit row.

        Used when upstream changed something the station must not act on by itself (an
        order cancelled after its label was bought stays LABELED until the label is voided).
        """
        with self.database.transaction() as db:
            row = db.execute(
                "SELECT state, held_from FROM station_orders WHERE order_id = ?", [order_id]
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE station_orders SET reason = ?, updated_at = ? WHERE order_id = ?",
                [reason, ts(at), order_id],
            )
            db.execute(
                "INSERT INTO order_events (order_id, at, from_state, to_state, actor, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [order_id, ts(at), row[0], row[0], actor, reason],
            )
        return StationOrder(
            order_id=order_id,
            state=StationState(row[0]),
            held_from=StationState(row[1]) if row[1] else None,
            reason=reason,
            updated_at=at,
        )
