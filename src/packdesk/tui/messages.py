"""Messages the packing station's widgets and workers send up (attributes down, messages up)."""

from __future__ import annotations

from textual.message import Message

from packdesk.domain.events import Event
from packdesk.domain.queue import HealthReport, QueueRow


class BusEvent(Message):
    """A domain event from the bus (posted from a job's thread; `post_message` is safe)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class QueueLoaded(Message):
    """Rows for the queue table, loaded in a worker."""

    def __init__(self, rows: list[QueueRow], search: str) -> None:
        super().__init__()
        self.rows = rows
        self.search = search


class HealthLoaded(Message):
    """Fresh health figures for the status bar and the Health screen."""

    def __init__(self, report: HealthReport) -> None:
        super().__init__()
        self.report = report
