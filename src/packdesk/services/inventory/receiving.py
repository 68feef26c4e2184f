"""Receiving a purchase order by scan at the station.

The receiver opens the PO (its number typed, or the barcode on its PDF scanned) and scans
each item out of the carton; every accepted scan is stored at once, so a receipt survives
a restart. Finishing writes, in one transaction, the receipt's quantities onto the PO, its
move to PARTIAL or RECEIVED, and per item two Shopify changes through the outbox: available
up and incoming down by what came, reason `received`, the PO as their document. Their keys
name the receipt, so a retried delivery changes Shopify once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from packdesk.domain.clock import Clock
from packdesk.domain.inventory.events import StockChanged
from packdesk.domain.inventory.purchasing import (
    PoStatus,
    PurchaseOrder,
    PurchasingError,
    ledger_uri,
    po_id_of,
)
from packdesk.domain.inventory.receiving import ReceiveLine, ReceiveResult, verify_receive
from packdesk.domain.models import NewOutboxItem
from packdesk.domain.ports import EventPublisher, Store
from packdesk.services.inventory.stock import StockService


@dataclass(frozen=True)
class ReceiveSession:
    po: PurchaseOrder
    receipt_id: int
    lines: tuple[ReceiveLine, ...]

    @property
    def scanned(self) -> int:
        return sum(li.scanned for li in self.lines)

    @property
    def remaining(self) -> int:
        return sum(li.remaining for li in self.lines)


@dataclass(frozen=True)
class ReceiveScanned:
    result: ReceiveResult
    session: ReceiveSession


@dataclass(frozen=True)
class ReceiptDone:
    po: PurchaseOrder
    received: dict[str, int]

    def sentence(self) -> str:
        units = sum(self.received.values())
        if self.po.status is PoStatus.RECEIVED:
            return (
                f"{self.po.number} received in full ({units} units this time); Shopify is updated."
            )
        left = sum(li.outstanding for li in self.po.lines)
        return f"{units} units of {self.po.number} received; {left} still to come."


def _adjustment(
    po: PurchaseOrder,
    receipt_id: int,
    inventory_item_id: str,
    variant_id: str,
    name: str,
    delta: int,
) -> NewOutboxItem:
    payload: dict[str, object] = {
        "inventory_item_id": inventory_item_id,
        "location_id": po.location_id,
        "name": name,
        "delta": delta,
        "reason": "received",
        "reference": ledger_uri(po.number),
    }
    if name != "available":
        payload["ledger_document"] = ledger_uri(po.number)
    return NewOutboxItem(
        kind="inventory_adjust",
        dedupe_key=f"po:{po.number}:receipt:{receipt_id}:{variant_id}:{name}",
        payload=payload,
    )


class Receiving:
    def __init__(
        self, store: Store, clock: Clock, bus: EventPublisher, stock: StockService, *, actor: str
    ) -> None:
        self.store = store
        self.clock = clock
        self.bus = bus
        self.stock = stock
        self.actor = actor

    def open(self, ref: str) -> ReceiveSession:
        """The PO ready to receive, with what its open receipt has scanned already."""
        po = self.store.purchasing.po(po_id_of(ref))
        if po is None:
            raise PurchasingError(f"No purchase order {ref}; `packdesk po list` shows them.")
        if po.status is PoStatus.DRAFT:
            raise PurchasingError(
                f"{po.number} is a draft: order it first (`packdesk po order {po.number}`), "
                "then receive it."
            )
        if not po.status.open:
            raise PurchasingError(f"{po.number} is {po.status.value}: nothing is left to receive.")
        receipt = self.store.purchasing.open_receipt(po.id, self.actor, self.clock.now())
        return self._session(po, receipt.id, receipt.scanned)

    def _session(
        self, po: PurchaseOrder, receipt_id: int, scanned: dict[str, int]
    ) -> ReceiveSession:
        lines = tuple(
            ReceiveLine(
                variant_id=li.variant_id,
                sku=li.sku,
                barcode=li.barcode,
                title=li.title,
                ordered=li.quantity,
                received_before=li.received,
                scanned=scanned.get(li.variant_id, 0),
            )
            for li in po.lines
        )
        return ReceiveSession(po, receipt_id, lines)

    def scan(self, session: ReceiveSession, code: str) -> ReceiveScanned:
        """Check a scanned code against the PO; an accepted one is counted and stored."""
        title = None
        if not any(li.matches(code) for li in session.lines):
            found = self.store.catalog.variant_for_code(code)
            title = found.display_title if found else None
        result = verify_receive(session.po.number, session.lines, code, catalog_title=title)
        if result.rejected:
            return ReceiveScanned(result, session)
        self.store.purchasing.add_received(
            session.receipt_id, result.variant_id, 1, self.clock.now()
        )
        return ReceiveScanned(result, self._counted(session, result.variant_id, 1))

    def undo(self, session: ReceiveSession, variant_id: str) -> ReceiveSession:
        """Take one unit of a line back out of the receipt."""
        line = next((li for li in session.lines if li.variant_id == variant_id), None)
        if line is None or line.scanned == 0:
            return session
        self.store.purchasing.add_received(session.receipt_id, variant_id, -1, self.clock.now())
        return self._counted(session, variant_id, -1)

    @staticmethod
    def _counted(session: ReceiveSession, variant_id: str, delta: int) -> ReceiveSession:
        lines = tuple(
            li.model_copy(update={"scanned": li.scanned + delta})
            if li.variant_id == variant_id
            else li
            for li in session.lines
        )
        return replace(session, lines=lines)

    def finish(self, session: ReceiveSession) -> ReceiptDone:
        """Book the receipt: the PO's quantities and status, and Shopify's through the outbox."""
        if session.scanned == 0:
            raise PurchasingError(
                f"Nothing was scanned for {session.po.number}: scan the items, or leave with Esc."
            )
        now = self.clock.now()
        with self.store.transaction():
            po = self.store.purchasing.po(session.po.id)
            assert po is not None
            received = self.store.purchasing.finish_receipt(session.receipt_id, now)
            if not received:
                raise PurchasingError(
                    f"This receipt of {po.number} was finished at another station already."
                )
            status = po.status_after(received)
            if not self.store.purchasing.move_po(po.id, po.status, status, now):
                raise PurchasingError(f"{po.number} changed meanwhile; open it again.")
            items = {li.variant_id: li.inventory_item_id for li in po.lines}
            changes = []
            for variant_id, quantity in sorted(received.items()):
                item = items[variant_id]
                changes.append(
                    _adjustment(po, session.receipt_id, item, variant_id, "available", quantity)
                )
                changes.append(
                    _adjustment(po, session.receipt_id, item, variant_id, "incoming", -quantity)
                )
            self.store.outbox.add(changes, now)
        after = self.store.purchasing.po(po.id)
        assert after is not None
        self.stock.invalidate()
        self.bus.publish(StockChanged(at=now, reason=f"{po.number} received"))
        return ReceiptDone(after, received)
