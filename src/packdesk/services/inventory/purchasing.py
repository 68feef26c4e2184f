"""Suppliers and purchase orders: made by hand or from the reorder plans, ordered (Shopify's
`incoming` rises at the PO's warehouse), sent to the supplier as PDF and CSV through the
outbox, cancelled or closed (what will not come leaves `incoming` again).

Every move writes its status, and the outbox rows it causes, in one transaction; a move is
compared with the status its writer saw, so two stations cannot both order one PO."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.events import StockChanged
from packdesk.domain.inventory.purchasing import (
    PoStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingError,
    check_line,
    check_move,
    ledger_uri,
    po_id_of,
)
from packdesk.domain.inventory.stock import FBA
from packdesk.domain.models import Location, NewOutboxItem
from packdesk.domain.outbox import Attachment
from packdesk.domain.ports import EventPublisher, PurchaseOrderDocuments, Store
from packdesk.services.inventory.mail import business_email
from packdesk.services.inventory.stock import StockService
from packdesk.services.inventory.suppliers import Suppliers


@dataclass(frozen=True)
class HandLine:
    """A line typed for a PO: a SKU, how many, and its cost (None: the supplier item's)."""

    sku: str
    quantity: int
    unit_cost: Decimal | None = None


def incoming_change(
    po: PurchaseOrder, line: PurchaseOrderLine, delta: int, key: str, reason: str
) -> NewOutboxItem:
    """A change of Shopify's `incoming` for a PO line, with the PO as its ledger document."""
    return NewOutboxItem(
        kind="inventory_adjust",
        dedupe_key=key,
        payload={
            "inventory_item_id": line.inventory_item_id,
            "location_id": po.location_id,
            "name": "incoming",
            "delta": delta,
            "reason": reason,
            "reference": ledger_uri(po.number),
            "ledger_document": ledger_uri(po.number),
        },
    )


class PurchaseOrders:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        bus: EventPublisher,
        stock: StockService,
        documents: PurchaseOrderDocuments,
        suppliers: Suppliers,
        *,
        shop_name: str,
    ) -> None:
        self.store = store
        self.suppliers = suppliers
        self.clock = clock
        self.bus = bus
        self.stock = stock
        self.documents = documents
        self.shop_name = shop_name

    # -- purchase orders ----------------------------------------------------------------

    def get(self, ref: str) -> PurchaseOrder:
        po = self.store.purchasing.po(po_id_of(ref))
        if po is None:
            raise PurchasingError(f"No purchase order {ref}; `packdesk po list` shows them.")
        return po

    def all(self, statuses: Sequence[PoStatus] = ()) -> list[PurchaseOrder]:
        return self.store.purchasing.pos(statuses)

    def create(
        self, supplier: str, location: str, lines: Sequence[HandLine], note: str = ""
    ) -> PurchaseOrder:
        """A DRAFT PO typed by hand. Every SKU must be a variant; quantities 1 or more."""
        s = self.suppliers.get(supplier)
        loc = self._warehouse(location)
        if not lines:
            raise PurchasingError("A PO needs at least one line, e.g. --line BM-ABC-01=24.")
        items = self.store.purchasing.items_by_variant()
        made: list[PurchaseOrderLine] = []
        for hand in lines:
            variant = self.suppliers.variant(hand.sku)
            item = items.get(variant.id)
            cost = (
                hand.unit_cost
                if hand.unit_cost is not None
                else (item.unit_cost if item else Decimal("0"))
            )
            check_line(variant.sku, hand.quantity, cost)
            if any(li.variant_id == variant.id for li in made):
                raise PurchasingError(f"{variant.sku} is on the PO twice; give it once.")
            made.append(
                PurchaseOrderLine(
                    variant_id=variant.id,
                    sku=variant.sku,
                    title=variant.display_title,
                    inventory_item_id=variant.inventory_item_id,
                    barcode=variant.barcode,
                    quantity=hand.quantity,
                    unit_cost=cost,
                )
            )
        return self.store.purchasing.create_po(
            s.id,
            location=loc.code,
            location_id=loc.id,
            currency=s.currency,
            note=note,
            lines=made,
            at=self.clock.now(),
        )

    def from_suggestions(self, supplier: str, location: str = "") -> list[PurchaseOrder]:
        """DRAFT POs of what the reorder plans say to buy from `supplier` now: one per
        warehouse (FBA replenishment is planned, not ordered here)."""
        s = self.suppliers.get(supplier)
        plans = [
            p
            for p in self.stock.plans(supplier_id=s.id, location=location)
            if p.inputs.location != FBA
        ]
        if not plans:
            where = f" at {location}" if location else ""
            raise PurchasingError(
                f"Nothing to order from {s.name}{where}: none of its SKUs is at or below its "
                "reorder point (`packdesk reorder` shows every SKU's numbers)."
            )
        made: list[PurchaseOrder] = []
        for code in sorted({p.inputs.location for p in plans}):
            lines = [HandLine(p.inputs.sku, p.quantity) for p in plans if p.inputs.location == code]
            note = "From packdesk's reorder suggestions of " + self.clock.now().strftime("%Y-%m-%d")
            made.append(self.create(s.name, code, lines, note))
        return made

    def order(self, ref: str) -> PurchaseOrder:
        """DRAFT → ORDERED: expected after the supplier's lead time, and Shopify's incoming
        raised at the warehouse by every line (through the outbox)."""
        po = self.get(ref)
        check_move(po.number, po.status, PoStatus.ORDERED)
        now = self.clock.now()
        lead = max(po.supplier.lead_time_days, 0)
        with self.store.transaction():
            if not self.store.purchasing.move_po(
                po.id,
                PoStatus.DRAFT,
                PoStatus.ORDERED,
                now,
                expected_on=(now + timedelta(days=lead)).date(),
            ):
                raise PurchasingError(f"{po.number} changed meanwhile; look at it again.")
            self.store.outbox.add(
                [
                    incoming_change(
                        po,
                        li,
                        li.quantity,
                        f"po:{po.number}:incoming:{li.variant_id}",
                        "movement_created",
                    )
                    for li in po.lines
                ],
                now,
            )
        return self._moved(po, "ordered")

    def send(self, ref: str) -> PurchaseOrder:
        """E-mail the PO (PDF and CSV) to its supplier through the outbox, ordering it first
        when it is a draft. Sending again sends another copy."""
        po = self.get(ref)
        to = po.supplier.require_email()
        if po.status is PoStatus.DRAFT:
            po = self.order(ref)
        elif not po.status.open:
            raise PurchasingError(
                f"{po.number} is {po.status.value}; only a draft or ordered PO is sent."
            )
        pdf, csv = self.files(po)
        now = self.clock.now()
        email = business_email(
            f"email:po:{po.number}:{now:%Y%m%dT%H%M%S}",
            to,
            f"Purchase order {po.number} from {self.shop_name}",
            self._cover_letter(po),
            [
                Attachment(filename=f"{po.number}.pdf", mime_type="application/pdf", data=pdf),
                Attachment(filename=f"{po.number}.csv", mime_type="text/csv", data=csv),
            ],
        )
        self.store.outbox.add([email], now)
        return po

    def cancel(self, ref: str) -> PurchaseOrder:
        """DRAFT or ORDERED → CANCELLED; an ordered PO's incoming is taken back."""
        po = self.get(ref)
        check_move(po.number, po.status, PoStatus.CANCELLED)
        return self._end(po, PoStatus.CANCELLED, "cancelled")

    def close(self, ref: str) -> PurchaseOrder:
        """PARTIAL or RECEIVED → CLOSED; what is still outstanding leaves incoming."""
        po = self.get(ref)
        check_move(po.number, po.status, PoStatus.CLOSED)
        return self._end(po, PoStatus.CLOSED, "closed")

    def files(self, po: PurchaseOrder) -> tuple[bytes, bytes]:
        """The PO as PDF and CSV."""
        return self.documents.pdf(po, self._ship_to(po), self.shop_name), self.documents.csv(po)

    # -- helpers ------------------------------------------------------------------------

    def _end(self, po: PurchaseOrder, to: PoStatus, word: str) -> PurchaseOrder:
        now = self.clock.now()
        withdraw = [
            incoming_change(
                po,
                li,
                -li.outstanding,
                f"po:{po.number}:incoming-withdrawn:{li.variant_id}",
                "movement_canceled",
            )
            for li in po.lines
            if po.status.open and li.outstanding > 0
        ]
        with self.store.transaction():
            if not self.store.purchasing.move_po(po.id, po.status, to, now):
                raise PurchasingError(f"{po.number} changed meanwhile; look at it again.")
            self.store.outbox.add(withdraw, now)
        return self._moved(po, word)

    def _moved(self, po: PurchaseOrder, word: str) -> PurchaseOrder:
        self.stock.invalidate()
        self.bus.publish(StockChanged(at=self.clock.now(), reason=f"{po.number} {word}"))
        return self.get(po.number)

    def _warehouse(self, code: str) -> Location:
        loc = self.store.catalog.location(code) if code.strip() else None
        if loc is None or not loc.is_shopify:
            known = ", ".join(w.code for w in self.stock.warehouses())
            raise PurchasingError(
                f"{code or 'No location'} is not a warehouse a PO can ship to; use one of "
                f"{known} (FBA is replenished from a warehouse, in Seller Central)."
            )
        return loc

    def _ship_to(self, po: PurchaseOrder) -> str:
        loc = self.store.catalog.location(po.location_id or po.location)
        if loc is None:
            return po.location
        a = loc.address
        if a is None:
            return loc.name
        lines = [
            self.shop_name,
            loc.name,
            a.address1,
            a.address2,
            " ".join(p for p in (a.city + ",", a.province_code, a.zip) if p.strip(",")),
            a.country_code,
            a.phone,
        ]
        return "\n".join(line for line in lines if line and line.strip())

    def _cover_letter(self, po: PurchaseOrder) -> str:
        expected = f"by {po.expected_on:%B %d, %Y}" if po.expected_on else "as soon as you can"
        return (
            f"Hello {po.supplier.name},\n\n"
            f"Please find attached purchase order {po.number} from {self.shop_name}: "
            f"{po.units} units in {len(po.lines)} line(s), {po.total:.2f} {po.currency}, to "
            f"ship to our {po.location} warehouse {expected}.\n\n"
            "The PDF carries the order and its barcode; the CSV has the same lines for your "
            f"system. Please reply to confirm, quoting {po.number}.\n\n"
            f"Thank you,\n{self.shop_name}\n"
        )
