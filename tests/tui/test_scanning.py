"""Scan classification, verification, refusals and scanner-vs-typing detection (pure
functions)."""

from __future__ import annotations

from packdesk.domain.scanning import (
    PackLine,
    ScanDetector,
    ScanKind,
    ScanOutcome,
    all_scanned,
    classify,
    refuse_scan,
    unacknowledged,
    verify_scan,
)
from packdesk.domain.states import StationState, stops_a_pack

LINES = [
    PackLine(
        line_item_id="a", sku="ABACUS-10", barcode="0700000000011", title="Abacus", expected=1
    ),
    PackLine(line_item_id="b", sku="FLASH-ADD", barcode="0700000000028", title="Cards", expected=2),
    PackLine(line_item_id="c", sku="FLASH-ADD", barcode="0700000000028", title="Cards", expected=1),
]


def test_classify_orders_items_and_commands() -> None:
    commands = {"CMD-UNDO": "undo"}
    assert classify("#1001", commands).kind is ScanKind.ORDER
    assert classify(" #1001 ", commands).value == "#1001"
    assert classify("cmd-undo", commands).kind is ScanKind.COMMAND
    assert classify("CMD-UNDO", commands).command == "undo"
    assert classify("0700000000011", commands).kind is ScanKind.ITEM
    assert classify("#ABC", commands).kind is ScanKind.ITEM


def test_verify_fills_lines_in_order_and_says_when_complete() -> None:
    first = verify_scan(LINES, "0700000000028")
    assert (first.outcome, first.line_item_id, first.complete) == (ScanOutcome.TICK, "b", False)
    lines = [ln.model_copy(update={"scanned": ln.expected}) for ln in LINES[:2]] + [LINES[2]]
    last = verify_scan(lines, "flash-add")
    assert (last.outcome, last.line_item_id, last.complete) == (ScanOutcome.TICK, "c", True)
    done = [*lines[:2], LINES[2].model_copy(update={"scanned": 1})]
    assert all_scanned(done)
    over = verify_scan(done, "0700000000011")
    assert over.outcome is ScanOutcome.OVER_SCAN
    assert over.rejected


def test_wrong_item_versus_unknown_code() -> None:
    wrong = verify_scan(LINES, "0700000000035", catalog_title="Desk Globe")
    assert wrong.outcome is ScanOutcome.WRONG_ITEM
    assert "Desk Globe" in wrong.message
    unknown = verify_scan(LINES, "???")
    assert unknown.outcome is ScanOutcome.UNKNOWN_CODE
    assert "F9" in unknown.message


def feed(detector: ScanDetector, text: str, gap_s: float) -> None:
    for n, char in enumerate(text):
        detector.key(char, 100.0 + n * gap_s)


def test_scanner_is_fast_people_are_slow() -> None:
    detector = ScanDetector(max_interkey_ms=50)
    feed(detector, "0700000000011", 0.010)
    assert detector.finish().from_scanner
    feed(detector, "1001", 0.150)
    typed = detector.finish()
    assert (typed.text, typed.from_scanner) == ("1001", False)
    feed(detector, "7", 0.0)
    assert not detector.finish().from_scanner  # a lone key is never a scan


def test_prefix_marks_a_scan_and_is_removed() -> None:
    detector = ScanDetector(max_interkey_ms=50, prefix="]C1")
    feed(detector, "]C1ABACUS-10", 0.200)
    result = detector.finish()
    assert (result.text, result.from_scanner) == ("ABACUS-10", True)


def test_backspace_and_edited_text_count_as_typing() -> None:
    detector = ScanDetector(max_interkey_ms=50)
    feed(detector, "12345", 0.005)
    detector.backspace()
    assert detector.text == "1234"
    assert not detector.finish("1239").from_scanner


def test_an_order_that_is_not_being_packed_refuses_every_item() -> None:
    assert refuse_scan("0700000000011", "#1001", StationState.PACKING, buying=False) is None
    for state, words in (
        (StationState.ON_HOLD, "is ON_HOLD: it must not be packed"),
        (StationState.CANCELLED, "is CANCELLED: it must not be packed"),
        (StationState.PACKED, "is already packed"),
        (StationState.LABELED, "is already packed"),
    ):
        refused = refuse_scan("0700000000011", "#1001", state, buying=False)
        assert refused is not None
        assert (refused.outcome, refused.code) == (ScanOutcome.NOT_PACKING, "0700000000011")
        assert words in refused.message
    buying = refuse_scan("0700000000011", "#1001", StationState.PACKED, buying=True)
    assert buying is not None
    assert buying.message == "Wait: the label for #1001 is being bought."
    assert unacknowledged("0700000000011").rejected


def test_only_a_pack_stopped_elsewhere_stops_the_packer() -> None:
    assert stops_a_pack(StationState.PACKING, StationState.CANCELLED)
    assert stops_a_pack(StationState.PACKED, StationState.ON_HOLD)
    assert not stops_a_pack(StationState.PACKING, StationState.PACKED)  # the last scan
    assert not stops_a_pack(StationState.ON_HOLD, StationState.ON_HOLD)  # held here already
    assert not stops_a_pack(StationState.LABELED, StationState.CANCELLED)  # the void prompt's
