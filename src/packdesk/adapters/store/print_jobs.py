"""Print jobs: rows holding the bytes to print, so a restart or a printer that is off
loses nothing; plus what reprints and slips read (stored labels, warehouse bins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from packdesk.adapters.store.db import Database
from packdesk.adapters.store.rows import parse_ts, ts
from packdesk.domain.models import NewPrintJob, PrintJob, PrintJobState, PrintRole, PurchaseState

_COLUMNS = (
    "id, printer, role, order_id, document, content_type, state, attempts, last_error,"
    " created_at, next_attempt_at, printed_at"
)


@dataclass(frozen=True)
class LabelFile:
    """A bought label's file from the `labels` table."""

    package_no: int
    content_type: str
    data: bytes


class PrintJobRows:
    database: Database

    def add_print_job(self, job: NewPrintJob, at: datetime) -> PrintJob:
        with self.database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO print_jobs (printer, role, order_id, document, content_type, data,"
                " state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            job_id = cursor.lastrowid
        assert job_id is not None
        found = self.get_print_job(job_id)
        assert found is not None
        return found

    def get_print_job(self, job_id: int) -> PrintJob | None:
        row = next(
            self.database.db.query(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", [job_id]),
            None,
        )
        return job_from_row(row) if row else None

    def print_job_data(self, job_id: int) -> bytes:
        row = self.database.db.execute(
            "SELECT data FROM print_jobs WHERE id = ?", [job_id]
        ).fetchone()
        if row is None:
            raise LookupError(f"No print job {job_id}.")
        return bytes(row[0])

    def queued_print_jobs(self) -> list[PrintJob]:
        return [
            job_from_row(r)
            for r in self.database.db.query(
                f"SELECT {_COLUMNS} FROM print_jobs WHERE state = ? ORDER BY id",
                [PrintJobState.QUEUED.value],
            )
        ]

    def recent_print_jobs(self, limit: int = 50) -> list[PrintJob]:
        """The newest jobs in any state, newest first (for the TUI's print panel)."""
        return [
            job_from_row(r)
            for r in self.database.db.query(
                f"SELECT {_COLUMNS} FROM print_jobs ORDER BY id DESC LIMIT ?", [limit]
            )
        ]

    def claim_print_job(self, job_id: int, now: datetime, until: datetime) -> bool:
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE print_jobs SET next_attempt_at = ? WHERE id = ? AND state = ?"
                " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
                [ts(until), job_id, PrintJobState.QUEUED.value, ts(now)],
            )
            return cursor.rowcount == 1

    def finish_print_job(self, job_id: int, at: datetime) -> PrintJob:
        with self.database.transaction() as db:
            db.execute(
                "UPDATE print_jobs SET state = ?, attempts = attempts + 1, last_error = '',"
                " printed_at = ?, next_attempt_at = NULL WHERE id = ?",
                [PrintJobState.DONE.value, ts(at), job_id],
            )
        found = self.get_print_job(job_id)
        assert found is not None
        return found

    def fail_print_job(
        self, job_id: int, error: str, next_attempt_at: datetime | None, *, give_up: bool = False
    ) -> PrintJob:
        state = PrintJobState.FAILED if give_up else PrintJobState.QUEUED
        with self.database.transaction() as db:
            db.execute(
                "UPDATE print_jobs SET state = ?, attempts = attempts + 1, last_error = ?,"
                " next_attempt_at = ? WHERE id = ?",
                [state.value, error, ts(next_attempt_at), job_id],
            )
        found = self.get_print_job(job_id)
        assert found is not None
        return found

    def reschedule_print_jobs(self, printer: str | None, at: datetime) -> int:
        with self.database.transaction() as db:
            cursor = db.execute(
                "UPDATE print_jobs SET next_attempt_at = ? WHERE state = ?"
                " AND (? IS NULL OR printer = ?)",
                [ts(at), PrintJobState.QUEUED.value, printer, printer],
            )
            return int(cursor.rowcount)

    def last_print_job(self, order_id: str, role: PrintRole) -> PrintJob | None:
        row = next(
            self.database.db.query(
                f"SELECT {_COLUMNS} FROM print_jobs WHERE order_id = ? AND role = ?"
                " ORDER BY id DESC LIMIT 1",
                [order_id, role.value],
            ),
            None,
        )
        return job_from_row(row) if row else None

    def stored_labels(self, order_id: str) -> list[LabelFile]:
        rows = self.database.db.execute(
            "SELECT p.package_no, l.content_type, l.data FROM labels l"
            " JOIN label_purchases p ON p.key = l.purchase_key"
            " WHERE p.order_id = ? AND p.state = ?"
            " AND p.attempt = (SELECT max(q.attempt) FROM label_purchases q"
            "   JOIN labels m ON m.purchase_key = q.key"
            "   WHERE q.order_id = p.order_id AND q.package_no = p.package_no AND q.state = ?)"
            " ORDER BY p.package_no",
            [order_id, PurchaseState.BOUGHT.value, PurchaseState.BOUGHT.value],
        ).fetchall()
        return [LabelFile(package_no=r[0], content_type=r[1], data=bytes(r[2])) for r in rows]

    def variant_bins(self, variant_ids: Sequence[str]) -> dict[str, str]:
        if not variant_ids:
            return {}
        marks = ",".join("?" for _ in variant_ids)
        rows = self.database.db.execute(
            f"SELECT id, bin FROM variants WHERE id IN ({marks}) AND bin != ''",
            list(variant_ids),
        ).fetchall()
        return {r[0]: r[1] for r in rows}


def job_from_row(row: dict[str, Any]) -> PrintJob:
    """A `print_jobs` row (its bytes need not be selected) as a PrintJob."""
    created_at = parse_ts(row["created_at"])
    assert created_at is not None
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
        created_at=created_at,
        next_attempt_at=parse_ts(row["next_attempt_at"]),
        printed_at=parse_ts(row["printed_at"]),
    )
