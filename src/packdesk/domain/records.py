"""The station's own records: print jobs, outbox items, sync status and state transitions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from packdesk.domain.base import Model
from packdesk.domain.states import StationState


class PrintRole(StrEnum):
    LABEL = "label"
    SLIP = "slip"


class PrintJobState(StrEnum):
    QUEUED = "QUEUED"
    DONE = "DONE"
    FAILED = "FAILED"
    """Gave up after the configured attempts; reprint to try again."""


class PrintJob(Model):
    """Bytes waiting for (or sent to) a printer; kept so that nothing is lost or printed blind."""

    id: int
    printer: str
    role: PrintRole
    order_id: str = ""
    document: str
    """File name the job prints as, e.g. `1001-label.zpl`."""
    content_type: str
    state: PrintJobState
    attempts: int = 0
    last_error: str = ""
    created_at: datetime
    next_attempt_at: datetime | None = None
    printed_at: datetime | None = None


class OutboxState(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"
    """Stopped after the configured attempts; `packdesk outbox retry` revives it."""
    SKIPPED = "SKIPPED"
    """Deliberately not sent (an email kind switched off, a suppressed address); see note."""


class OutboxItem(Model):
    """An upstream effect (fulfillment, stock change, email) waiting to be delivered once."""

    id: int
    kind: str
    dedupe_key: str
    order_id: str = ""
    payload: dict[str, object]
    state: OutboxState
    attempts: int = 0
    last_error: str = ""
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None = None
    note: str = ""
    """Why a row was skipped, or that it was found already done upstream."""
    unclear: int = 0
    """Attempts that ended with the answer lost after the request went out (it may have been
    done upstream)."""


class SyncStatus(Model):
    """How one synced resource stands: its cursor and the last success and failure."""

    resource: str
    cursor: str = ""
    """`updated_at` high-water mark (ISO 8601) of the last stored page."""
    page_cursor: str = ""
    last_success_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    last_count: int = 0


class NewOutboxItem(Model):
    """An upstream effect to write in the same transaction as the change that causes it."""

    kind: str
    """`fulfillment`, `inventory_adjust`, `email`, ..."""
    dedupe_key: str
    """Unique per effect: a second row with the same key is ignored, never sent twice."""
    order_id: str = ""
    payload: dict[str, object] = Field(default_factory=dict)


class NewPrintJob(Model):
    """Bytes to print, written in the same transaction as the change that causes them."""

    printer: str
    role: PrintRole
    order_id: str = ""
    document: str
    content_type: str
    data: bytes


class Transition(Model):
    """A station state change, applied atomically with its audit row and its effects."""

    order_id: str
    from_state: StationState | None
    """The state the caller saw; the store refuses the change if another thread moved it."""
    to_state: StationState
    actor: str
    reason: str = ""
    held_from: StationState | None = None
    at: datetime
