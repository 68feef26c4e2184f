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
    LabelPurchase,
    NewOutboxItem,
    NewPrintJob,
    Order,
    Parcel,
    PrintJob,
    Rate,
    StationOrder,
    SyncStatus,
    Transition,
    Variant,
)
from packdesk.domain.queue import QueueQuery, QueueRow
from packdesk.domain.scanning import PackScan, StationNote
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


# --- Packing station (issue 7): the pack session's store and the steps after the last scan.


class PackingStore(StationStore, Protocol):
    """What a pack session reads and writes: variants, scans, the package and its rate."""

    def packing_variants(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        """The variants with these ids that the local catalog has, by id."""
        ...

    def variant_for_code(self, code: str) -> Variant | None:
        """The variant whose barcode is `code`, else whose SKU is `code` (any case)."""
        ...

    def scanned_quantities(self, order_id: str) -> dict[str, int]:
        """Items scanned so far per line item id (the sum of the order's pack_scans)."""
        ...

    def add_pack_scan(
        self, order_id: str, line_item_id: str, code: str, quantity: int, at: datetime
    ) -> int:
        """Record a scan (or a manual quantity change) and return its row id."""
        ...

    def remove_last_pack_scan(self, order_id: str) -> PackScan | None:
        """Delete and return the order's latest scan, if any."""
        ...

    def clear_pack_scans(self, order_id: str) -> int:
        """Delete every scan of the order; return how many there were."""
        ...

    def get_package(self, order_id: str, package_no: int = 1) -> Parcel | None: ...

    def save_package(self, order_id: str, parcel: Parcel, *, weight_overridden: bool) -> None: ...

    def chosen_rate(self, order_id: str, package_no: int = 1) -> tuple[Rate, str] | None:
        """The rate chosen for the package and the reason it was chosen."""
        ...

    def add_station_note(self, order_id: str, text: str, *, actor: str, at: datetime) -> None: ...

    def station_notes(self, order_id: str) -> list[StationNote]: ...


class LabelBuyer(Protocol):
    """Buys the label of a PACKED order by the exactly-once protocol (the shipping service)."""

    def buy(self, order_id: str, *, actor: str) -> LabelPurchase: ...


class SlipPrinter(Protocol):
    """Queues the packing slip of an order and sends queued jobs (the printing service)."""

    def enqueue_slip(self, order_id: str) -> object: ...

    def run_once(self) -> object: ...


class QueueStore(StationStore, Protocol):
    """What the queue, health and order detail read."""

    def location_id_for_code(self, code: str) -> str: ...

    def queue_rows(self, query: QueueQuery) -> list[QueueRow]: ...

    def sync_statuses(self) -> list[SyncStatus]: ...

    def outbox_counts(self) -> tuple[int, int, str]: ...

    def print_job_counts(self) -> dict[str, tuple[int, int, str]]: ...

    def webhook_counts(self) -> tuple[int, int, str | None, str]: ...

    def labels_pending(self) -> int: ...

    def label_purchases_for(self, order_id: str) -> list[LabelPurchase]: ...

    def print_jobs_for(self, order_id: str) -> list[PrintJob]: ...
