"""Receiving a purchase order by scan: each item out of the carton is checked against what
is still to come on the PO. A wrong item or one too many is loud, as in packing, and is not
counted; the quantities scanned become the receipt when the receiver finishes."""

from __future__ import annotations

from collections.abc import Sequence

from packdesk.domain.inventory.stock import Value
from packdesk.domain.scanning import ScanOutcome


class ReceiveLine(Value):
    """One PO line at the receiving station."""

    variant_id: str
    sku: str
    barcode: str = ""
    title: str
    ordered: int
    received_before: int = 0
    """Received by earlier receipts of this PO."""
    scanned: int = 0
    """Scanned in this receipt."""

    @property
    def outstanding(self) -> int:
        return max(self.ordered - self.received_before, 0)

    @property
    def remaining(self) -> int:
        return max(self.outstanding - self.scanned, 0)

    def matches(self, code: str) -> bool:
        wanted = code.strip().casefold()
        return bool(wanted) and wanted in {v.casefold() for v in (self.barcode, self.sku) if v}


class ReceiveResult(Value):
    code: str
    outcome: ScanOutcome
    variant_id: str = ""
    message: str
    complete: bool = False
    """This scan brought in the PO's last outstanding unit."""

    @property
    def rejected(self) -> bool:
        return self.outcome.rejected


def verify_receive(
    number: str, lines: Sequence[ReceiveLine], code: str, *, catalog_title: str | None = None
) -> ReceiveResult:
    """Check one scanned code against the PO's outstanding lines. `catalog_title` is what the
    catalog calls the item with that code (None: no item has it)."""
    value = code.strip()
    line = next((li for li in lines if li.matches(value)), None)
    if line is None:
        if catalog_title is not None:
            return ReceiveResult(
                code=value,
                outcome=ScanOutcome.WRONG_ITEM,
                message=f"Wrong item: {value} is {catalog_title}, which is not on {number}. "
                "Put it aside for the supplier and press Esc.",
            )
        return ReceiveResult(
            code=value,
            outcome=ScanOutcome.UNKNOWN_CODE,
            message=f"Unknown code {value}: no item has this barcode or SKU. Check the label, "
            "or sync the catalog (F9), then press Esc.",
        )
    if line.remaining == 0:
        return ReceiveResult(
            code=value,
            outcome=ScanOutcome.OVER_SCAN,
            variant_id=line.variant_id,
            message=f"Too many: {number} has {line.outstanding} × {line.sku} to receive and all "
            "are scanned. Put the extra one aside and press Esc.",
        )
    left = sum(li.remaining for li in lines) - 1
    return ReceiveResult(
        code=value,
        outcome=ScanOutcome.TICK,
        variant_id=line.variant_id,
        message=f"{line.sku} {line.title}: {line.scanned + 1} of {line.outstanding}",
        complete=left == 0,
    )


def scanned_quantities(lines: Sequence[ReceiveLine]) -> dict[str, int]:
    return {li.variant_id: li.scanned for li in lines if li.scanned}


class Receipt(Value):
    """One carton (or delivery) being received against a PO: OPEN while scanning."""

    id: int
    po_id: int
    state: str
    actor: str = ""
    scanned: dict[str, int] = {}
    """Units scanned so far, by variant id."""
