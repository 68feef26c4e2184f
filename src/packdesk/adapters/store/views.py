"""The read model behind the packing queue, the status bar and the Health screen.

The queue query stays fast with 100,000 orders: it reads only orders at the station in a
queue state (index `station_orders_state`) and open orders not yet at the station (partial
index `orders_open`), and it is always LIMITed. The words the packer reads are the
domain's (`packdesk.domain.queue`); this module only gathers the facts.
"""

from __future__ import annotations

from typing import Any

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import loads, required_ts
from packdesk.domain.queue import QueueQuery, QueueRow, destination, queue_problems
from packdesk.domain.states import QUEUE_STATES, StationState

# Must repeat the partial index's WHERE exactly, or SQLite will not use `orders_open`.
OPEN_ORDER = (
    "o.cancelled_at IS NULL AND o.closed_at IS NULL"
    " AND o.fulfillment_status NOT IN ('FULFILLED', 'fulfilled', 'RESTOCKED', 'restocked')"
)


class SqlDeskViews:
    def __init__(self, db: Database) -> None:
        self.db = db

    def queue(self, query: QueueQuery) -> list[QueueRow]:
        states = sorted(s.value for s in QUEUE_STATES)
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
        term = query.search.strip().lower()
        if term:
            like = f"%{term}%"
            where.append(
                "(lower(o.name) LIKE ? OR lower(o.customer) LIKE ? OR lower(o.email) LIKE ?"
                " OR EXISTS (SELECT 1 FROM line_items s WHERE s.order_id = o.id"
                " AND lower(s.sku) LIKE ?))"
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
        params = [*states, *case_params, default_days, *where_params, query.limit]
        return [_queue_row(r) for r in self.db.query(sql, params)]

    def outbox_backlog(self) -> tuple[int, int, str]:
        counts = {
            r["state"]: int(r["n"])
            for r in self.db.query(
                "SELECT state, count(*) AS n FROM outbox WHERE state IN ('PENDING', 'DEAD')"
                " GROUP BY state"
            )
        }
        error = self.db.scalar(
            "SELECT last_error FROM outbox WHERE state IN ('PENDING', 'DEAD')"
            " AND last_error != '' ORDER BY id DESC LIMIT 1"
        )
        return counts.get("PENDING", 0), counts.get("DEAD", 0), error or ""

    def print_job_counts(self) -> dict[str, tuple[int, int, str]]:
        return {
            r["printer"]: (int(r["queued"] or 0), int(r["failed"] or 0), r["err"] or "")
            for r in self.db.query(
                "SELECT printer,"
                " SUM(CASE WHEN state = 'QUEUED' THEN 1 ELSE 0 END) AS queued,"
                " SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END) AS failed,"
                " (SELECT last_error FROM print_jobs p2 WHERE p2.printer = p.printer"
                "  AND p2.last_error != '' AND p2.state != 'DONE' ORDER BY id DESC LIMIT 1) AS err"
                " FROM print_jobs p WHERE state IN ('QUEUED', 'FAILED') GROUP BY printer"
            )
        }

    def webhook_counts(self) -> tuple[int, int, str | None, str]:
        row = self.db.one(
            "SELECT count(*) AS received,"
            " SUM(CASE WHEN processed_at IS NULL THEN 1 ELSE 0 END) AS pending,"
            " MAX(received_at) AS latest FROM webhook_events"
        )
        assert row is not None
        error = self.db.scalar(
            "SELECT error FROM webhook_events WHERE error != '' ORDER BY received_at DESC LIMIT 1"
        )
        return int(row["received"] or 0), int(row["pending"] or 0), row["latest"], error or ""

    def awaiting_label(self) -> int:
        return int(
            self.db.scalar(
                "SELECT count(*) FROM station_orders WHERE state = ?",
                [StationState.PACKED.value],
            )
        )


def _queue_row(r: Row) -> QueueRow:
    lines = loads(r["shipping_lines"]) or []
    address = loads(r["shipping_address"]) or {}
    customer = loads(r["customer"]) or {}
    state = StationState(r["state"])
    return QueueRow(
        order_id=r["id"],
        name=r["name"],
        created_at=required_ts(r["created_at"]),
        items=int(r["items"]),
        service=lines[0].get("title", "") if lines else "",
        promise_days=int(r["promise_days"]),
        destination=destination(
            address.get("city", ""),
            address.get("province_code", ""),
            address.get("country_code", "US"),
        ),
        state=state,
        problems=queue_problems(
            state,
            r["reason"],
            has_address=bool(address),
            has_note=bool(r["note"]),
            cancelled=bool(r["cancelled_at"]),
        ),
        customer=customer.get("name", ""),
    )
