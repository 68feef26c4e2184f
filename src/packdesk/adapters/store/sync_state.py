"""Each synced resource's cursor and health.

The cursor of a resource is written by the sync in the same transaction as the page it
describes: a crash before the commit loses the page and the cursor together (the page is
read again), a crash after it keeps both. That is what makes sync "never twice, never lost".
"""

from __future__ import annotations

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.models import SyncStatus


class SqlSyncState:
    def __init__(self, db: Database) -> None:
        self.db = db

    def status(self, resource: str) -> SyncStatus:
        row = self.db.one("SELECT * FROM sync_state WHERE resource = ?", [resource])
        return _status(row) if row else SyncStatus(resource=resource)

    def statuses(self) -> list[SyncStatus]:
        return [_status(r) for r in self.db.query("SELECT * FROM sync_state ORDER BY resource")]

    def save(self, status: SyncStatus) -> None:
        self.db.execute(
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


def _status(row: Row) -> SyncStatus:
    return SyncStatus(
        resource=row["resource"],
        cursor=row["cursor"],
        page_cursor=row["page_cursor"],
        last_success_at=parse_ts(row["last_success_at"]),
        last_error=row["last_error"],
        last_error_at=parse_ts(row["last_error_at"]),
        last_count=row["last_count"],
    )
