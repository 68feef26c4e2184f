"""The pack session against a real SQLite file, wired as production wires it: scans, undo,
manual quantity, complete (label bought from the carrier, label and slip printed to their
folder), refusals, abandon and resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from packdesk.domain.scanning import ScanOutcome
from packdesk.domain.states import READY_TO_PACK, StationState
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
    assert outcome.ok, outcome
    [bought] = rig.carrier.live()
    assert outcome.tracking_number == bought.tracking_number
    assert (rig.prints / "1001-label.pdf").read_bytes().startswith(b"%PDF")
    assert (rig.prints / "1001-slip.pdf").read_bytes().startswith(b"%PDF")
    assert state(rig) is StationState.PRINTED


def test_wrong_over_and_unknown_scans_are_refused_and_not_stored(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    wrong = session.scan("0700000000035")
    assert wrong.outcome is ScanOutcome.WRONG_ITEM
    assert "Desk Globe Small" in wrong.message
    session.acknowledge()
    session.scan("0700000000011")
    over = session.scan("0700000000011")
    assert over.outcome is ScanOutcome.OVER_SCAN
    session.acknowledge()
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
    rig = build_rig(tmp_path)
    rig.desk.open_pack("#1001").scan("0700000000011")
    rig.close()
    from packdesk.adapters.store import SqliteStore

    store = SqliteStore.open(tmp_path / "packdesk.db")
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


def test_shippo_away_keeps_the_order_packed_with_a_sentence(rig: Rig) -> None:
    rig.carrier.unreachable = True
    session = rig.desk.open_pack("#1002")
    session.scan("0700000000035")
    outcome = session.finish()
    assert outcome.label_error.startswith("Shippo is unreachable (connection refused)")
    assert "F2" in outcome.label_error
    assert state(rig, "gid://shopify/Order/1002") is StationState.PACKED
    assert session.label_pending  # F2 buys it once Shippo answers
    rig.carrier.unreachable = False
    assert session.finish().ok
    assert state(rig, "gid://shopify/Order/1002") is StationState.PRINTED


def test_a_carrier_refusal_puts_the_order_in_error_with_the_reason(rig: Rig) -> None:
    rig.carrier.faults = ["refuse"]
    session = rig.desk.open_pack("#1002")
    session.scan("0700000000035")
    outcome = session.finish()
    assert "Shippo refused the label of #1002: the rate has expired" in outcome.label_error
    assert state(rig, "gid://shopify/Order/1002") is StationState.ERROR
    assert not (rig.prints / "1002-label.pdf").exists()


def test_box_and_weight_are_editable(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    assert session.package is not None
    assert session.package.box == "S"  # chosen up front: the smallest box the items fit
    parcel = session.enter_package("m")
    assert parcel is not None
    assert parcel.box == "M"
    assert parcel.weight_g == pytest.approx(450 + 2 * 120 + 200)
    parcel = session.enter_package("0.9 kg")
    assert parcel is not None
    assert (parcel.box, parcel.weight_g) == ("M", 900)
    assert rig.store.shipments.package(O1001) == session.package
    with pytest.raises(PackRefused, match="No box named XL"):
        session.enter_package("XL")
    with pytest.raises(PackRefused, match="A weight of 80000 g is not possible"):
        session.enter_package("S, 80 kg")
    assert session.enter_package("  ") == session.package  # blank: nothing changes


def test_a_refused_scan_blocks_the_scans_after_it_until_acknowledged(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    assert session.scan("0700000000035").outcome is ScanOutcome.WRONG_ITEM
    waiting = session.scan("0700000000011")
    assert waiting.outcome is ScanOutcome.UNACKNOWLEDGED
    assert rig.store.station.scanned_quantities(O1001) == {}
    session.acknowledge()
    assert session.scan("0700000000011").outcome is ScanOutcome.TICK
    assert rig.store.station.scanned_quantities(O1001) == {"L1001-0": 1}


def test_a_held_pack_refuses_scans_and_hold_clears_them(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    session.scan("0700000000011")
    assert session.in_progress
    rig.desk.toggle_hold(O1001, "")
    assert session.stopped_elsewhere() is StationState.ON_HOLD
    refused = session.scan("0700000000028")
    assert refused.outcome is ScanOutcome.NOT_PACKING
    assert "is ON_HOLD: it must not be packed" in refused.message
    assert rig.store.station.scanned_quantities(O1001) == {}
    held = rig.store.station.get(O1001)
    assert held is not None
    assert held.reason == "held by the packer"
    assert rig.desk.on_hold(O1001)
    assert rig.desk.toggle_hold(O1001).state in READY_TO_PACK  # released: back in the queue


def test_another_slip_or_the_next_order_waits_for_a_half_packed_one(rig: Rig) -> None:
    session = rig.desk.open_pack("#1001")
    assert rig.desk.open_instead(session, "#1001") is None  # its own slip: nothing to do
    session.scan("0700000000011")
    with pytest.raises(PackRefused, match="#1001 is half packed"):
        rig.desk.open_instead(session, "#1003")
    with pytest.raises(PackRefused, match="#1001 is not finished"):
        rig.desk.open_next(session)
    session.abandon()
    assert rig.desk.open_next(session).order.name == "#1002"  # express comes first
