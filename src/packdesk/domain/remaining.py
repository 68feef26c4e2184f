"""What remains to ship of an order from one location, and what already left.

An order can leave in several parcels: some lines shipped earlier (from here or from the
other warehouse), the rest now. Everything that fills, weighs or describes the parcel at the
station (the pack list, the box, the weight and so the postage, customs, the slip and the
shipping e-mail) counts only what remains to ship from the station's location:

- when the location has open fulfillment orders, what their lines still hold (Shopify's
  `remainingQuantity`); with no location known, what every open fulfillment order holds;
- nothing, when its fulfillment orders are all closed (its part of the order left);
- else (no fulfillment order names the location) each shippable line's quantity less what
  earlier fulfillments carried.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from packdesk.domain.fulfillments import Fulfillment
from packdesk.domain.models import LineItem, Order
from packdesk.domain.scanning import ScanResult, already_shipped, not_here

OPEN_STATUSES = frozenset({"OPEN", "IN_PROGRESS"})
"""Fulfillment order statuses with items a station can still pack."""


def shipped_quantities(order: Order) -> dict[str, int]:
    """How many of each line item earlier fulfillments carried."""
    shipped: dict[str, int] = {}
    for fulfillment in order.fulfillments or ():
        if not fulfillment.shipped:
            continue
        for line in fulfillment.lines:
            shipped[line.line_item_id] = shipped.get(line.line_item_id, 0) + line.quantity
    return shipped


def to_ship(order: Order, location_id: str) -> dict[str, int]:
    """Items still to ship per line item id from `location_id` (only lines with some left)."""
    open_here = [
        fo
        for fo in order.fulfillment_orders
        if fo.status in OPEN_STATUSES and (not location_id or fo.location_id == location_id)
    ]
    wanted: dict[str, int] = {}
    if open_here:
        for fo in open_here:
            for line in fo.lines:
                if line.remaining_quantity > 0:
                    wanted[line.line_item_id] = (
                        wanted.get(line.line_item_id, 0) + line.remaining_quantity
                    )
        return wanted
    if location_id and any(fo.location_id == location_id for fo in order.fulfillment_orders):
        return wanted
    shipped = shipped_quantities(order)
    for li in order.line_items:
        left = li.quantity - shipped.get(li.id, 0)
        if li.requires_shipping and left > 0:
            wanted[li.id] = left
    return wanted


def with_quantities(order: Order, quantities: Mapping[str, int]) -> Order:
    """The order as one parcel carries it: each line with the quantity `quantities` gives
    it, lines without one left out (the order's name, address and notes unchanged)."""
    lines = tuple(
        li.model_copy(update={"quantity": quantities[li.id]})
        for li in order.line_items
        if quantities.get(li.id, 0) > 0
    )
    return order.model_copy(update={"line_items": lines})


def order_to_ship(order: Order, location_id: str) -> Order:
    """The order as the parcel from `location_id` carries it: only what remains to ship."""
    return with_quantities(order, to_ship(order, location_id))


def earlier_parcels(order: Order, line_item_ids: Iterable[str]) -> list[Fulfillment]:
    """The fulfillments that carried any of these line items, oldest first."""
    wanted = set(line_item_ids)
    found = [
        f
        for f in order.fulfillments or ()
        if any(f.quantity_of(line_item_id) for line_item_id in wanted)
    ]
    return sorted(found, key=lambda f: (f.created_at, f.id))


def day(at: datetime) -> str:
    """`28 Nov`: the day a parcel left, as a packer says it."""
    return f"{at.day} {at:%b}"


def describe_parcels(parcels: Sequence[Fulfillment]) -> str:
    """ "on 28 Nov in parcel 9400111…" for each earlier parcel, joined with "and"."""
    parts = []
    for f in parcels:
        when = day(f.created_at)
        numbers = ", ".join(f.tracking_numbers)
        where = f"in parcel {numbers}" if numbers else f"as {f.name or 'a parcel'} (no tracking)"
        parts.append(f"on {when} {where}")
    return " and ".join(parts)


def line_for_variant(order: Order, variant_id: str, sku: str) -> LineItem | None:
    """The order's line of a catalog item (by variant, else by SKU)."""
    for li in order.line_items:
        if variant_id and li.variant_id == variant_id:
            return li
    wanted = sku.strip().casefold()
    return next((li for li in order.line_items if wanted and li.sku.casefold() == wanted), None)


def earlier_notes(order: Order, line_item_ids: Iterable[str]) -> dict[str, str]:
    """Per line item that left partly in earlier parcels: "1 shipped on 28 Nov in parcel
    9400…", for the packer who scans one too many."""
    shipped = shipped_quantities(order)
    notes = {}
    for line_item_id in line_item_ids:
        parcels = earlier_parcels(order, [line_item_id])
        if parcels and shipped.get(line_item_id):
            notes[line_item_id] = f"{shipped[line_item_id]} shipped {describe_parcels(parcels)}"
    return notes


def scan_of_unpackable(
    order: Order,
    variant_id: str,
    sku: str,
    code: str,
    location_id: str,
    location_names: Mapping[str, str],
) -> ScanResult | None:
    """The verdict on a scanned catalog item that is not on the pack list but on the order:
    it left in an earlier parcel, or another location ships it; None when neither is so."""
    line = line_for_variant(order, variant_id, sku)
    if line is None:
        return None
    title = line.title if not line.variant_title else f"{line.title} — {line.variant_title}"
    parcels = earlier_parcels(order, [line.id])
    open_lines = [
        (fo.location_id, fl.remaining_quantity)
        for fo in order.fulfillment_orders
        if fo.status in OPEN_STATUSES
        for fl in fo.lines
        if fl.line_item_id == line.id and fl.remaining_quantity > 0
    ]
    elsewhere = [where for where, _ in open_lines if location_id and where != location_id]
    if elsewhere:
        names = sorted({location_names.get(where, "another location") for where in elsewhere})
        return not_here(code, title, " and ".join(names))
    if parcels:
        return already_shipped(code, title, describe_parcels(parcels))
    shipped_by_shopify = any(
        fl.line_item_id == line.id and fl.remaining_quantity < fl.total_quantity
        for fo in order.fulfillment_orders
        for fl in fo.lines
    )
    if shipped_by_shopify:
        return already_shipped(code, title, "earlier")
    return None


def parcel_contents(order: Order, location_id: str, tracking_numbers: Iterable[str] = ()) -> Order:
    """The order as this station's parcel carries it: what the fulfillment holding one of
    its `tracking_numbers` carried, once Shopify has it; before that, what remains to ship
    from here; the whole order when neither says anything (nothing is known to be left)."""
    numbers = {n for n in tracking_numbers if n}
    for f in order.fulfillments or ():
        if f.shipped and numbers & set(f.tracking_numbers):
            carried: dict[str, int] = {}
            for line in f.lines:
                carried[line.line_item_id] = carried.get(line.line_item_id, 0) + line.quantity
            return with_quantities(order, carried)
    remaining = to_ship(order, location_id)
    if remaining:
        return with_quantities(order, remaining)
    return with_quantities(
        order, {li.id: li.quantity for li in order.line_items if li.requires_shipping}
    )
