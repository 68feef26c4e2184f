"""Print jobs: rows holding the bytes to print, so that a restart or a printer that is off
loses nothing."""

from __future__ import annotations

from datetime import datetime

from packdesk.adapters.store.db import Database, Row
from packdesk.adapters.store.rows import parse_ts, required_ts, ts
from packdesk.domain.models import NewPrintJob, PrintJob, PrintJobState, PrintRole

_COLUMNS = (
    "id, printer, role, order_id, document, content_type, state, attempts, last_error,"
    " created_at, next_attempt_at, printed_at"
)
"""Every column but the bytes, which only `data` reads."""


class SqlPrintJobs:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, job: NewPrintJob, at: datetime) -> PrintJob:
        row = self.db.one(
            "INSERT INTO print_jobs (printer, role, order_id, document, content_type, data,"
            " state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            f" RETURNING {_COLUMNS}",
            [
                job.printer,
                job.role.value,
                job.order_id,
                job.document,
                job.content_type,
                job.data,
                PrintJobState.QUEUED.value,
                ts(at),
                ts(at),
            ],
        )
        assert row is not None
        return _job(row)

    def get(self, job_id: int) -> PrintJob | None:
        row = self.db.one(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", [job_id])
        return _job(row) if row else None

    def data(self, job_id: int) -> bytes:
        data = self.db.scalar("SELECT data FROM print_jobs WHERE id = ?", [job_id])
        if data is None:
            raise LookupError(f"No print job {job_id}.")
        return bytes(data)

    def queued(self) -> list[PrintJob]:
        return self._jobs("WHERE state = ? ORDER BY id", [PrintJobState.QUEUED.value])

    def recent(self, limit: int = 50) -> list[PrintJob]:
        return self._jobs("ORDER BY id DESC LIMIT ?", [limit])

    def for_order(self, order_id: str) -> list[PrintJob]:
        return self._jobs("WHERE order_id = ? ORDER BY id", [order_id])

    def last(self, order_id: str, role: PrintRole) -> PrintJob | None:
        jobs = self._jobs(
            "WHERE order_id = ? AND role = ? ORDER BY id DESC LIMIT 1", [order_id, role.value]
        )
        return jobs[0] if jobs else None

    def claim(self, job_id: int, now: datetime, until: datetime) -> bool:
        changed = self.db.execute(
            "UPDATE print_jobs SET next_attempt_at = ? WHERE id = ? AND state = ?"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            [ts(until), job_id, PrintJobState.QUEUED.value, ts(now)],
        )
        return changed == 1

    def finish(self, job_id: int, at: datetime) -> PrintJob:
        return self._change(
            "UPDATE print_jobs SET state = ?, attempts = attempts + 1, last_error = '',"
            " printed_at = ?, next_attempt_at = NULL WHERE id = ?",
            [PrintJobState.DONE.value, ts(at), job_id],
        )

    def fail(
        self, job_id: int, error: str, next_attempt_at: datetime | None, *, give_up: bool = False
    ) -> PrintJob:
        state = PrintJobState.FAILED if give_up else PrintJobState.QUEUED
        return self._change(
            "UPDATE print_jobs SET state = ?, attempts = attempts + 1, last_error = ?,"
            " next_attempt_at = ? WHERE id = ?",
            [state.value, error, ts(next_attempt_at), job_id],
        )

    def reschedule(self, printer: str | None, at: datetime) -> int:
        sql = "UPDATE print_jobs SET next_attempt_at = ? WHERE state = ?"
        params: list[object] = [ts(at), PrintJobState.QUEUED.value]
        if printer is not None:
            sql += " AND printer = ?"
            params.append(printer)
        return self.db.execute(sql, params)

    def _jobs(self, where: str, params: list[object]) -> list[PrintJob]:
        return [
            _job(r) for r in self.db.query(f"SELECT {_COLUMNS} FROM print_jobs {where}", params)
        ]

    def _change(self, sql: str, params: list[object]) -> PrintJob:
        row = self.db.one(f"{sql} RETURNING {_COLUMNS}", params)
        if row is None:
            raise LookupError(f"No print job {params[-1]}.")
        return _job(row)


def _job(row: Row) -> PrintJob:
    return PrintJob(
        id=row["id"],
        printer=row["printer"],
        role=PrintRole(row["role"]),
        order_id=row["order_id"],
        document=row["document"],
        content_type=row["content_type"],
        state=PrintJobState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=required_ts(row["created_at"]),
        next_attempt_at=parse_ts(row["next_attempt_at"]),
        printed_at=parse_ts(row["printed_at"]),
    )
