"""Domain events: facts the services publish on the bus for the TUI, metrics and logs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from packdesk.domain.states import StationState


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: datetime


class OrderStateChanged(Event):
    order_id: str
    order_name: str
    from_state: StationState | None
    to_state: StationState
    reason: str = ""


class SyncFinished(Event):
    resource: str
    count: int
    ok: bool
    error: str = ""


class PrintJobChanged(Event):
    job_id: int
    printer: str
    state: str
    error: str = ""


class OutboxChanged(Event):
    pending: int
    dead: int


class SyncProgress(Event):
    """A page of a resource was stored (the first full sync can take minutes)."""

    resource: str
    count: int
    """Items stored so far in this run."""


class ItemScanned(Event):
    """A packer scanned an item code on the pack screen: right (`tick`) or refused."""

    order_id: str
    outcome: str
    """A `ScanOutcome` value: tick, wrong_item, over_scan or unknown_code."""
