"""Stock across locations (the `InventoryRepository` port): the stock view's reads
(`stock_view.py`), low-stock alerts and snoozes, and cycle counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from packdesk.adapters.store.db import Row
from packdesk.adapters.store.rows import chunks, marks, parse_ts, required_ts, ts
from packdesk.adapters.store.stock_view import SqlStockView, display_title
from packdesk.domain.inventory.alerts import LevelCheck, Snooze, StockAlert
from packdesk.domain.inventory.counting import CountLine, StockCount

ALERT_SQL = (
    "SELECT a.*, coalesce(v.sku, '') AS sku, coalesce(p.title, '') AS product_title,"
    " coalesce(v.title, '') AS variant_title FROM stock_alerts a"
    " LEFT JOIN variants v ON v.id = a.variant_id LEFT JOIN products p ON p.id = v.product_id"
)


class SqlInventory(SqlStockView):
    """The `InventoryRepository` port on SQL."""

    # -- alerts and snoozes -------------------------------------------------------------

    def open_alerts(self) -> list[StockAlert]:
        rows = self.db.query(ALERT_SQL + " WHERE a.cleared_at IS NULL ORDER BY a.raised_at, a.id")
        return [_alert(r) for r in rows]

    def raise_alerts(self, checks: Sequence[LevelCheck], at: datetime) -> list[StockAlert]:
        ids: list[int] = []
        with self.db.transaction():
            for check in checks:
                got = self.db.scalar(
                    "INSERT INTO stock_alerts (variant_id, location_code, raised_at, available,"
                    " reorder_point) VALUES (?, ?, ?, ?, ?) ON CONFLICT (variant_id,"
                    " location_code) WHERE cleared_at IS NULL DO NOTHING RETURNING id",
                    [
                        check.variant_id,
                        check.location,
                        ts(at),
                        check.available,
                        check.reorder_point,
                    ],
                )
                if got is not None:
                    ids.append(int(got))
        return self._alerts(ids)

    def _alerts(self, ids: Sequence[int]) -> list[StockAlert]:
        found: list[StockAlert] = []
        for c in chunks([str(i) for i in ids]):
            found += [
                _alert(r)
                for r in self.db.query(
                    f"{ALERT_SQL} WHERE a.id IN ({marks(c)})", [int(i) for i in c]
                )
            ]
        return sorted(found, key=lambda a: a.id)

    def clear_alerts(self, alert_ids: Sequence[int], at: datetime) -> None:
        self.db.execute_many(
            "UPDATE stock_alerts SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL",
            [(ts(at), i) for i in alert_ids],
        )

    def alerts_to_digest(self, now: datetime) -> list[StockAlert]:
        rows = self.db.query(
            ALERT_SQL + " WHERE a.cleared_at IS NULL AND a.digested_at IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM stock_snoozes z WHERE z.variant_id = a.variant_id AND z.until > ?)"
            " ORDER BY a.raised_at, a.id",
            [ts(now)],
        )
        return [_alert(r) for r in rows]

    def mark_digested(self, alert_ids: Sequence[int], at: datetime) -> None:
        self.db.execute_many(
            "UPDATE stock_alerts SET digested_at = ? WHERE id = ? AND digested_at IS NULL",
            [(ts(at), i) for i in alert_ids],
        )

    def snooze(self, variant_id: str, until: datetime, reason: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO stock_snoozes (variant_id, until, reason, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (variant_id) DO UPDATE SET until = excluded.until,"
            " reason = excluded.reason, created_at = excluded.created_at",
            [variant_id, ts(until), reason, ts(at)],
        )

    def unsnooze(self, variant_id: str) -> bool:
        return self.db.execute("DELETE FROM stock_snoozes WHERE variant_id = ?", [variant_id]) > 0

    def snoozes(self, now: datetime) -> list[Snooze]:
        rows = self.db.query(
            "SELECT z.*, coalesce(v.sku, '') AS sku FROM stock_snoozes z"
            " LEFT JOIN variants v ON v.id = z.variant_id WHERE z.until > ? ORDER BY v.sku",
            [ts(now)],
        )
        return [
            Snooze(
                variant_id=r["variant_id"],
                sku=r["sku"],
                until=required_ts(r["until"]),
                reason=r["reason"],
            )
            for r in rows
        ]

    # -- cycle counts -------------------------------------------------------------------

    def open_count(self, location_id: str, actor: str, at: datetime) -> StockCount:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO stock_counts (location_id, state, actor, started_at)"
                " VALUES (?, 'OPEN', ?, ?) ON CONFLICT (location_id) WHERE state = 'OPEN'"
                " DO NOTHING",
                [location_id, actor, ts(at)],
            )
            count_id = self.db.scalar(
                "SELECT id FROM stock_counts WHERE location_id = ? AND state = 'OPEN'",
                [location_id],
            )
        found = self.count(int(count_id))
        assert found is not None
        return found

    def count(self, count_id: int) -> StockCount | None:
        row = self.db.one(
            "SELECT c.*, coalesce(l.code, '') AS code FROM stock_counts c"
            " LEFT JOIN locations l ON l.id = c.location_id WHERE c.id = ?",
            [count_id],
        )
        if row is None:
            return None
        lines = self.db.query(
            "SELECT * FROM stock_count_lines WHERE count_id = ? ORDER BY sku", [count_id]
        )
        return StockCount(
            id=row["id"],
            location=row["code"],
            location_id=row["location_id"],
            state=row["state"],
            lines=tuple(
                CountLine(
                    variant_id=r["variant_id"],
                    inventory_item_id=r["inventory_item_id"],
                    sku=r["sku"],
                    title=r["title"],
                    expected=r["expected"],
                    counted=r["counted"],
                )
                for r in lines
            ),
        )

    def save_count_line(self, count_id: int, line: CountLine) -> None:
        self.db.execute(
            "INSERT INTO stock_count_lines (count_id, variant_id, inventory_item_id, sku, title,"
            " expected, counted) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (count_id, variant_id)"
            " DO UPDATE SET counted = excluded.counted",
            [
                count_id,
                line.variant_id,
                line.inventory_item_id,
                line.sku,
                line.title,
                line.expected,
                line.counted,
            ],
        )

    def finish_count(self, count_id: int, at: datetime) -> bool:
        changed = self.db.execute(
            "UPDATE stock_counts SET state = 'DONE', finished_at = ? WHERE id = ?"
            " AND state = 'OPEN'",
            [ts(at), count_id],
        )
        return changed == 1


def _alert(r: Row) -> StockAlert:
    return StockAlert(
        id=r["id"],
        variant_id=r["variant_id"],
        sku=r["sku"],
        title=display_title(r["product_title"], r["variant_title"]),
        location=r["location_code"],
        raised_at=required_ts(r["raised_at"]),
        available=r["available"],
        reorder_point=float(r["reorder_point"]),
        cleared_at=parse_ts(r["cleared_at"]),
        digested_at=parse_ts(r["digested_at"]),
    )
