"""Orders entering the queue: address check, packages, rates, READY or ON_HOLD."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from packdesk.domain.models import Address
from packdesk.domain.states import StationState
from packdesk.services.shipping import ShippingProblem

from .fakes import T0, FakeCarrier
from .helpers import add_order, make_order, seed_catalog, services

S = StationState


def test_valid_order_becomes_ready_with_its_reason(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    order = make_order(shipping="Express")
    add_order(store, order, S.NEW)
    assert shipping.refresh_queue() == 1
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.READY
    assert station.reason == (
        "USPS Priority Mail $10.02 — cheapest within 2 days (FedEx 2Day $18.87)"  # + weight
    )
    [parcel] = store.shipments.packages(order.id)
    assert parcel.box == "S"
    assert parcel.weight_g == 2 * 250 + 120
    assert store.shipments.address_check(order.id).valid  # type: ignore[union-attr]


def test_invalid_address_goes_on_hold_with_the_carriers_words(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    bad = Address(
        name="Ann",
        address1="1 Main St",
        city="Beverly Hills",
        province_code="CA",
        zip="9021",
        country_code="US",
    )
    order = make_order(address=bad)
    add_order(store, order, S.NEW)
    shipping.refresh_queue()
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.ON_HOLD
    assert station.reason == (
        "Shippo refused the address of #1001: ZIP 9021 is not valid — edit the address in "
        "Shopify, then release the order."
    )
    assert station.held_from is S.NEW


def test_no_rate_within_the_promise_holds_the_order(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    carrier.services = [s for s in carrier.services if s[4] >= 4]  # only slow services
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    order = make_order(shipping="Express")
    add_order(store, order, S.NEW)
    shipping.refresh_queue()
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.ON_HOLD
    assert station.reason.startswith("Order #1001: No rate qualifies within 2 days")


def test_carrier_outage_leaves_orders_new_for_the_next_run(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.NEW)
    carrier.unreachable = True
    assert shipping.refresh_queue() == 0
    assert store.station.get(order.id).state is S.NEW  # type: ignore[union-attr]
    carrier.unreachable = False
    assert shipping.refresh_queue() == 1


def test_stale_rates_are_fetched_again(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.NEW)
    shipping.prepare(order)
    [parcel] = store.shipments.packages(order.id)
    first, _ = store.shipments.chosen_rate(order.id, 1)
    assert shipping.rate_for(order, parcel).rate == first  # fresh: no new call
    shipping.clock.at = T0 + timedelta(hours=25)  # type: ignore[attr-defined]
    second = shipping.rate_for(order, parcel).rate
    assert second is not None
    assert first is not None
    assert second.shipment_id != first.shipment_id


def test_international_order_gets_customs_and_missing_data_is_named(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    toronto = Address(
        name="Li",
        address1="100 Queen St W",
        city="Toronto",
        province_code="ON",
        zip="M5H 2N2",
        country_code="CA",
    )
    order = make_order(address=toronto, shipping="International")
    add_order(store, order, S.NEW)
    customs = shipping.customs_for(order)
    assert customs is not None
    [item] = customs.items
    assert (item.hs_code, item.quantity, str(item.value_amount)) == ("4901.99.0093", 2, "25.00")
    assert item.net_weight_g == 500
    shipping.prepare(order)
    assert store.station.get(order.id).state is S.READY  # type: ignore[union-attr]

    other = make_order(1002, address=toronto, sku="BM-BIG-01", variant="V2")
    add_order(store, other, S.NEW)
    with pytest.raises(ShippingProblem, match=r'add \[shipping.customs."BM-BIG-01"\]'):
        shipping.customs_for(other)
    shipping.prepare(other)
    held = store.station.get(other.id)
    assert held is not None
    assert held.state is S.ON_HOLD
    assert "has no customs data" in held.reason
