"""The packing queue, the order detail and the health figures, read for the TUI.

The queue query stays fast with 100,000 orders: it reads only orders at the station in a
queue state (index `station_orders_state`) and open orders not yet at the station (partial
index `orders_open`), and it is always LIMITed.
"""

from __future__ import annotations

from typing import Any

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.print_jobs import job_from_row
from packdesk.adapters.store.rows import loads, parse_ts
from packdesk.domain.models import (
    PrintJob,
    SyncStatus,
)
from packdesk.domain.queue import QueueQuery, QueueRow
from packdesk.domain.states import QUEUE_STATES, StationState

# Must repeat the partial index's WHERE exactly, or SQLite will not use `orders_open`.
OPEN_ORDER = (
    "o.cancelled_at IS NULL AND o.closed_at IS NULL"
    " AND o.fulfillment_status NOT IN ('FULFILLED', 'fulfilled', 'RESTOCKED', 'restocked')"
)


class QueueRows:
    database: Database

    def location_id_for_code(self, code: str) -> str:
        row = self.database.db.execute(
            "SELECT id FROM locations WHERE code = ? COLLATE NOCASE", [code]
        ).fetchone()
        return str(row[0]) if row else ""

    def queue_rows(self, query: QueueQuery) -> list[QueueRow]:
        states = sorted(s.value for s in QUEUE_STATES)
        params: list[Any] = list(states)
        promise = sorted(query.promise_days.items(), key=lambda kv: kv[1])
        case = " ".join("WHEN lower(o.shipping_lines) LIKE ? THEN ?" for w, _ in promise if w)
        case_params: list[Any] = []
        for word, days in promise:
            if word:
                case_params += [f"%{word.lower()}%", days]
        default_days = query.promise_days.get("", 7)
        where: list[str] = []
        where_params: list[Any] = []
        if query.location_id:
            where.append(
                "(NOT EXISTS (SELECT 1 FROM fulfillment_orders f WHERE f.order_id = o.id)"
                " OR EXISTS (SELECT 1 FROM fulfillment_orders f WHERE f.order_id = o.id"
                " AND f.location_id = ? AND f.status IN ('OPEN', 'IN_PROGRESS')))"
            )
            where_params.append(query.location_id)
        term = query.search.strip()
        if term:
            like = f"%{term}%"
            where.append(
                "(o.name LIKE ? OR o.customer LIKE ? OR o.email LIKE ? OR EXISTS"
                " (SELECT 1 FROM line_items s WHERE s.order_id = o.id AND s.sku LIKE ?))"
            )
            where_params += [like, like, like, like]
        sql = f"""
            WITH q AS (
                SELECT s.order_id AS id, s.state AS state, s.reason AS reason
                FROM station_orders s WHERE s.state IN ({",".join("?" for _ in states)})
                UNION ALL
                SELECT o.id, 'NEW', '' FROM orders o
                WHERE {OPEN_ORDER}
                  AND NOT EXISTS (SELECT 1 FROM station_orders s WHERE s.order_id = o.id)
            )
            SELECT o.id, o.name, o.created_at, o.shipping_lines, o.shipping_address, o.note,
                o.customer, o.cancelled_at, q.state, q.reason,
                (SELECT COALESCE(SUM(li.quantity), 0) FROM line_items li
                 WHERE li.order_id = o.id AND li.requires_shipping = 1) AS items,
                {f"CASE {case} ELSE ? END" if case else "?"} AS promise_days
            FROM q JOIN orders o ON o.id = q.id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY promise_days, o.created_at, o.id
            LIMIT ?
        """
        params += [*case_params, default_days, *where_params, query.limit]
        return [_queue_row(r) for r in self.database.db.query(sql, params)]

    def sync_statuses(self) -> list[SyncStatus]:
        return [
            SyncStatus(
                resource=r["resource"],
                cursor=r["cursor"],
                page_cursor=r["page_cursor"],
                last_success_at=parse_ts(r["last_success_at"]),
                last_error=r["last_error"],
                last_error_at=parse_ts(r["last_error_at"]),
                last_count=r["last_count"],
            )
            for r in self.database.db.query("SELECT * FROM sync_state ORDER BY resource")
        ]

    def outbox_backlog(self) -> tuple[int, int, str]:
        """Pending and dead outbox rows, and the latest error among them."""
        db = self.database.db
        counts = {
            r["state"]: r["n"]
            for r in db.query(
                "SELECT state, count(*) AS n FROM outbox WHERE state IN ('PENDING', 'DEAD')"
                " GROUP BY state"
            )
        }
        row = db.execute(
            "SELECT last_error FROM outbox WHERE state IN ('PENDING', 'DEAD')"
            " AND last_error != '' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return int(counts.get("PENDING", 0)), int(counts.get("DEAD", 0)), row[0] if row else ""

    def print_job_counts(self) -> dict[str, tuple[int, int, str]]:
        """Per printer: queued jobs, failed jobs, and the latest error."""
        out: dict[str, tuple[int, int, str]] = {}
        for r in self.database.db.query(
            "SELECT printer, SUM(state = 'QUEUED') AS queued, SUM(state = 'FAILED') AS failed,"
            " (SELECT last_error FROM print_jobs p2 WHERE p2.printer = p.printer"
            "  AND p2.last_error != '' AND p2.state != 'DONE' ORDER BY id DESC LIMIT 1) AS err"
            " FROM print_jobs p WHERE state IN ('QUEUED', 'FAILED') GROUP BY printer"
        ):
            out[r["printer"]] = (int(r["queued"] or 0), int(r["failed"] or 0), r["err"] or "")
        return out

    def webhook_counts(self) -> tuple[int, int, str | None, str]:
        """Webhooks received, still to process, the latest receipt time, the latest error."""
        row = self.database.db.execute(
            "SELECT count(*), SUM(processed_at IS NULL), MAX(received_at) FROM webhook_events"
        ).fetchone()
        err = self.database.db.execute(
            "SELECT error FROM webhook_events WHERE error != '' ORDER BY received_at DESC LIMIT 1"
        ).fetchone()
        return int(row[0] or 0), int(row[1] or 0), row[2], err[0] if err else ""

    def labels_pending(self) -> int:
        row = self.database.db.execute(
            "SELECT count(*) FROM station_orders WHERE state = 'PACKED'"
        ).fetchone()
        return int(row[0])

    def print_jobs_for(self, order_id: str) -> list[PrintJob]:
        return [
            job_from_row(r)
            for r in self.database.db.query(
                "SELECT id, printer, role, order_id, document, content_type, state, attempts,"
                " last_error, created_at, next_attempt_at, printed_at FROM print_jobs"
                " WHERE order_id = ? ORDER BY id",
                [order_id],
            )
        ]


def _queue_row(r: dict[str, Any]) -> QueueRow:
    lines = loads(r["shipping_lines"]) or []
    address = loads(r["shipping_address"])
    customer = loads(r["customer"]) or {}
    state = StationState(r["state"])
    problems: list[str] = []
    if state in (StationState.ON_HOLD, StationState.ERROR) and r["reason"]:
        problems.append(r["reason"])
    if state is StationState.PACKED:
        problems.append("label pending")
    if not address:
        problems.append("no address")
    if r["note"]:
        problems.append("note")
    if r["cancelled_at"]:
        problems.append("cancelled")
    destination = ""
    if address:
        parts = [address.get("city", ""), address.get("province_code", "")]
        destination = ", ".join(p for p in parts if p)
        if address.get("country_code", "US") != "US":
            destination = f"{destination} {address.get('country_code', '')}".strip()
    created_at = parse_ts(r["created_at"])
    assert created_at is not None
    return QueueRow(
        order_id=r["id"],
        name=r["name"],
        created_at=created_at,
        items=int(r["items"]),
        service=lines[0].get("title", "") if lines else "",
        promise_days=int(r["promise_days"]),
        destination=destination,
        state=state,
        problems=tuple(problems),
        customer=customer.get("name", ""),
    )
