"""Parcels that already left: Shopify's fulfillments of an order, with what each carried.

A partly shipped order has one or more fulfillments; each names the line items (and how
many of each) it carried and the tracking numbers of its parcel(s). packdesk reads them to
pack only what remains and to tell a packer who scans an item that it already left.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

SHIPPED_STATUSES = frozenset({"SUCCESS", "OPEN", "PENDING"})
"""Fulfillment statuses whose items left (or are leaving) the warehouse; CANCELLED, ERROR and
FAILURE carried nothing."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrackingInfo(_Frozen):
    """One parcel's tracking as Shopify holds it (`FulfillmentTrackingInfo`)."""

    number: str = ""
    company: str = ""
    url: str = ""


class FulfillmentLine(_Frozen):
    """How many of one line item a fulfillment carried."""

    line_item_id: str
    quantity: int


class Fulfillment(_Frozen):
    """One shipment of an order as Shopify records it."""

    id: str
    name: str = ""
    """Shopify's name for it, e.g. `#1001-F1` or `#1001.1`."""
    status: str = "SUCCESS"
    created_at: datetime
    location_id: str = ""
    tracking: tuple[TrackingInfo, ...] = ()
    lines: tuple[FulfillmentLine, ...] = ()

    @property
    def shipped(self) -> bool:
        return self.status.upper() in SHIPPED_STATUSES

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        return tuple(t.number for t in self.tracking if t.number)

    def quantity_of(self, line_item_id: str) -> int:
        """How many of a line item this shipment carried (0 when it was cancelled)."""
        if not self.shipped:
            return 0
        return sum(line.quantity for line in self.lines if line.line_item_id == line_item_id)
