"""Packing one order: open it, scan its items, and ship it on the last scan.

A `PackSession` is the pack screen's model. Every scan is stored (`pack_scans`) before it
shows, so a crash or restart resumes where the packer was. Verification is the pure
`domain.scanning.verify_scan`; this module only adds storage and the state machine.

- The pack list is what remains to ship from this location (`domain.remaining`): a partly
  shipped order shows only what is left, and a scan of an item that left earlier (or that
  the other warehouse ships) is refused with the parcel and day it left.
- Opening a NEW or READY order starts a fresh pack (any stale scans are cleared) and moves it
  to PACKING; opening a PACKING order resumes its stored scans.
- Abandoning a pack (quitting mid-pack, Esc and confirm) clears its scans and returns the
  order to READY when it has a chosen rate, else NEW: the half-filled box is emptied back to
  the shelf, so the next packer starts over. The audit row says how many scans were cleared.
- The last scan moves the order to PACKED in the same call; buying the label and printing run
  afterwards in `finish()`, which the TUI calls from a thread worker. If the purchase fails the
  order stays PACKED ("label pending") and `finish()` can be called again (F2).
- A refused scan blocks the scans after it until the packer acknowledges it (Esc), so a
  burst of scans queued behind a refusal is refused too and nothing of it is stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from packdesk.domain.clock import Clock
from packdesk.domain.events import ItemScanned
from packdesk.domain.models import Order, Parcel, Rate, Variant
from packdesk.domain.package_entry import parse_package_entry
from packdesk.domain.ports import Store
from packdesk.domain.remaining import earlier_notes, scan_of_unpackable, to_ship
from packdesk.domain.scanning import (
    PackLine,
    PackScan,
    ScanCode,
    ScanResult,
    all_scanned,
    apply_scan,
    classify,
    refuse_scan,
    unacknowledged,
    verify_scan,
)
from packdesk.domain.states import PACKABLE, READY_TO_PACK, StationState, stops_a_pack
from packdesk.services.labels import LabelService
from packdesk.services.pack_finish import PackOutcome, buy_and_print
from packdesk.services.printing import PrintService
from packdesk.services.shipping import ShippingService
from packdesk.services.station import OrderNotFound, StationService

log = logging.getLogger(__name__)

MANUAL_CODE = "manual"
"""The code stored for a quantity typed by hand (items without a barcode)."""


class PackRefused(ValueError):
    """The order cannot be packed now; the message says why and what to do."""


@dataclass(frozen=True)
class QuantitySet:
    """A line's count typed by hand, and whether that change completed the pack."""

    line: PackLine
    completed: bool


@dataclass
class PackingService:
    """Opens pack sessions for the station: scans are stored here, the box and weight go
    through the shipping service, and the last scan buys the label and prints."""

    store: Store
    station: StationService
    clock: Clock
    actor: str
    labels: LabelService
    printing: PrintService
    shipping: ShippingService
    """Chooses the box up front and re-rates after the packer changes box or weight."""
    location_id: str = ""
    commands: Mapping[str, str] = field(default_factory=dict)
    location_lookup: Callable[[], str] | None = None
    """Finds the station location's id once the locations are synced (when `location_id`
    was not known at start)."""

    @property
    def here(self) -> str:
        if not self.location_id and self.location_lookup is not None:
            self.location_id = self.location_lookup()
        return self.location_id

    @property
    def box_names(self) -> tuple[str, ...]:
        return tuple(box.name for box in self.shipping.config.boxes)

    def location_names(self) -> dict[str, str]:
        """Location ids to the codes a packer knows them by (CA, PA)."""
        return {loc.id: loc.code or loc.name for loc in self.store.catalog.locations()}

    def classify(self, code: str) -> ScanCode:
        return classify(code, self.commands)

    def find(self, ref: str) -> Order:
        order = self.store.orders.get(ref) or self.store.orders.by_name(ref)
        if order is None:
            raise OrderNotFound(f"No order {ref.strip()} here; check the name or sync now (F9).")
        return order

    def open(self, ref: str) -> PackSession:
        """Start (or resume) packing the order with this id or name."""
        order = self.find(ref)
        current = self.store.station.get(order.id)
        state = current.state if current else None
        if state is not None and state not in PACKABLE:
            reason = f" ({current.reason})" if current and current.reason else ""
            fix = {
                StationState.ON_HOLD: "Release it with F5 first.",
                StationState.ERROR: "Open its detail (Enter on the queue) to see what to fix.",
                StationState.CANCELLED: "Put its items back; it must not ship.",
            }.get(state, "Reprint with F2/F3 from its detail if needed.")
            raise PackRefused(f"Order {order.name} is {state.value}{reason}. {fix}")
        if state is None or state in READY_TO_PACK:
            self.store.station.clear_scans(order.id)
            self.station.move(
                order.id, StationState.PACKING, actor=self.actor, reason="pack started"
            )
        return PackSession(self, order)


