"""The read model behind the packing queue, the status bar and the Health screen."""

from __future__ import annotations

from typing import Protocol

from packdesk.domain.queue import QueueQuery, QueueRow


class DeskViews(Protocol):
    def queue(self, query: QueueQuery) -> list[QueueRow]:
        """The open orders to pack, most urgent first, at most `query.limit` of them."""
        ...

    def outbox_backlog(self) -> tuple[int, int, str]:
        """Pending and stopped (DEAD) outbox rows, and the latest error among them."""
        ...

    def print_job_counts(self) -> dict[str, tuple[int, int, str]]:
        """Per printer: queued jobs, failed jobs, and the latest error."""
        ...

    def webhook_counts(self) -> tuple[int, int, str | None, str]:
        """Webhooks received, still to process, the latest receipt time, the latest error."""
        ...

    def awaiting_label(self) -> int:
        """Orders packed whose label is not bought yet (PACKED)."""
        ...
