"""Receiving scans: the right item ticks, a wrong or extra one is loud and not counted."""

from __future__ import annotations

from packdesk.domain.inventory.receiving import ReceiveLine, verify_receive
from packdesk.domain.scanning import ScanOutcome

LINES = [
    ReceiveLine(variant_id="a", sku="BM-ABC-01", barcode="0123", title="Alphabet", ordered=3,
                received_before=1, scanned=1),
    ReceiveLine(variant_id="b", sku="BM-NUM-01", title="Numbers", ordered=1, scanned=1),
]  # fmt: skip


def test_the_last_outstanding_unit_completes_the_po() -> None:
    result = verify_receive("PO-1001", LINES, "0123")
    assert (result.outcome, result.variant_id, result.complete) == (ScanOutcome.TICK, "a", True)
    assert result.message == "BM-ABC-01 Alphabet: 2 of 2"


def test_one_too_many_and_a_wrong_item_are_refused_with_what_to_do() -> None:
    over = verify_receive("PO-1001", LINES, "bm-num-01")
    assert over.outcome is ScanOutcome.OVER_SCAN
    assert "Put the extra one aside" in over.message
    wrong = verify_receive("PO-1001", LINES, "BM-TAN-01", catalog_title="Wooden Tangram Set")
    assert wrong.outcome is ScanOutcome.WRONG_ITEM
    assert wrong.message.startswith(
        "Wrong item: BM-TAN-01 is Wooden Tangram Set, which is not on PO-1001"
    )
    assert verify_receive("PO-1001", LINES, "???").outcome is ScanOutcome.UNKNOWN_CODE
