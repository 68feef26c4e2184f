"""Ports: what the services need from the outside world, as `typing.Protocol`s.

Adapters implement them (SQLite, Shopify, Shippo, printers, email); tests pass fakes. Each
protocol is small so that a fake of it stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.events import Event
from packdesk.domain.models import (
    AuditEvent,
    NewOutboxItem,
    NewPrintJob,
    Order,
    PrintJob,
    PrintRole,
    StationOrder,
    Transition,
)
from packdesk.domain.slip import PackingSlip
from packdesk.domain.states import StationState


class StaleState(RuntimeError):
    """The order moved on (another thread or station changed it) since the caller read it."""


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None:
        """Hand an event to whoever listens (TUI, metrics, logs); must not block."""
        ...


class OrderReader(Protocol):
    def get_order(self, order_id: str) -> Order | None: ...

    def find_order_by_name(self, name: str) -> Order | None:
        """The order whose customer-facing name is `name` (`#1001`, `1001` or `#1001 `)."""
        ...


class StationStore(OrderReader, Protocol):
    """The station's state of each order and its audit history."""

    def get_station_order(self, order_id: str) -> StationOrder | None: ...

    def apply_transition(
        self,
        transition: Transition,
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder:
        """Write the new state, its audit row, and its effects in one transaction.

        Raises `StaleState` when the stored state is not `transition.from_state`.
        """
        ...

    def history(self, order_id: str) -> list[AuditEvent]: ...

    def orders_in_states(self, states: Sequence[StationState]) -> list[StationOrder]: ...


class PrinterUnavailable(RuntimeError):
    """The printer cannot take the job now (off, unplugged, queue stopped); the message is a
    sentence for the packer with the fix, and the job stays queued to be retried."""


class PrintRefused(RuntimeError):
    """The printer can never print this job as it is (wrong format for its kind); retrying
    will not help, so the job is marked failed with the sentence saying what to change."""


class Printer(Protocol):
    """One configured printer. `send` raises `PrinterUnavailable` or `PrintRefused`."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str:
        """`zpl`, `escpos`, `cups` or `folder`."""
        ...

    def describe_target(self) -> str:
        """Where the printer is, for messages: `tcp://10.0.0.5:9100`, `cups://slips`, ..."""
        ...

    def send(self, document: str, content_type: str, data: bytes) -> None:
        """Print `data` (named `document`, e.g. `1001-label.zpl`) or raise."""
        ...

    def check(self) -> str:
        """Empty when the printer looks ready, else a sentence saying what is wrong."""
        ...


class SlipRenderer(Protocol):
    """Turns a packing slip into bytes for the slip printer's kind (PDF or ESC/POS)."""

    @property
    def content_type(self) -> str: ...

    def render(self, slip: PackingSlip) -> bytes: ...


class StoredLabel(Protocol):
    """A bought label's file as stored for reprints."""

    @property
    def package_no(self) -> int: ...

    @property
    def content_type(self) -> str: ...

    @property
    def data(self) -> bytes: ...


class PrintJobStore(OrderReader, Protocol):
    """Print jobs as rows holding their bytes, and what reprints and slips read."""

    def add_print_job(self, job: NewPrintJob, at: datetime) -> PrintJob: ...

    def get_print_job(self, job_id: int) -> PrintJob | None: ...

    def print_job_data(self, job_id: int) -> bytes: ...

    def queued_print_jobs(self) -> list[PrintJob]:
        """Every QUEUED job, oldest first."""
        ...

    def recent_print_jobs(self, limit: int = 50) -> list[PrintJob]:
        """The newest jobs in any state, newest first."""
        ...

    def claim_print_job(self, job_id: int, now: datetime, until: datetime) -> bool:
        """Take a due QUEUED job for sending until `until` (so another thread or process
        does not send it too); False when it is not due or not queued any more."""
        ...

    def finish_print_job(self, job_id: int, at: datetime) -> PrintJob: ...

    def fail_print_job(
        self, job_id: int, error: str, next_attempt_at: datetime | None, *, give_up: bool = False
    ) -> PrintJob:
        """Count a failed attempt; the job stays QUEUED until `next_attempt_at`, or becomes
        FAILED when `give_up`."""
        ...

    def reschedule_print_jobs(self, printer: str | None, at: datetime) -> int:
        """Make QUEUED jobs (of one printer, or all) due at `at`; returns how many."""
        ...

    def last_print_job(self, order_id: str, role: PrintRole) -> PrintJob | None: ...

    def stored_labels(self, order_id: str) -> Sequence[StoredLabel]:
        """The newest bought label of each package of the order, package order."""
        ...

    def variant_bins(self, variant_ids: Sequence[str]) -> dict[str, str]:
        """Warehouse bin of each variant that has one."""
        ...


# Ports of the Shopify sync (issue #4), kept in domain/shop.py and re-exported here.
from packdesk.domain.shop import (  # noqa: E402, F401
    CatalogStore,
    OrderSyncStore,
    ShopCatalog,
    ShopOrders,
    ShopPage,
    SyncStateStore,
    WebhookDelivery,
    WebhookInbox,
)
