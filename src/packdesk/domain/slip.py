"""The packing slip as the packer and the customer read it, before any printer format.

Services build a `PackingSlip` from an order and the warehouse bins; a `SlipRenderer`
adapter turns it into PDF or ESC/POS bytes. Keeping the content here means every format
shows the same lines, and renderers can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from packdesk.domain.models import Address, Model, Order


class SlipLine(Model):
    sku: str
    title: str
    quantity: int
    bin: str = ""


class PackingSlip(Model):
    order_name: str
    """What the customer sees and the Code128 carries, e.g. `#1001`."""
    ordered_at: datetime
    ship_to: Address | None = None
    lines: tuple[SlipLine, ...] = ()
    note: str = ""
    """The order's note: a gift message or the customer's request, printed as it is."""
    shipping: str = ""
    """The shipping line the customer chose, e.g. `Standard`."""

    @property
    def number(self) -> str:
        """The order name without `#`, for file names (`1001-slip.pdf`)."""
        return self.order_name.lstrip("#")

    @classmethod
    def for_order(cls, order: Order, bins: Mapping[str, str]) -> PackingSlip:
        """The slip of `order`; `bins` maps variant ids to shelf positions."""
        lines = tuple(
            SlipLine(
                sku=li.sku,
                title=f"{li.title} — {li.variant_title}"
                if li.variant_title and li.variant_title != "Default Title"
                else li.title,
                quantity=li.quantity,
                bin=bins.get(li.variant_id, ""),
            )
            for li in order.line_items
            if li.requires_shipping and li.quantity > 0
        )
        return cls(
            order_name=order.name,
            ordered_at=order.created_at,
            ship_to=order.shipping_address,
            lines=lines,
            note=order.note,
            shipping=order.shipping_title,
        )
