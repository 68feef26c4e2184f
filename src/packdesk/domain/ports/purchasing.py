"""Suppliers, purchase orders and their receipts, as packdesk stores them; and the PO's
documents (PDF and CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from packdesk.domain.inventory.purchasing import (
    PoStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierItem,
)
from packdesk.domain.inventory.receiving import Receipt


class PurchasingRepository(Protocol):
    def save_supplier(
        self,
        name: str,
        *,
        email: str,
        lead_time_days: int,
        currency: str,
        at: datetime,
        supplier_id: int | None = None,
    ) -> Supplier:
        """Add a supplier, or change the one with `supplier_id`."""
        ...

    def supplier(self, name_or_id: str) -> Supplier | None:
        """By name (any case) or id."""
        ...

    def suppliers(self) -> list[Supplier]: ...

    def set_item(self, item: SupplierItem) -> None:
        """What a supplier sells of a variant; a variant has one supplier, so this moves it."""
        ...

    def items(self, supplier_id: int | None = None) -> list[SupplierItem]: ...

    def items_by_variant(
        self, variant_ids: Sequence[str] | None = None
    ) -> dict[str, SupplierItem]: ...

    def create_po(
        self,
        supplier_id: int,
        *,
        location: str,
        location_id: str,
        currency: str,
        note: str,
        lines: Sequence[PurchaseOrderLine],
        at: datetime,
    ) -> PurchaseOrder:
        """A new DRAFT purchase order."""
        ...

    def po(self, po_id: int) -> PurchaseOrder | None: ...

    def pos(self, statuses: Sequence[PoStatus] = ()) -> list[PurchaseOrder]:
        """Purchase orders in these statuses (all when empty), newest first."""
        ...

    def set_lines(self, po_id: int, lines: Sequence[PurchaseOrderLine], at: datetime) -> None:
        """Replace a DRAFT PO's lines."""
        ...

    def move_po(
        self,
        po_id: int,
        expected: PoStatus,
        to: PoStatus,
        at: datetime,
        *,
        expected_on: date | None = None,
    ) -> bool:
        """Change the status only from `expected` (False when another change came first);
        ORDERED stamps `ordered_at` and `expected_on`, CLOSED and CANCELLED `closed_at`."""
        ...

    def open_po_quantities(self) -> dict[tuple[str, str], int]:
        """Units still to come on ORDERED and PARTIAL POs, by (variant id, location code)."""
        ...

    def open_receipt(self, po_id: int, actor: str, at: datetime) -> Receipt:
        """The PO's open receipt, started now when there is none."""
        ...

    def receipt(self, receipt_id: int) -> Receipt | None: ...

    def add_received(self, receipt_id: int, variant_id: str, quantity: int, at: datetime) -> None:
        """Count `quantity` more (or fewer) units of a variant scanned in an open receipt."""
        ...

    def finish_receipt(self, receipt_id: int, at: datetime) -> dict[str, int]:
        """OPEN → DONE, adding its quantities to the PO lines' received; the quantities, or
        {} when it was not open."""
        ...


class PurchaseOrderDocuments(Protocol):
    def pdf(self, po: PurchaseOrder, ship_to: str, shop_name: str) -> bytes:
        """The PO as a PDF: number (and its barcode), supplier, ship-to, lines, totals."""
        ...

    def csv(self, po: PurchaseOrder) -> bytes:
        """The PO's lines as CSV (UTF-8), for a supplier's system."""
        ...
