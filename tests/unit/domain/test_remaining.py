"""What remains to ship of a partly shipped order, and what a packer is told about the rest
(pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime

from packdesk.domain.fulfillments import Fulfillment, FulfillmentLine, TrackingInfo
from packdesk.domain.models import FulfillmentOrder, FulfillmentOrderLine, LineItem, Order
from packdesk.domain.remaining import (
    order_to_ship,
    parcel_contents,
    scan_of_unpackable,
    to_ship,
)
from packdesk.domain.scanning import PackLine, ScanOutcome, verify_scan

CA = "gid://shopify/Location/1"
PA = "gid://shopify/Location/2"
AT = datetime(2026, 11, 28, 16, 30, tzinfo=UTC)
FIRST_PARCEL = "9400111899223344556677"


def line(n: int, sku: str, quantity: int) -> LineItem:
    return LineItem(id=f"L{n}", variant_id=f"V{n}", sku=sku, title=sku.title(), quantity=quantity)


LINES = (line(1, "abacus", 1), line(2, "cards", 3), line(3, "globe", 2))


def fo(location: str, status: str, *lines: tuple[str, int, int]) -> FulfillmentOrder:
    return FulfillmentOrder(
        id=f"FO-{location[-1]}-{status}",
        order_id="O1",
        location_id=location,
        status=status,
        lines=tuple(
            FulfillmentOrderLine(
                id=f"FOL-{li}", line_item_id=li, total_quantity=total, remaining_quantity=left
            )
            for li, total, left in lines
        ),
    )


def parcel(
    number: str, at: datetime, *carried: tuple[str, int], status: str = "SUCCESS"
) -> Fulfillment:
    return Fulfillment(
        id=f"F-{number}",
        name="#1001-F1",
        status=status,
        created_at=at,
        location_id=CA,
        tracking=(TrackingInfo(number=number, company="USPS"),) if number else (),
        lines=tuple(FulfillmentLine(line_item_id=li, quantity=q) for li, q in carried),
    )


def order(fos: tuple[FulfillmentOrder, ...] = (), shipped: tuple[Fulfillment, ...] = ()) -> Order:
    return Order(
        id="O1",
        name="#1001",
        created_at=AT,
        updated_at=AT,
        line_items=LINES,
        fulfillment_orders=fos,
        fulfillments=shipped,
    )


PARTLY = order(
    (fo(CA, "IN_PROGRESS", ("L1", 1, 0), ("L2", 3, 2), ("L3", 2, 2)),),
    (parcel(FIRST_PARCEL, AT, ("L1", 1), ("L2", 1)),),
)


def test_what_remains_is_what_the_open_fulfillment_orders_here_still_hold() -> None:
    assert to_ship(PARTLY, CA) == {"L2": 2, "L3": 2}
    packed = order_to_ship(PARTLY, CA)
    assert [(li.id, li.quantity) for li in packed.line_items] == [("L2", 2), ("L3", 2)]
    assert (packed.name, packed.shipping_address) == (PARTLY.name, PARTLY.shipping_address)


def test_a_split_order_counts_only_this_locations_part() -> None:
    split = order((fo(CA, "OPEN", ("L1", 1, 1)), fo(PA, "OPEN", ("L2", 3, 3), ("L3", 2, 2))))
    assert to_ship(split, CA) == {"L1": 1}
    assert to_ship(split, PA) == {"L2": 3, "L3": 2}
    assert to_ship(split, "") == {"L1": 1, "L2": 3, "L3": 2}  # location not synced yet
    done_here = order((fo(CA, "CLOSED", ("L1", 1, 0)), fo(PA, "OPEN", ("L2", 3, 3))))
    assert to_ship(done_here, CA) == {}


def test_without_fulfillment_orders_earlier_parcels_are_taken_off() -> None:
    cancelled = parcel("1Z999", AT, ("L3", 2), status="CANCELLED")
    known = order(shipped=(parcel(FIRST_PARCEL, AT, ("L1", 1), ("L2", 1)), cancelled))
    assert to_ship(known, CA) == {"L2": 2, "L3": 2}
    assert to_ship(order(), CA) == {"L1": 1, "L2": 3, "L3": 2}


def test_the_parcel_holds_what_shopify_says_once_its_fulfillment_is_there() -> None:
    ours = parcel("9400999", AT, ("L2", 2), ("L3", 2))
    done = PARTLY.model_copy(
        update={
            "fulfillment_orders": (fo(CA, "CLOSED", ("L1", 1, 0), ("L2", 3, 0), ("L3", 2, 0)),),
            "fulfillments": (*(PARTLY.fulfillments or ()), ours),
        }
    )
    assert to_ship(done, CA) == {}
    held = parcel_contents(done, CA, ["9400999"])
    assert [(li.id, li.quantity) for li in held.line_items] == [("L2", 2), ("L3", 2)]
    before = parcel_contents(PARTLY, CA, ["9400999"])
    assert [(li.id, li.quantity) for li in before.line_items] == [("L2", 2), ("L3", 2)]


def test_a_scan_of_a_shipped_item_names_the_day_and_the_parcel() -> None:
    verdict = scan_of_unpackable(PARTLY, "V1", "abacus", "0700000000011", CA, {})
    assert verdict is not None
    assert verdict.outcome is ScanOutcome.ALREADY_SHIPPED
    assert verdict.rejected
    assert verdict.message == (
        f"Already shipped on 28 Nov in parcel {FIRST_PARCEL}; nothing left of Abacus to pack. "
        "Put it back and press Esc."
    )


def test_a_scan_of_an_item_another_warehouse_ships_says_which() -> None:
    split = order((fo(CA, "OPEN", ("L1", 1, 1)), fo(PA, "OPEN", ("L2", 3, 3))))
    verdict = scan_of_unpackable(
        split, "V2", "cards", "cards", location_id=CA, location_names={PA: "PA", CA: "CA"}
    )
    assert verdict is not None
    assert verdict.outcome is ScanOutcome.NOT_HERE
    assert "Cards of this order ships from PA" in verdict.message
    assert (
        scan_of_unpackable(order(), "V3", "globe", "globe", location_id=CA, location_names={})
        is None
    )


def test_one_too_many_of_a_partly_shipped_line_says_where_the_others_went() -> None:
    lines = [PackLine(line_item_id="L2", sku="cards", title="Cards", expected=2, scanned=2)]
    over = verify_scan(
        lines, "cards", shipped={"L2": f"1 shipped on 28 Nov in parcel {FIRST_PARCEL}"}
    )
    assert over.outcome is ScanOutcome.OVER_SCAN
    assert over.message.startswith(
        f"Too many: the order has 2 × Cards left to pack (1 shipped on 28 Nov in parcel "
        f"{FIRST_PARCEL}) and all are scanned."
    )
