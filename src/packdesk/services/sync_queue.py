"""How an order's upstream changes move it in this station's queue.

Sync stores Shopify's copy of an order; these rules compare it with the station's state and
say which move (if any) makes the queue agree, always with a reason the packer can read:

| upstream | station state | move |
|---|---|---|
| open fulfillment order here | not at the station | → NEW |
| open fulfillment order here again | MOVED | → NEW |
| cancelled | NEW, READY, PACKING, PACKED, ON_HOLD, ERROR | → CANCELLED |
| cancelled | LABELED, PRINTED | stays; reason: void the label (F4) |
| fulfilled elsewhere | NEW, READY, PACKING, ON_HOLD | → FULFILLED |
| fulfilled elsewhere | PACKED, ERROR | → ON_HOLD (do not buy a label) |
| fulfilled | LABELED, PRINTED | → FULFILLED (our own fulfillment, or one made by hand) |
| moved to another location | NEW, READY, PACKING, PACKED, ON_HOLD, ERROR | → MOVED |
| moved to another location | LABELED, PRINTED | stays; reason: void the label (F4) |
| quantities edited | PACKING | → READY (scan again) |
| quantities edited | PACKED | → ON_HOLD (repack) |
| quantities or address edited | READY | → NEW (rates are fetched again) |

"Quantities" are the line items' and what remains to ship from here: a part of the order
fulfilled elsewhere meanwhile changes what the station packs as much as an edit does.

A cancelled order whose label is bought is never moved by sync: only voiding the label (the
packer's F4) may take it back to PACKED, from where it can be cancelled. Sync keeps its state
and sets a visible reason instead.

The rules are a pure function of (previous copy, new copy, station state), so sync can apply
them again after a crash from the local copy alone (`previous=None` skips edit detection).
"""

from __future__ import annotations

from dataclasses import dataclass

from packdesk.domain.models import Order, StationOrder
from packdesk.domain.remaining import to_ship
from packdesk.domain.states import StationState

S = StationState

OPEN_STATUSES = frozenset({"OPEN", "IN_PROGRESS"})

TERMINAL = frozenset({S.FULFILLED, S.DELIVERED, S.CANCELLED})
LABEL_BOUGHT = frozenset({S.LABELED, S.PRINTED})


@dataclass(frozen=True)
class QueueChange:
    """What sync does to one order at the station: a move, or a reason on the same state."""

    to_state: StationState | None
    """None: keep the state and only set `reason` (a note the packer must see)."""
    reason: str


def open_quantity(order: Order, location_id: str) -> int:
    """Items still to ship from `location_id` in open fulfillment orders."""
    return sum(
        line.remaining_quantity
        for fo in order.fulfillment_orders
        if fo.location_id == location_id and fo.status in OPEN_STATUSES
        for line in fo.lines
    )


def _open_elsewhere(order: Order, location_id: str) -> str | None:
    for fo in order.fulfillment_orders:
        remaining = sum(line.remaining_quantity for line in fo.lines)
        if fo.location_id != location_id and fo.status in OPEN_STATUSES and remaining:
            return fo.location_id
    return None


def _quantities(order: Order, here: str) -> tuple[dict[str, int], dict[str, int]]:
    """The order's quantities, and what remains to ship from here (a part shipped
    elsewhere meanwhile changes what the station packs as much as an edit does)."""
    return {li.id: li.quantity for li in order.line_items}, to_ship(order, here)


def queue_change(
    previous: Order | None,
    order: Order,
    station: StationOrder | None,
    here: str,
    location_names: dict[str, str] | None = None,
) -> QueueChange | None:
    """The move that makes the station agree with Shopify's `order`, if one is needed."""
    names = location_names or {}
    state = station.state if station else None
    if state in TERMINAL:
        return None
    open_here = open_quantity(order, here) > 0

    if order.cancelled_at is not None:
        if state is None or state is S.MOVED:
            return None
        why = f" ({order.cancel_reason.lower()})" if order.cancel_reason else ""
        if state in LABEL_BOUGHT:
            reason = f"Cancelled in Shopify{why} after its label was bought: void the label (F4)"
            return _note(station, reason)
        return QueueChange(S.CANCELLED, f"Cancelled in Shopify{why}")

    if state is None or state is S.MOVED:
        if open_here:
            reason = "Moved back to this location in Shopify" if state else "New order"
            return QueueChange(S.NEW, reason)
        return None

    if not open_here:
        elsewhere = _open_elsewhere(order, here)
        if elsewhere is not None:
            where = names.get(elsewhere, elsewhere)
            if state in LABEL_BOUGHT:
                return _note(
                    station,
                    f"Moved to {where} in Shopify after its label was bought: void the label (F4)",
                )
            return QueueChange(S.MOVED, f"Moved to {where} in Shopify")
        if any(fo.status == "CLOSED" for fo in order.fulfillment_orders):
            if state in LABEL_BOUGHT:
                return QueueChange(S.FULFILLED, "Fulfilled in Shopify")
            if state in (S.PACKED, S.ERROR):
                return QueueChange(
                    S.ON_HOLD, "Fulfilled outside packdesk in Shopify: do not buy a label"
                )
            return QueueChange(S.FULFILLED, "Fulfilled outside packdesk in Shopify")
        return None

    if previous is None:
        return None
    (lines_before, left_before), (lines_now, left_now) = (
        _quantities(previous, here),
        _quantities(order, here),
    )
    quantities_changed = lines_before != lines_now or left_before != left_now
    changed = "quantities changed" if lines_before != lines_now else "what remains to ship changed"
    if quantities_changed and state is S.PACKING:
        return QueueChange(S.READY, f"Edited in Shopify while packing: {changed}, scan again")
    if quantities_changed and state is S.PACKED:
        return QueueChange(S.ON_HOLD, f"Edited in Shopify after packing: {changed}, repack")
    address_changed = previous.shipping_address != order.shipping_address
    if state is S.READY and (quantities_changed or address_changed):
        what = changed if quantities_changed else "shipping address changed"
        return QueueChange(S.NEW, f"Edited in Shopify: {what}, rates are fetched again")
    return None


def _note(station: StationOrder | None, reason: str) -> QueueChange | None:
    if station is not None and station.reason == reason:
        return None  # already said; do not write the same note on every sync
    return QueueChange(None, reason)
