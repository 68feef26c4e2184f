"""Packing one order: open it, scan its items, and ship it on the last scan.

A `PackSession` is the pack screen's model. Every scan is stored (`pack_scans`) before it
shows, so a crash or restart resumes where the packer was. Verification is the pure
`domain.scanning.verify_scan`; this module only adds storage and the state machine.

Decisions:
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
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from packdesk.domain.clock import Clock
from packdesk.domain.models import (
    Box,
    LabelPurchase,
    Order,
    Parcel,
    PurchaseState,
    Rate,
    Variant,
)
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
    verify_scan,
)
from packdesk.domain.states import StationState
from packdesk.services.labels import LabelService
from packdesk.services.printing import PrintService
from packdesk.services.shipping import ShippingService
from packdesk.services.station import OrderNotFound, StationService

log = logging.getLogger(__name__)

MANUAL_CODE = "manual"
"""The code stored for a quantity typed by hand (items without a barcode)."""

PACKABLE = (StationState.NEW, StationState.READY, StationState.PACKING, StationState.PACKED)


class PackRefused(ValueError):
    """The order cannot be packed now; the message says why and what to do."""


class PackOutcome(BaseModel):
    """What happened after the last scan: the label bought (or not) and the prints queued."""

    model_config = ConfigDict(frozen=True)

    order_name: str
    tracking_number: str = ""
    carrier: str = ""
    service: str = ""
    label_error: str = ""
    print_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.label_error and not self.print_error


@dataclass
class PackingService:
    """Opens pack sessions for the station; bootstrap injects the label and print steps."""

    store: Store
    station: StationService
    clock: Clock
    actor: str
    location_id: str = ""
    boxes: Sequence[Box] = ()
    commands: Mapping[str, str] = field(default_factory=dict)
    labels: LabelService | None = None
    printing: PrintService | None = None
    package_editor: ShippingService | None = None
    """The shipping service: chooses the box up front and re-rates after an edit."""
    location_lookup: Callable[[], str] | None = None
    """Finds the station location's id once the locations are synced (when `location_id`
    was not known at start)."""

    @property
    def here(self) -> str:
        if not self.location_id and self.location_lookup is not None:
            self.location_id = self.location_lookup()
        return self.location_id

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
        if state in (None, StationState.NEW, StationState.READY):
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
        editor = self.service.package_editor
        if editor is not None:
            try:
                parcels = editor.packages(self.order)
            except Exception as exc:  # no box fits, no catalog data: shown, not fatal
                log.info("no package for %s yet: %s", self.order.name, exc)
            else:
                return parcels[0] if parcels else None
        return self.store.shipments.package(self.order.id)

    def _edit_package(self, *, box: str | None = None, weight_g: float | None = None) -> Parcel:
        editor = self.service.package_editor
        assert editor is not None
        try:
            parcels = editor.set_package(self.order, box=box, weight_g=weight_g)
        except Exception as exc:
            raise PackRefused(str(exc)) from exc
        self.package = parcels[0]
        self.rate, self.rate_reason = None, "rates are fetched again for the new package"
        return self.package

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
    def scanned(self) -> int:
        return sum(min(line.scanned, line.expected) for line in self.lines)

    @property
    def expected(self) -> int:
        return sum(line.expected for line in self.lines)

    def scan(self, code: str) -> ScanResult:
        """Verify an item code, store it if it is right, and pack the order on the last one.

        A rejected scan stores nothing and changes nothing: the packer takes the item out and
        acknowledges the error.
        """
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
        if result.rejected:
            log.info("order %s: rejected scan %r (%s)", self.order.name, code, result.outcome)
            return result
        self.store.station.add_scan(
            self.order.id, result.line_item_id, result.code, 1, self.service.clock.now()
        )
        self.lines = apply_scan(self.lines, result.line_item_id, 1)
        if self.complete:
            self._mark_packed()
        return result

    def set_quantity(self, line_item_id: str, quantity: int) -> PackLine:
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
        if self.complete:
            self._mark_packed()
        return next(ln for ln in self.lines if ln.line_item_id == line_item_id)

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

    def set_box(self, name: str) -> Parcel:
        if self.service.package_editor is not None:
            return self._edit_package(box=name)
        box = next((b for b in self.service.boxes if b.name.casefold() == name.casefold()), None)
        if box is None:
            names = ", ".join(b.name for b in self.service.boxes) or "none configured"
            raise PackRefused(f"No box called {name!r}; boxes: {names}.")
        weight = self.package.weight_g if self.package else self.items_weight + box.tare_g
        parcel = Parcel(
            box=box.name,
            length_cm=box.length_cm,
            width_cm=box.width_cm,
            height_cm=box.height_cm,
            weight_g=weight,
        )
        self.store.shipments.save_package(self.order.id, parcel, weight_overridden=False)
        self.package = parcel
        return parcel

    def set_weight(self, grams: float) -> Parcel:
        if grams <= 0 or grams > 70_000:
            raise PackRefused(f"A weight of {grams:g} g is not possible; enter grams, e.g. 850.")
        if self.service.package_editor is not None:
            return self._edit_package(weight_g=grams)
        base = self.package or Parcel(
            box="custom", length_cm=1, width_cm=1, height_cm=1, weight_g=grams
        )
        parcel = base.model_copy(update={"weight_g": float(grams)})
        self.store.shipments.save_package(self.order.id, parcel, weight_overridden=True)
        self.package = parcel
        return parcel

    def _mark_packed(self) -> None:
        if self.state is StationState.PACKING:
            self._move(StationState.PACKED, "all scanned")

    def finish(self) -> PackOutcome:
        """Buy the label and print label and slip (blocking: call it from a worker)."""
        service = self.service
        if self.complete and self.state is StationState.PACKING:
            self._mark_packed()
        label_error = print_error = ""
        purchase: LabelPurchase | None = None
        # The label service moves the order on (LABELED, or ERROR); read it back afterwards.
        if service.labels is None:
            label_error = "Buying labels is not set up in this packdesk; the order stays PACKED."
        else:
            try:
                purchase = service.labels.buy(self.order.id, actor=service.actor)
            except Exception as exc:  # shown to the packer; the order stays PACKED
                log.exception("label purchase for %s failed", self.order.name)
                label_error = _sentence(exc, "Press F2 to try again, or F5 to hold the order.")
            else:
                if purchase.state is not PurchaseState.BOUGHT:
                    label_error = purchase.error or (
                        f"The label is {purchase.state.value.lower()}; it will be retried "
                        "in the background, or press F2."
                    )
        if service.printing is not None:
            try:
                service.printing.enqueue_slip(self.order.id)
                service.printing.run_once()
            except Exception as exc:
                log.exception("printing for %s failed", self.order.name)
                print_error = _sentence(exc, "The job stays queued; check the printer and F3.")
        self.reload_state()
        bought = purchase is not None and purchase.state is PurchaseState.BOUGHT
        self.outcome = PackOutcome(
            order_name=self.order.name,
            tracking_number=purchase.tracking_number if bought and purchase else "",
            carrier=purchase.carrier if bought and purchase else "",
            service=purchase.service_name if bought and purchase else "",
            label_error=label_error,
            print_error=print_error,
        )
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


def _sentence(exc: Exception, fix: str) -> str:
    text = str(exc).strip() or type(exc).__name__
    if not text.endswith((".", "!", "?")):
        text += "."
    return text if "F2" in text or fix in text else f"{text} {fix}"
