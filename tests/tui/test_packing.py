"""The pack session against a real SQLite file: scans, undo, manual quantity, complete,
abandon and resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from packdesk.domain.scanning import ScanOutcome
from packdesk.domain.states import StationState
from packdesk.services.packing import PackRefused

from .conftest import Rig, build_rig

O1001 = "gid://shopify/Order/1001"


def state(rig: Rig, order_id: str = O1001) -> StationState | None:
    current = rig.store.station.get(order_id)
    return current.state if current else None


def test_open_moves_to_packing_and_shows_lines(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    assert state(rig) is StationState.PACKING
    assert [(ln.sku, ln.barcode, ln.bin, ln.expected) for ln in session.lines] == [
        ("ABACUS-10", "0700000000011", "A-01", 1),
        ("FLASH-ADD", "0700000000028", "A-03", 2),
    ]


def test_right_scans_tick_and_last_scan_packs(rig: Rig) -> None:
    session = rig.desk.open_pack("1001")
    assert session.scan("0700000000011").outcome is ScanOutcome.TICK
    assert session.scan("flash-add").outcome is ScanOutcome.TICK  # SKU, any case
    last = session.scan("0700000000028")
    assert last.complete
    assert state(rig) is StationState.PACKED
    outcome = session.finish()
    assert outcome.ok
    assert outcome.tracking_number == "9400100000000000000001"
    assert rig.printing.slips == [O1001]
    assert state(rig) is StationState.LABELED


def test_wrong_over_and_unknown_scans_are_refused_and_not_stored(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    wrong = session.scan("0700000000035")
    assert wrong.outcome is ScanOutcome.WRONG_ITEM
    assert "Desk Globe Small" in wrong.message
    session.scan("0700000000011")
    over = session.scan("0700000000011")
    assert over.outcome is ScanOutcome.OVER_SCAN
    assert session.scan("NOPE-123").outcome is ScanOutcome.UNKNOWN_CODE
    assert rig.store.station.scanned_quantities(O1001) == {"L1001-0": 1}


def test_undo_takes_back_the_last_scan(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    session.scan("0700000000011")
    session.scan("0700000000028")
    undone = session.undo()
    assert undone is not None
    assert undone.code == "0700000000028"
    assert [ln.scanned for ln in session.lines] == [1, 0]


def test_manual_quantity_for_items_without_barcode(rig: Rig) -> None:
    session = rig.desk.open_pack("#1003")
    sticker = next(ln for ln in session.lines if ln.sku == "STICKERS")
    assert sticker.barcode == ""
    with pytest.raises(PackRefused, match="from 0 to 3"):
        session.set_quantity(sticker.line_item_id, 4)
    session.set_quantity(sticker.line_item_id, 3)
    session.scan("0700000000059")
    assert state(rig, "gid://shopify/Order/1003") is StationState.PACKED


def test_scans_survive_a_restart(tmp_path: Path) -> None:
    rig = build_rig(tmp_path / "a.db")
    rig.desk.open_pack("#1001").scan("0700000000011")
    rig.store.close()
    from packdesk.adapters.store import SqliteStore

    store = SqliteStore.open(tmp_path / "a.db")
    assert store.station.scanned_quantities(O1001) == {"L1001-0": 1}
    store.close()


def test_abandon_clears_scans_and_returns_to_queue(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    session.scan("0700000000011")
    assert session.abandon() is StationState.NEW
    assert rig.store.station.scanned_quantities(O1001) == {}
    assert "1 scan cleared" in rig.store.station.history(O1001)[-1].reason


def test_held_order_cannot_be_packed(rig: Rig) -> None:
    with pytest.raises(PackRefused, match=r"ON_HOLD .*address to check.*F5"):
        rig.desk.open_pack("#1004")


def test_label_refusal_keeps_order_packed_with_a_sentence(rig: Rig) -> None:
    rig.labels.refuse = "Shippo refused the address: ZIP 9021 is not valid"
    session = rig.desk.open_pack("#1002")
    session.scan("0700000000035")
    outcome = session.finish()
    assert outcome.label_error.startswith("Shippo refused the address: ZIP 9021 is not valid.")
    assert "F2" in outcome.label_error
    assert state(rig, "gid://shopify/Order/1002") is StationState.PACKED


def test_box_and_weight_are_editable(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    parcel = session.set_box("m")
    assert parcel.box == "M"
    assert parcel.weight_g == pytest.approx(450 + 2 * 120 + 200)
    assert session.set_weight(900).weight_g == 900
    assert rig.store.shipments.package(O1001) == session.package
    with pytest.raises(PackRefused, match="No box called 'XL'"):
        session.set_box("XL")
