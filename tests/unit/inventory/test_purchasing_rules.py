"""What a purchase order may become, PO numbers as typed or scanned, and the sentences for
bad input about suppliers and orders."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from packdesk.domain.inventory.purchasing import (
    PoStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingError,
    Supplier,
    check_line,
    check_move,
    check_supplier,
    po_id_of,
    po_number,
)

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def test_po_numbers_read_back_as_typed_or_scanned() -> None:
    assert po_number(1) == "PO-1001"
    assert po_id_of("PO-1001") == po_id_of("po1001") == po_id_of(" 1001 ") == 1
    with pytest.raises(PurchasingError, match="write it as PO-1001"):
        po_id_of("#1001x")
    with pytest.raises(PurchasingError):
        po_id_of("PO-7")


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (PoStatus.DRAFT, PoStatus.ORDERED, True),
        (PoStatus.DRAFT, PoStatus.RECEIVED, False),
        (PoStatus.ORDERED, PoStatus.CANCELLED, True),
        (PoStatus.PARTIAL, PoStatus.CANCELLED, False),
        (PoStatus.PARTIAL, PoStatus.CLOSED, True),
        (PoStatus.RECEIVED, PoStatus.CLOSED, True),
        (PoStatus.CLOSED, PoStatus.ORDERED, False),
    ],
)
def test_a_po_moves_only_forward(current: PoStatus, wanted: PoStatus, allowed: bool) -> None:
    if allowed:
        check_move("PO-1001", current, wanted)
    else:
        with pytest.raises(PurchasingError, match=f"PO-1001 is {current.value}"):
            check_move("PO-1001", current, wanted)


def test_bad_input_is_one_sentence_with_the_fix() -> None:
    with pytest.raises(PurchasingError, match="give 1 or more"):
        check_line("BM-ABC-01", -3, Decimal("1"))
    with pytest.raises(PurchasingError, match="not an e-mail address"):
        check_supplier("A", "not-mail", 10, "USD")
    with pytest.raises(PurchasingError, match="three-letter code"):
        check_supplier("A", "", 10, "dollars")
    with pytest.raises(PurchasingError, match="suppliers edit 'Cardworks' --email"):
        Supplier(id=1, name="Cardworks").require_email()


def test_a_po_is_received_when_every_line_is_in() -> None:
    po = PurchaseOrder(
        id=1, supplier=Supplier(id=1, name="A"), location="CA", status=PoStatus.ORDERED,
        created_at=T0, updated_at=T0,
        lines=(
            PurchaseOrderLine(variant_id="a", sku="A", title="A", quantity=5, received=2),
            PurchaseOrderLine(variant_id="b", sku="B", title="B", quantity=1),
        ),
    )  # fmt: skip
    assert po.status_after({"a": 3}) is PoStatus.PARTIAL
    assert po.status_after({"a": 3, "b": 1}) is PoStatus.RECEIVED
