"""Suppliers and purchase orders, and the moves a purchase order may make.

    DRAFT ─▶ ORDERED ─▶ PARTIAL ─▶ RECEIVED ─▶ CLOSED
      │         │          └──────────────────▶ CLOSED   (the rest will not come)
      └─────────┴─▶ CANCELLED

Ordering raises Shopify's `incoming` at the PO's warehouse by each line's quantity;
receiving moves units from incoming to available; cancelling, or closing with units still
to come, takes what is left out of incoming again.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from packdesk.domain.inventory.stock import InventoryError, Value

NUMBER_BASE = 1000
"""PO numbers are `PO-` and the row id plus this: PO-1001 is the first."""
PO_NUMBER = re.compile(r"^(?:PO-?)?(\d{1,12})$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PurchasingError(InventoryError):
    """Bad input about suppliers or purchase orders, as one sentence with the fix."""


class PoStatus(StrEnum):
    DRAFT = "DRAFT"
    ORDERED = "ORDERED"
    PARTIAL = "PARTIAL"
    RECEIVED = "RECEIVED"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"

    @property
    def open(self) -> bool:
        """Ordered and not everything in: its lines are on their way."""
        return self in (PoStatus.ORDERED, PoStatus.PARTIAL)


MOVES: dict[PoStatus, frozenset[PoStatus]] = {
    PoStatus.DRAFT: frozenset({PoStatus.ORDERED, PoStatus.CANCELLED}),
    PoStatus.ORDERED: frozenset({PoStatus.PARTIAL, PoStatus.RECEIVED, PoStatus.CANCELLED}),
    PoStatus.PARTIAL: frozenset({PoStatus.PARTIAL, PoStatus.RECEIVED, PoStatus.CLOSED}),
    PoStatus.RECEIVED: frozenset({PoStatus.CLOSED}),
    PoStatus.CLOSED: frozenset(),
    PoStatus.CANCELLED: frozenset(),
}


def check_move(number: str, current: PoStatus, wanted: PoStatus) -> None:
    """Refuse a move the PO's status does not allow, saying what it allows."""
    if wanted not in MOVES[current]:
        allowed = ", ".join(sorted(s.value for s in MOVES[current])) or "nothing: it is final"
        raise PurchasingError(
            f"{number} is {current.value} and cannot become {wanted.value}; "
            f"from {current.value} it can become {allowed}."
        )


def po_number(po_id: int) -> str:
    return f"PO-{po_id + NUMBER_BASE}"


def po_id_of(text: str) -> int:
    """The row id a PO number (`PO-1001`, `1001`) names; a scanned PO barcode is the same."""
    found = PO_NUMBER.match(text.strip())
    if not found or int(found.group(1)) <= NUMBER_BASE:
        raise PurchasingError(f"{text!r} is not a PO number; write it as PO-1001.")
    return int(found.group(1)) - NUMBER_BASE


class Supplier(Value):
    id: int
    name: str
    email: str = ""
    lead_time_days: int = 14
    currency: str = "USD"

    def require_email(self) -> str:
        if not self.email:
            raise PurchasingError(
                f"Supplier {self.name} has no e-mail address, so the PO cannot be sent; set "
                f"one with `packdesk suppliers edit {self.name!r} --email ADDRESS`."
            )
        return self.email


def check_supplier(name: str, email: str, lead_time_days: int, currency: str) -> None:
    """Refuse a supplier packdesk could not order from."""
    if not name.strip():
        raise PurchasingError("A supplier needs a name, e.g. --name 'Cardworks Press'.")
    if email and not EMAIL.match(email):
        raise PurchasingError(f"{email!r} is not an e-mail address; write it as name@example.com.")
    if lead_time_days < 0:
        raise PurchasingError(f"Lead time {lead_time_days} is negative; give days, e.g. 21.")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise PurchasingError(f"Currency {currency!r} is not a three-letter code such as USD.")


class SupplierItem(Value):
    """What a supplier sells packdesk of one variant: case pack, cost, own lead time."""

    supplier_id: int
    variant_id: str
    sku: str = ""
    case_pack: int = 1
    min_order: int = 0
    unit_cost: Decimal = Decimal("0")
    lead_time_days: int | None = None
    """The SKU's own lead time; None uses the supplier's."""


def check_item(sku: str, case_pack: int, min_order: int, unit_cost: Decimal) -> None:
    if case_pack < 1:
        raise PurchasingError(f"{sku}: case pack {case_pack} must be 1 or more.")
    if min_order < 0:
        raise PurchasingError(f"{sku}: minimum order {min_order} is negative; give 0 or more.")
    if unit_cost < 0:
        raise PurchasingError(f"{sku}: unit cost {unit_cost} is negative.")


class PurchaseOrderLine(Value):
    variant_id: str
    sku: str
    title: str
    inventory_item_id: str = ""
    barcode: str = ""
    quantity: int
    unit_cost: Decimal = Decimal("0")
    received: int = 0

    @property
    def outstanding(self) -> int:
        return max(self.quantity - self.received, 0)

    @property
    def total(self) -> Decimal:
        return self.unit_cost * self.quantity


def check_line(sku: str, quantity: int, unit_cost: Decimal) -> None:
    if quantity <= 0:
        raise PurchasingError(
            f"{sku}: quantity {quantity} is not a number of units to order; give 1 or more."
        )
    if unit_cost < 0:
        raise PurchasingError(f"{sku}: unit cost {unit_cost} is negative.")


class PurchaseOrder(Value):
    id: int
    supplier: Supplier
    location: str
    """The warehouse it ships to: its location code (CA, PA)."""
    location_id: str = ""
    status: PoStatus
    currency: str = "USD"
    note: str = ""
    lines: tuple[PurchaseOrderLine, ...] = ()
    created_at: datetime
    ordered_at: datetime | None = None
    expected_on: date | None = None
    closed_at: datetime | None = None
    updated_at: datetime

    @property
    def number(self) -> str:
        return po_number(self.id)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0"))

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    def line(self, variant_id: str) -> PurchaseOrderLine | None:
        return next((li for li in self.lines if li.variant_id == variant_id), None)

    def status_after(self, received: dict[str, int]) -> PoStatus:
        """RECEIVED when every line is in after adding `received` (by variant), else PARTIAL."""
        done = all(li.received + received.get(li.variant_id, 0) >= li.quantity for li in self.lines)
        return PoStatus.RECEIVED if done else PoStatus.PARTIAL


def ledger_uri(number: str) -> str:
    """The PO as the ledger document of the Shopify quantities it changes (not a Shopify
    GID, which Shopify refuses there)."""
    return f"gid://packdesk/PurchaseOrder/{number}"
