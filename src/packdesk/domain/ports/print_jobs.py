"""Print jobs: rows holding the bytes to print, so that nothing is lost while a printer is off."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from packdesk.domain.models import NewPrintJob, PrintJob, PrintRole


class PrintJobRepository(Protocol):
    def add(self, job: NewPrintJob, at: datetime) -> PrintJob:
        """Queue a job, due at once."""
        ...

    def get(self, job_id: int) -> PrintJob | None: ...

    def data(self, job_id: int) -> bytes:
        """The bytes a job prints; LookupError when there is no such job."""
        ...

    def queued(self) -> list[PrintJob]:
        """Every QUEUED job, oldest first."""
        ...

    def recent(self, limit: int = 50) -> list[PrintJob]:
        """The newest jobs in any state, newest first."""
        ...

    def for_order(self, order_id: str) -> list[PrintJob]:
        """The order's jobs, oldest first."""
        ...

    def last(self, order_id: str, role: PrintRole) -> PrintJob | None:
        """The order's newest job of that role."""
        ...

    def claim(self, job_id: int, now: datetime, until: datetime) -> bool:
        """Take a due QUEUED job for sending until `until` (so another thread or process
        does not send it too); False when it is not due or not queued any more."""
        ...

    def finish(self, job_id: int, at: datetime) -> PrintJob: ...

    def fail(
        self, job_id: int, error: str, next_attempt_at: datetime | None, *, give_up: bool = False
    ) -> PrintJob:
        """Count a failed attempt; the job stays QUEUED until `next_attempt_at`, or becomes
        FAILED when `give_up`."""
        ...

    def reschedule(self, printer: str | None, at: datetime) -> int:
        """Make QUEUED jobs (of one printer, or all) due at `at`; returns how many."""
        ...