class PackSession:
    """One order on the pack screen: its lines, scans, package and rate."""

    def __init__(self, service: PackingService, order: Order) -> None:
        self.service = service
        self.store = service.store
        self.order = order
        variants = self.store.catalog.variants_by_id([li.variant_id for li in order.line_items])
        self.to_ship = to_ship(order, service.here)
        """Items per line item still to ship from here (not what left in earlier parcels)."""
        self.lines = self._load_lines(variants)
        self.items_weight: float = sum(
            variants[li.variant_id].weight_g * self.to_ship.get(li.id, 0)
            for li in order.line_items
            if li.variant_id in variants
        )
        """The weight of what remains to ship (grams, from the catalog), read with the lines."""
        self.shipped_notes = earlier_notes(order, self.to_ship)
        self.package: Parcel | None = self._first_package()
        self.rate: Rate | None
        self.rate, self.rate_reason = self.store.shipments.chosen_rate(order.id, 1)
        self.outcome: PackOutcome | None = None
        self._state: StationState | None = None
        self._refusal_shown = False
        self._buying = threading.Lock()
        self.reload_state()

    def reload_state(self) -> StationState | None:
        """Read the order's state again (after another actor may have moved it)."""
        current = self.store.station.get(self.order.id)
        self._state = current.state if current else None
        return self._state

    def _move(self, to_state: StationState, reason: str) -> None:
        self.service.station.move(self.order.id, to_state, actor=self.service.actor, reason=reason)
        self._state = to_state

    def _first_package(self) -> Parcel | None:
        try:
            parcels = self.service.shipping.packages(self.order)
        except Exception as exc:  # no box fits, no catalog data: shown, not fatal
            log.info("no package for %s yet: %s", self.order.name, exc)
            return None
        return parcels[0] if parcels else None

    def _load_lines(self, variants: Mapping[str, Variant]) -> list[PackLine]:
        order = self.order
        expected = self.to_ship
        scanned = self.store.station.scanned_quantities(order.id)
        lines = []
        for li in order.line_items:
            want = expected.get(li.id, 0)
            if want <= 0:
                continue
            variant = variants.get(li.variant_id)
            title = li.title if not li.variant_title else f"{li.title} — {li.variant_title}"
            lines.append(
                PackLine(
                    line_item_id=li.id,
                    sku=(variant.sku if variant and variant.sku else li.sku),
                    barcode=variant.barcode if variant else "",
                    title=title,
                    bin=variant.bin if variant else "",
                    expected=want,
                    scanned=scanned.get(li.id, 0),
                )
            )
        return lines

    @property
    def order_id(self) -> str:
        return self.order.id

    @property
    def state(self) -> StationState | None:
        """The order's state as this session last saw or made it (no query per scan)."""
        return self._state

    @property
    def complete(self) -> bool:
        return all_scanned(self.lines)

    @property
    def buying(self) -> bool:
        """The label purchase after the last scan is running (`finish`)."""
        return self._buying.locked()

    @property
    def in_progress(self) -> bool:
        """Items are scanned but the order is not packed yet (quitting or leaving asks first)."""
        return self._state is StationState.PACKING and self.scanned > 0

    @property
    def label_pending(self) -> bool:
        """Every item is in and the label is not bought yet: F2 buys it."""
        return self._state is StationState.PACKED and not self.buying

    @property
    def on_hold(self) -> bool:
        return self._state is StationState.ON_HOLD

    def is_order(self, ref: str) -> bool:
        """Whether `ref` (an id, a name, or a slip's `#1001`) names this session's order."""
        ref = ref.strip()
        return ref in (self.order.id, self.order.name) or ref.lstrip("#") == self.order.number

    @property
    def scanned(self) -> int:
        return sum(min(line.scanned, line.expected) for line in self.lines)

    @property
    def expected(self) -> int:
        return sum(line.expected for line in self.lines)

    def scan(self, code: str) -> ScanResult:
        """Verify an item code, store it if it is right, and pack the order on the last one.

        A rejected scan stores nothing and changes nothing: the packer takes the item out and
        acknowledges the error (`acknowledge`); every scan until then is refused as well.
        """
        if self._refusal_shown:
            return unacknowledged(code)
        refusal = refuse_scan(code, self.order.name, self._state, buying=self.buying)
        if refusal is not None:
            self._refusal_shown = True
            return refusal
        title = None
        result: ScanResult | None = None
        if not any(line.matches(code) for line in self.lines):
            variant = self.store.catalog.variant_for_code(code)
            title = variant.display_title if variant else None
            if variant is not None:
                here, names = self.service.here, self.service.location_names()
                result = scan_of_unpackable(self.order, variant.id, variant.sku, code, here, names)
        if result is None:
            result = verify_scan(self.lines, code, catalog_title=title, shipped=self.shipped_notes)
        self.service.station.bus.publish(
            ItemScanned(
                at=self.service.clock.now(), order_id=self.order.id, outcome=result.outcome.value
            )
        )
        if result.rejected:
            log.info("order %s: rejected scan %r (%s)", self.order.name, code, result.outcome)
            self._refusal_shown = True
            return result
        self.store.station.add_scan(
            self.order.id, result.line_item_id, result.code, 1, self.service.clock.now()
        )
        self.lines = apply_scan(self.lines, result.line_item_id, 1)
        if self.complete:
            self._mark_packed()
        return result

    def acknowledge(self) -> None:
        """The packer saw the refusal (Esc): scans are taken again."""
        self._refusal_shown = False

    def set_quantity(self, line_item_id: str, quantity: int) -> QuantitySet:
        """Set a line's scanned count by hand (items without a barcode)."""
        line = next((ln for ln in self.lines if ln.line_item_id == line_item_id), None)
        if line is None:
            raise PackRefused("That line is not on this order.")
        if not 0 <= quantity <= line.expected:
            raise PackRefused(
                f"{line.title}: enter a quantity from 0 to {line.expected}, not {quantity}."
            )
        delta = quantity - line.scanned
        if delta:
            self.store.station.add_scan(
                self.order.id, line_item_id, MANUAL_CODE, delta, self.service.clock.now()
            )
            self.lines = apply_scan(self.lines, line_item_id, delta)
        packing = self._state is StationState.PACKING
        if self.complete:
            self._mark_packed()
        return QuantitySet(
            line=next(ln for ln in self.lines if ln.line_item_id == line_item_id),
            completed=packing and self._state is StationState.PACKED,
        )

    def enter_quantity(self, line_item_id: str, text: str) -> QuantitySet:
        """Apply the count the packer typed for a line."""
        try:
            quantity = int(text.strip())
        except ValueError:
            raise PackRefused(f"{text!r} is not a number; type e.g. 3.") from None
        return self.set_quantity(line_item_id, quantity)

    def undo(self) -> PackScan | None:
        """Take back the latest scan (ctrl+z). Refused once the label is being bought."""
        if self.reload_state() is not StationState.PACKING:
            raise PackRefused(
                f"Order {self.order.name} is already packed; void its label (F4) to change it."
            )
        scan = self.store.station.undo_scan(self.order.id)
        if scan is not None:
            self.lines = apply_scan(self.lines, scan.line_item_id, -scan.quantity)
        return scan

    def set_package(self, *, box: str | None = None, weight_g: float | None = None) -> Parcel:
        """The packer's box and/or weight; the rates are fetched again for the new parcel."""
        try:
            parcels = self.service.shipping.set_package(self.order, box=box, weight_g=weight_g)
        except Exception as exc:
            raise PackRefused(str(exc)) from exc
        self.package = parcels[0]
        self.rate, self.rate_reason = None, "rates are fetched again for the new package"
        return self.package

    def enter_package(self, text: str) -> Parcel | None:
        """Apply what the packer typed at F8 (`M, 850 g`); blank text changes nothing."""
        try:
            entry = parse_package_entry(text)
        except ValueError as exc:
            raise PackRefused(str(exc)) from exc
        if entry.empty:
            return self.package
        return self.set_package(box=entry.box, weight_g=entry.weight_g)

    def stopped_elsewhere(self) -> StationState | None:
        """Read the state again after a move: the new state when someone else stopped this
        pack (cancelled or held it), else None (this session's own moves stop nothing)."""
        before = self._state
        after = self.reload_state()
        if self.buying or not stops_a_pack(before, after):
            return None
        return after

    def _mark_packed(self) -> None:
        if self.state is StationState.PACKING:
            self._move(StationState.PACKED, "all scanned")

    def finish(self) -> PackOutcome:
        """Buy the label and print label and slip (blocking: call it from a worker).

        One purchase at a time: a second call while one runs is refused."""
        if not self._buying.acquire(blocking=False):
            raise PackRefused(f"The label for {self.order.name} is being bought already.")
        try:
            return self._finish()
        finally:
            self._buying.release()

    def _finish(self) -> PackOutcome:
        if self.complete and self.state is StationState.PACKING:
            self._mark_packed()
        service = self.service
        # The label service moves the order on (LABELED, or ERROR); read it back afterwards.
        self.outcome = buy_and_print(service.labels, service.printing, self.order, service.actor)
        self.reload_state()
        return self.outcome

    def abandon(self) -> StationState:
        """Stop packing: clear the scans and put the order back in the queue."""
        if self.reload_state() is not StationState.PACKING:
            return self.state or StationState.NEW
        cleared = self.store.station.clear_scans(self.order.id)
        back = StationState.READY if self.rate is not None else StationState.NEW
        self._move(back, f"pack abandoned; {cleared} scan{'s' if cleared != 1 else ''} cleared")
        self.lines = [line.model_copy(update={"scanned": 0}) for line in self.lines]
        return back
