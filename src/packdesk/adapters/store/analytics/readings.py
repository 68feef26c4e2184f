"""What the station's Prometheus gauges read now, straight from the database.

Read when Prometheus scrapes, so the TUI and `packdesk daemon` on one database report the
same queue, print jobs, outbox and sync. Every query is an aggregate over an index (queue
states, open orders, outbox and print job states) or over the sales window.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from packdesk.adapters.store.analytics.sql import NOT_CANCELLED, AnalyticsSql
from packdesk.adapters.store.analytics.stock import ranked_items
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.adapters.store.views import OPEN_ORDER
from packdesk.domain.monitoring import GaugeQuery, PrinterGauge, StationGauges, SyncGauge
from packdesk.domain.states import QUEUE_STATES, StationState

AT_LOCATION = (
    "(NOT EXISTS (SELECT 1 FROM fulfillment_orders f WHERE f.order_id = o.id)"
    " OR EXISTS (SELECT 1 FROM fulfillment_orders f WHERE f.order_id = o.id"
    " AND f.location_id = ? AND f.status IN ('OPEN', 'IN_PROGRESS')))"
)


class SqlStationReadings:
    def __init__(self, db: Database, sql: AnalyticsSql) -> None:
        self.db = db
        self.sql = sql

    def gauges(self, query: GaugeQuery) -> StationGauges:
        pending, dead, oldest = self._outbox()
        return StationGauges(
            read_at=query.now,
            queue=self._queue(query.location_id),
            printers=self._printers(),
            outbox_pending=pending,
            outbox_dead=dead,
            oldest_pending_s=max(0.0, (query.now - oldest).total_seconds()) if oldest else 0.0,
            sync={
                r["resource"]: SyncGauge(parse_ts(r["last_success_at"]))
                for r in self.db.query("SELECT resource, last_success_at FROM sync_state")
            },
            below_reorder_point=self._below_reorder_point(query),
            a_class_out=self._a_class_out(query),
        )

    def _queue(self, location_id: str) -> dict[str, int]:
        states = sorted(s.value for s in QUEUE_STATES)
        counts = dict.fromkeys(states, 0)
        for r in self.db.query(
            f"SELECT state, COUNT(*) AS n FROM station_orders"
            f" WHERE state IN ({','.join('?' for _ in states)}) GROUP BY state",
            states,
        ):
            counts[r["state"]] = int(r["n"])
        where = f" AND {AT_LOCATION}" if location_id else ""
        params: list[Any] = [location_id] if location_id else []
        waiting = self.db.scalar(
            f"SELECT COUNT(*) FROM orders o WHERE {OPEN_ORDER}"
            " AND NOT EXISTS (SELECT 1 FROM station_orders s WHERE s.order_id = o.id)" + where,
            params,
        )
        counts[StationState.NEW.value] += int(waiting)
        return counts

    def _printers(self) -> dict[str, PrinterGauge]:
        found: dict[str, PrinterGauge] = {}
        for r in self.db.query(
            """
            SELECT printer,
                SUM(CASE WHEN state = 'QUEUED' THEN 1 ELSE 0 END) AS queued,
                SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END) AS failed,
                SUM(CASE WHEN state = 'QUEUED' AND attempts > 0 AND last_error != ''
                         THEN 1 ELSE 0 END) AS erring
            FROM print_jobs WHERE state IN ('QUEUED', 'FAILED') GROUP BY printer
            """
        ):
            found[r["printer"]] = PrinterGauge(
                queued=int(r["queued"]), failed=int(r["failed"]), up=not int(r["erring"])
            )
        return found

    def _outbox(self) -> tuple[int, int, datetime | None]:
        row = self.db.one(
            "SELECT SUM(CASE WHEN state = 'PENDING' THEN 1 ELSE 0 END) AS pending,"
            " SUM(CASE WHEN state = 'DEAD' THEN 1 ELSE 0 END) AS dead,"
            " MIN(CASE WHEN state = 'PENDING' THEN created_at END) AS oldest"
            " FROM outbox WHERE state IN ('PENDING', 'DEAD')"
        )
        assert row is not None
        return int(row["pending"] or 0), int(row["dead"] or 0), parse_ts(row["oldest"])

    def _below_reorder_point(self, q: GaugeQuery) -> int:
        return int(
            self.db.scalar(
                f"""
                WITH sold AS (
                    SELECT li.variant_id AS variant_id, SUM(li.quantity) AS units
                    FROM orders o JOIN line_items li ON li.order_id = o.id
                    WHERE o.created_at >= ? AND o.created_at < ? AND {NOT_CANCELLED}
                      AND li.variant_id != ''
                    GROUP BY li.variant_id
                ),
                stock AS (
                    SELECT v.id AS variant_id, SUM(il.available) AS available
                    FROM variants v
                    JOIN inventory_levels il ON il.inventory_item_id = v.inventory_item_id
                    WHERE v.id IN (SELECT variant_id FROM sold)
                    GROUP BY v.id
                )
                SELECT COUNT(*) FROM sold JOIN stock ON stock.variant_id = sold.variant_id
                WHERE stock.available < sold.units * ? / ?
                """,
                [ts(q.window_start), ts(q.now), q.lead_days, max(q.window_days, 1)],
            )
        )

    def _a_class_out(self, q: GaugeQuery) -> dict[str, int]:
        rows = self.db.query(
            f"""
            WITH {ranked_items(self.sql)}
            SELECT loc.code AS location, COUNT(*) AS n
            FROM ranked r
            JOIN variants v ON v.id = r.variant_id
            JOIN inventory_levels il ON il.inventory_item_id = v.inventory_item_id
            JOIN locations loc ON loc.id = il.location_id
            WHERE r.abc = 'A' AND il.available <= 0 AND loc.active = 1
            GROUP BY loc.code
            """,
            [ts(q.window_start), ts(q.now), q.a_share, 1.0],
        )
        found = {r["location"]: int(r["n"]) for r in rows}
        for r in self.db.query("SELECT code FROM locations WHERE active = 1 AND is_shopify = 1"):
            found.setdefault(r["code"], 0)
        return found
