"""The station desk: the one object the TUI talks to, built by bootstrap.

It puts the queue, the pack sessions, holds and notes, health, and the actions that other
parts of packdesk provide (reprint, void, sync now) behind one small surface, so the App
receives a ready facade instead of building services (STYLE.md, harlequin). Actions whose
service is not wired in this build answer with a sentence instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packdesk.domain.clock import Clock
from packdesk.domain.models import StationOrder
from packdesk.domain.ports import EventSource
from packdesk.domain.queue import HealthReport, OrderDetail, QueueRow
from packdesk.domain.states import StationState
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.services.packing import PackingService, PackSession
from packdesk.services.queue import HealthService, QueueService
from packdesk.services.station import StationService

Action = Callable[[str], str]
"""An order action (reprint, void): takes the order id, returns a sentence saying what it did."""


class NotAvailable(RuntimeError):
    """An action whose service is not part of this build or config."""


@dataclass(frozen=True)
class ScannerConfig:
    prefix: str = ""
    max_interkey_ms: int = 50
    commands: Mapping[str, str] = field(default_factory=dict)


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
    inventory: InventoryDesk
    demo: bool = False
    keys: Mapping[str, str] = field(default_factory=dict)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    output_dirs: tuple[Path, ...] = ()
    """Where folder printers write labels and slips (shown by `packdesk demo` on exit)."""
    reprint_label_action: Action | None = None
    reprint_slip_action: Action | None = None
    void_label_action: Action | None = None
    sync_now_action: Callable[[], str] | None = None

    @property
    def actor(self) -> str:
        return self.packing.actor

    def queue_rows(self, search: str = "") -> list[QueueRow]:
        return self.queue.rows(search)

    def open_pack(self, ref: str) -> PackSession:
        return self.packing.open(ref)

    def report(self) -> HealthReport:
        return self.health.report()

    def order_detail(self, order_id: str) -> OrderDetail:
        return self.health.order_detail(order_id)

    def toggle_hold(self, order_id: str, reason: str = "held by the packer") -> StationOrder:
        """Hold an order, or release it when it is on hold (F5)."""
        current = self.station.state_of(order_id)
        if current is not None and current.state is StationState.ON_HOLD:
            return self.station.release(order_id, actor=self.actor)
        if current is not None and current.state is StationState.PACKING:
            self.packing.store.station.clear_scans(order_id)
        return self.station.hold(order_id, actor=self.actor, reason=reason)

    def add_note(self, order_id: str, text: str) -> None:
        text = text.strip()
        if not text:
            raise ValueError("The note is empty; type it and press Enter, or Esc to cancel.")
        self.packing.store.station.add_note(order_id, text, actor=self.actor, at=self.clock.now())

    def reprint_label(self, order_id: str) -> str:
        return _run(self.reprint_label_action, order_id, "Reprinting labels")

    def reprint_slip(self, order_id: str) -> str:
        return _run(self.reprint_slip_action, order_id, "Reprinting slips")

    def void_label(self, order_id: str) -> str:
        return _run(self.void_label_action, order_id, "Voiding labels")

    def sync_now(self) -> str:
        if self.sync_now_action is None:
            raise NotAvailable(
                "Sync is not set up in this packdesk; check [shopify] in the config."
            )
        return self.sync_now_action()


def _run(action: Action | None, order_id: str, what: str) -> str:
    if action is None:
        raise NotAvailable(f"{what} is not set up in this packdesk build.")
    return action(order_id)
