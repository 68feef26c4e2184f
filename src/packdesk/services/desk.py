"""The station desk: the one object the TUI talks to, built by bootstrap.

It puts the queue, the pack sessions, holds and notes, health, and the station's order
actions (reprint, void, sync now) behind one small surface, so the App receives a ready
facade instead of building services (STYLE.md, harlequin). Every answer is a value (a
session, a row, a typed result); the TUI words the sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packdesk.domain.clock import Clock
from packdesk.domain.models import PrintJob, PrintRole, StationOrder
from packdesk.domain.ports import EventSource
from packdesk.domain.queue import HealthReport, OrderDetail, QueueRow
from packdesk.domain.scanning import StationNote
from packdesk.domain.states import READY_TO_PACK, StationState
from packdesk.services.analytics import AnalyticsService
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.services.labels import LabelService
from packdesk.services.packing import PackingService, PackRefused, PackSession
from packdesk.services.printing import PrintService
from packdesk.services.queue import HealthService, QueueService
from packdesk.services.station import StationService
from packdesk.services.sync import SyncResult, SyncService

VOID_REASON = "voided at the station"
"""The audit reason of a void made from the station (F4)."""
HOLD_REASON = "held by the packer"
"""The reason of a hold when the packer gives none."""


class NothingToPack(LookupError):
    """No order in the queue is ready to pack."""


@dataclass(frozen=True)
class ScannerConfig:
    prefix: str = ""
    max_interkey_ms: int = 50
    commands: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reprinted:
    """Documents queued again from their stored bytes (a reprint needs no network)."""

    role: PrintRole
    printer: str
    documents: tuple[str, ...]

    @classmethod
    def of(cls, role: PrintRole, jobs: list[PrintJob]) -> Reprinted:
        return cls(role, jobs[0].printer if jobs else "", tuple(j.document for j in jobs))


@dataclass(frozen=True)
class Voided:
    """Labels refunded at the carrier; the order is back in `state` (PACKED: F2 buys anew)."""

    tracking_numbers: tuple[str, ...]
    state: StationState


@dataclass(frozen=True)
class SyncSummary:
    """What a sync of every resource did, resource by resource."""

    results: tuple[SyncResult, ...]

    @property
    def failed(self) -> tuple[SyncResult, ...]:
        return tuple(r for r in self.results if not r.ok)


@dataclass
class StationDesk:
    """Everything the packing station TUI needs."""

    station_name: str
    location_code: str
    clock: Clock
    bus: EventSource
    station: StationService
    queue: QueueService
    packing: PackingService
    health: HealthService
    labels: LabelService
    printing: PrintService
    sync: SyncService
    analytics: AnalyticsService
    """The numbers of the Analytics screen."""
    inventory: InventoryDesk
    demo: bool = False
    keys: Mapping[str, str] = field(default_factory=dict)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)

    @property
    def actor(self) -> str:
        return self.packing.actor

    # --- the queue and packing ----------------------------------------------------------

    def queue_rows(self, search: str = "") -> list[QueueRow]:
        return self.queue.rows(search)

    def next_to_pack(self, exclude: str = "") -> str | None:
        """The name of the most urgent order that is ready to pack (other than `exclude`)."""
        for row in self.queue.rows():
            if row.order_id != exclude and row.state in READY_TO_PACK:
                return row.name
        return None

    def open_pack(self, ref: str) -> PackSession:
        return self.packing.open(ref)

    def open_instead(self, current: PackSession, ref: str) -> PackSession | None:
        """Open the order whose slip was scanned on the pack screen: None when it is the
        order already open; refused while the open one is half packed."""
        if current.is_order(ref):
            return None
        if current.in_progress:
            raise PackRefused(
                f"{current.order.name} is half packed: finish it, or press Esc then q to "
                f"abandon it, before opening {ref.strip()}."
            )
        return self.packing.open(ref)

    def open_next(self, current: PackSession) -> PackSession:
        """Open the most urgent ready order after `current` (ctrl+n)."""
        if current.in_progress:
            raise PackRefused(
                f"{current.order.name} is not finished: scan its remaining items first."
            )
        name = self.next_to_pack(exclude=current.order_id)
        if name is None:
            raise NothingToPack("The queue has no order ready to pack.")
        return self.packing.open(name)

    # --- health and detail --------------------------------------------------------------

    def report(self) -> HealthReport:
        return self.health.report()

    def order_detail(self, order_id: str) -> OrderDetail:
        return self.health.order_detail(order_id)

    # --- holds and notes ----------------------------------------------------------------

    def on_hold(self, order_id: str) -> bool:
        """Whether F5 releases this order (it is on hold) rather than holding it."""
        current = self.station.state_of(order_id)
        return current is not None and current.state is StationState.ON_HOLD

    def toggle_hold(self, order_id: str, reason: str = "") -> StationOrder:
        """Hold an order, or release it when it is on hold (F5). Holding a pack in progress
        clears its scans: its items go back to the shelf."""
        current = self.station.state_of(order_id)
        if current is not None and current.state is StationState.ON_HOLD:
            return self.station.release(order_id, actor=self.actor)
        if current is not None and current.state is StationState.PACKING:
            self.packing.store.station.clear_scans(order_id)
        return self.station.hold(order_id, actor=self.actor, reason=reason.strip() or HOLD_REASON)

    def add_note(self, order_id: str, text: str) -> StationNote:
        text = text.strip()
        if not text:
            raise ValueError("The note is empty; type it and press Enter, or Esc to cancel.")
        note = StationNote(order_id=order_id, at=self.clock.now(), actor=self.actor, text=text)
        self.packing.store.station.add_note(order_id, text, actor=note.actor, at=note.at)
        return note

    # --- order actions ------------------------------------------------------------------

    def reprint_label(self, order_id: str) -> Reprinted:
        """Queue the order's stored labels again and send them now."""
        jobs = self.printing.reprint_label(order_id)
        self.printing.run_once()
        return Reprinted.of(PrintRole.LABEL, jobs)

    def reprint_slip(self, order_id: str) -> Reprinted:
        """Queue the order's packing slip again and send it now."""
        job = self.printing.reprint_slip(order_id)
        self.printing.run_once()
        return Reprinted.of(PrintRole.SLIP, [job])

    def void_label(self, order_id: str) -> Voided:
        """Refund the order's live labels; it goes back to PACKED."""
        voided = self.labels.void(order_id, VOID_REASON, actor=self.actor)
        current = self.station.state_of(order_id)
        return Voided(
            tracking_numbers=tuple(p.tracking_number for p in voided),
            state=current.state if current else StationState.PACKED,
        )

    def sync_now(self) -> SyncSummary:
        """Sync every resource from Shopify now (F9)."""
        return SyncSummary(tuple(self.sync.run_all()))
