"""Shopify's units and metafields → grams, centimetres and bins; the queue rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from packdesk.adapters.shopify.mappers import (
    fulfillment_from_node,
    location_code,
    parse_dimensions,
    variant_from_node,
    weight_grams,
)
from packdesk.adapters.shopify.shop import (
    LEAST_ONE_ORDER_LISTS,
    ONE_ORDER_LISTS,
    is_cut_short,
    is_partly_shipped,
    shorter_lists,
    smaller_page,
)
from packdesk.domain.models import StationOrder
from packdesk.domain.states import StationState
from packdesk.services.sync_queue import QueueChange, queue_change

from .fakes import CA, PA, T0, make_order


@pytest.mark.parametrize(
    ("unit", "value", "grams"),
    [
        ("GRAMS", 180, 180.0),
        ("KILOGRAMS", 1.25, 1250.0),
        ("OUNCES", 16, 453.592),
        ("POUNDS", 2, 907.185),
    ],
)
def test_weights_become_grams(unit: str, value: float, grams: float) -> None:
    assert weight_grams({"weight": {"unit": unit, "value": value}}) == grams


def test_a_missing_weight_is_zero() -> None:
    assert weight_grams({"weight": None}) == 0.0
    assert weight_grams(None) == 0.0


@pytest.mark.parametrize(
    ("text", "dims"),
    [
        ("20 x 15 x 3", (20.0, 15.0, 3.0)),
        ("20x15x3", (20.0, 15.0, 3.0)),
        ("20.5 × 15,5 × 3 cm", (20.5, 15.5, 3.0)),
        ("twenty by fifteen", (0.0, 0.0, 0.0)),
        ("", (0.0, 0.0, 0.0)),
    ],
)
def test_dimensions_metafield(text: str, dims: tuple[float, float, float]) -> None:
    assert parse_dimensions(text) == dims


def test_a_variant_node_maps_to_the_scanners_variant() -> None:
    v = variant_from_node(
        {
            "id": "gid://shopify/ProductVariant/1",
            "title": "Default Title",
            "sku": "BM-ABC-01",
            "barcode": "0850001234561",
            "price": "12.99",
            "updatedAt": "2026-11-01T12:00:00Z",
            "product": {"id": "gid://shopify/Product/9", "title": "Alphabet Flash Cards"},
            "inventoryItem": {
                "id": "gid://shopify/InventoryItem/7",
                "measurement": {"weight": {"unit": "OUNCES", "value": 8}},
            },
            "dimensions": {"value": "20 x 15 x 3"},
            "bin": {"value": "A-03"},
        }
    )
    assert (v.sku, v.barcode, v.weight_g, v.length_cm, v.width_cm, v.height_cm, v.bin) == (
        "BM-ABC-01",
        "0850001234561",
        226.796,
        20.0,
        15.0,
        3.0,
        "A-03",
    )
    assert v.display_title == "Alphabet Flash Cards"
    assert v.updated_at == T0


def test_location_codes() -> None:
    assert location_code("CA Warehouse") == "CA"
    assert location_code("pa warehouse") == "PA"


def test_cut_lists_are_noticed() -> None:
    whole = {"lineItems": {"pageInfo": {"hasNextPage": False}}, "fulfillmentOrders": {"nodes": []}}
    assert not is_cut_short(whole)
    assert is_cut_short({**whole, "lineItems": {"pageInfo": {"hasNextPage": True}}})
    nested = {"nodes": [{"lineItems": {"pageInfo": {"hasNextPage": True}}}]}
    assert is_cut_short({**whole, "fulfillmentOrders": nested})


def test_a_partly_shipped_order_on_a_page_is_read_again_alone() -> None:
    def page_node(status: str, total: int, left: int) -> dict[str, object]:
        line = {"totalQuantity": total, "remainingQuantity": left}
        fo = {"status": status, "lineItems": {"nodes": [line]}}
        return {"displayFulfillmentStatus": "UNFULFILLED", "fulfillmentOrders": {"nodes": [fo]}}

    assert is_partly_shipped(page_node("IN_PROGRESS", 3, 1))
    assert is_partly_shipped({"displayFulfillmentStatus": "PARTIALLY_FULFILLED"})
    assert not is_partly_shipped(page_node("OPEN", 3, 3))
    assert not is_partly_shipped(page_node("CLOSED", 3, 0))  # nothing left to pack


def test_a_fulfillment_node_keeps_its_parcel_and_what_it_carried() -> None:
    node = {
        "id": "gid://shopify/Fulfillment/9",
        "name": "#1001-F1",
        "status": "SUCCESS",
        "createdAt": "2026-11-28T16:30:00Z",
        "location": {"id": CA},
        "trackingInfo": [{"number": "9400111899223344556677", "company": "USPS", "url": None}],
        "fulfillmentLineItems": {
            "pageInfo": {"hasNextPage": False},
            "nodes": [{"quantity": 2, "lineItem": {"id": "gid://shopify/LineItem/7"}}],
        },
    }
    parcel = fulfillment_from_node(node)
    assert (parcel.name, parcel.location_id, parcel.created_at.day) == ("#1001-F1", CA, 28)
    assert parcel.tracking_numbers == ("9400111899223344556677",)
    assert parcel.quantity_of("gid://shopify/LineItem/7") == 2


def test_an_order_too_dear_gives_up_its_earlier_parcels_before_its_lists() -> None:
    first = shorter_lists(dict(ONE_ORDER_LISTS))
    assert first == {**ONE_ORDER_LISTS, "fulfillments": 1, "fulfillmentLines": 5}
    second = shorter_lists(first)
    assert (second["lineItems"], second["fulfillmentOrders"]) == (15, 2)
    assert shorter_lists(LEAST_ONE_ORDER_LISTS) == LEAST_ONE_ORDER_LISTS


def test_page_size_fits_the_reported_cost() -> None:
    assert smaller_page(100, [{"cost": 6402, "maxCost": 1000}]) == 15
    assert smaller_page(100, [{}]) == 50
    assert smaller_page(2, [{"cost": 5000, "maxCost": 1000}]) == 1


def _station(state: StationState, reason: str = "") -> StationOrder:
    return StationOrder(order_id="gid://shopify/Order/1", state=state, reason=reason, updated_at=T0)


S = StationState


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),
        (S.NEW, QueueChange(S.CANCELLED, "Cancelled in Shopify (fraud)")),
        (S.PACKED, QueueChange(S.CANCELLED, "Cancelled in Shopify (fraud)")),
        (S.ON_HOLD, QueueChange(S.CANCELLED, "Cancelled in Shopify (fraud)")),
        (
            S.PRINTED,
            QueueChange(
                None, "Cancelled in Shopify (fraud) after its label was bought: void the label (F4)"
            ),
        ),
        (S.FULFILLED, None),
        (S.CANCELLED, None),
    ],
)
def test_cancellation_by_state(state: StationState | None, expected: QueueChange | None) -> None:
    order = make_order(1).model_copy(update={"cancelled_at": T0, "cancel_reason": "FRAUD"})
    station = _station(state) if state else None
    assert queue_change(None, order, station, CA) == expected


def test_a_moved_order_with_a_label_asks_for_a_void() -> None:
    order = make_order(1, location=PA)
    change = queue_change(None, order, _station(S.LABELED), CA, {PA: "PA"})
    assert change == QueueChange(
        None, "Moved to PA in Shopify after its label was bought: void the label (F4)"
    )
    # said once: the same note is not written again
    assert queue_change(None, order, _station(S.LABELED, change.reason), CA, {PA: "PA"}) is None


def test_an_address_edit_sends_a_rated_order_back_for_new_rates() -> None:
    before = make_order(1)
    after = before.model_copy(
        update={
            "shipping_address": before.shipping_address.model_copy(update={"zip": "94607"}),  # type: ignore[union-attr]
            "updated_at": before.updated_at + timedelta(minutes=1),
        }
    )
    change = queue_change(before, after, _station(S.READY), CA)
    assert change == QueueChange(
        S.NEW, "Edited in Shopify: shipping address changed, rates are fetched again"
    )
    assert queue_change(before, after, _station(S.NEW), CA) is None


def test_an_edit_after_packing_holds_the_order() -> None:
    before = make_order(1, qty=1)
    after = make_order(1, qty=2)
    assert queue_change(before, after, _station(S.PACKED), CA) == QueueChange(
        S.ON_HOLD, "Edited in Shopify after packing: quantities changed, repack"
    )


def test_a_part_shipped_elsewhere_while_packing_means_scan_again() -> None:
    before = make_order(1, qty=3)
    fo = before.fulfillment_orders[0]
    shipped_two = fo.lines[0].model_copy(update={"remaining_quantity": 1})
    after = before.model_copy(
        update={
            "fulfillment_orders": (
                fo.model_copy(update={"status": "IN_PROGRESS", "lines": (shipped_two,)}),
            )
        }
    )
    assert queue_change(before, after, _station(S.PACKING), CA) == QueueChange(
        S.READY, "Edited in Shopify while packing: what remains to ship changed, scan again"
    )
    assert queue_change(before, after, _station(S.READY), CA) == QueueChange(
        S.NEW, "Edited in Shopify: what remains to ship changed, rates are fetched again"
    )
    assert queue_change(before, before, _station(S.PACKING), CA) is None
