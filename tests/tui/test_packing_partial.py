"""Packing a partly shipped order against a real SQLite file: only what remains is on the
pack list and in the weight, and a scan of an item that left earlier names its parcel."""

from __future__ import annotations

from datetime import datetime

import pytest

from packdesk.domain.fulfillments import Fulfillment, FulfillmentLine, TrackingInfo
from packdesk.domain.models import FulfillmentOrder, FulfillmentOrderLine, Order
from packdesk.domain.scanning import ScanOutcome
from packdesk.domain.states import StationState

from .conftest import Rig
from .factory import CA, NOW, PA, make_order

EARLIER = "9400111899223344556677"
SHIPPED_AT = datetime(2026, 11, 20, 18, 5, tzinfo=NOW.tzinfo)


def partly_shipped(rig: Rig) -> Order:
    """#1006: one abacus and three flash cards; the abacus and one card left on 20 Nov."""
    order = make_order(1006, [("V1", 1), ("V2", 3)])
    fo = order.fulfillment_orders[0]
    left = {"L1006-0": 0, "L1006-1": 2}
    order = order.model_copy(
        update={
            "fulfillment_orders": (
                fo.model_copy(
                    update={
                        "status": "IN_PROGRESS",
                        "lines": tuple(
                            ln.model_copy(update={"remaining_quantity": left[ln.line_item_id]})
                            for ln in fo.lines
                        ),
                    }
                ),
            ),
            "fulfillments": (
                Fulfillment(
                    id="gid://shopify/Fulfillment/77",
                    name="#1006-F1",
                    created_at=SHIPPED_AT,
                    location_id=CA,
                    tracking=(TrackingInfo(number=EARLIER, company="USPS"),),
                    lines=(
                        FulfillmentLine(line_item_id="L1006-0", quantity=1),
                        FulfillmentLine(line_item_id="L1006-1", quantity=1),
                    ),
                ),
            ),
        }
    )
    rig.store.orders.save(order)
    return order


def test_only_what_remains_is_packed_and_weighed(rig: Rig) -> None:
    partly_shipped(rig)
    session = rig.desk.open_pack("#1006")
    assert [(ln.sku, ln.expected) for ln in session.lines] == [("FLASH-ADD", 2)]
    assert session.items_weight == pytest.approx(2 * 120)
    assert session.set_package(box="S").weight_g == pytest.approx(2 * 120 + 100)
    session.scan("0700000000028")
    session.scan("0700000000028")
    assert rig.store.station.get("gid://shopify/Order/1006").state is StationState.PACKED  # type: ignore[union-attr]


def test_a_shipped_item_is_refused_with_its_parcel(rig: Rig) -> None:
    partly_shipped(rig)
    session = rig.desk.open_pack("#1006")
    abacus = session.scan("0700000000011")
    assert abacus.outcome is ScanOutcome.ALREADY_SHIPPED
    assert abacus.message == (
        f"Already shipped on 20 Nov in parcel {EARLIER}; nothing left of Wooden Abacus to pack. "
        "Put it back and press Esc."
    )
    session.acknowledge()
    session.scan("0700000000028")
    session.scan("0700000000028")
    third = session.scan("FLASH-ADD")  # the second one packed the order
    assert third.outcome is ScanOutcome.NOT_PACKING
    assert rig.store.station.scanned_quantities("gid://shopify/Order/1006") == {"L1006-1": 2}


def test_an_item_the_other_warehouse_ships_says_so(rig: Rig) -> None:
    order = make_order(1007, [("V1", 1), ("V3", 1)])
    here, there = (
        FulfillmentOrder(
            id=f"FO1007-{code}",
            order_id=order.id,
            location_id=location,
            status="OPEN",
            lines=(
                FulfillmentOrderLine(
                    id=f"FOL1007-{n}",
                    line_item_id=f"L1007-{n}",
                    total_quantity=1,
                    remaining_quantity=1,
                ),
            ),
        )
        for n, (code, location) in enumerate((("CA", CA), ("PA", PA)))
    )
    rig.store.orders.save(order.model_copy(update={"fulfillment_orders": (here, there)}))
    session = rig.desk.open_pack("#1007")
    assert [ln.sku for ln in session.lines] == ["ABACUS-10"]
    globe = session.scan("0700000000035")
    assert globe.outcome is ScanOutcome.NOT_HERE
    assert "Desk Globe Small of this order ships from PA" in globe.message
