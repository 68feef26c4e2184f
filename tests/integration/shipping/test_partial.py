"""A partly shipped order is boxed, weighed (so rated) and declared by what remains to ship
from the station, on a real SQLite file; its packages follow what remains until a packer
chooses them or the label is bought."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from packdesk.domain.models import Address, Order
from packdesk.domain.states import StationState

from .fakes import FakeCarrier
from .helpers import add_order, make_order, seed_catalog, services

S = StationState
TORONTO = Address(
    name="Li",
    address1="100 Queen St W",
    city="Toronto",
    province_code="ON",
    zip="M5H 2N2",
    country_code="CA",
)


def shipped_part(order: Order, left: int) -> Order:
    """The order after Shopify fulfilled all but `left` of its flash cards elsewhere."""
    fo = order.fulfillment_orders[0]
    lines = tuple(ln.model_copy(update={"remaining_quantity": left}) for ln in fo.lines)
    return order.model_copy(
        update={
            "fulfillment_orders": (fo.model_copy(update={"status": "IN_PROGRESS", "lines": lines}),)
        }
    )


def test_weight_box_rate_and_customs_count_only_what_remains(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    order = shipped_part(make_order(quantity=6, address=TORONTO, shipping="International"), 1)
    add_order(store, order, S.NEW)
    shipping.prepare(order)
    [parcel] = store.shipments.packages(order.id)
    assert (parcel.box, parcel.weight_g) == ("S", 250 + 120)  # one 250 g box of cards + tare
    rate, _ = store.shipments.chosen_rate(order.id, 1)
    assert rate is not None
    base = next(s[3] for s in carrier.services if s[1] == rate.service_token)
    assert rate.amount == base + Decimal("0.37") + 20  # quoted for 0.37 kg abroad, not 1.62 kg
    customs = shipping.customs_for(order)
    assert customs is not None
    [item] = customs.items
    assert (item.quantity, item.net_weight_g, str(item.value_amount)) == (1, 250, "12.50")


def test_packages_follow_what_remains_until_a_packer_chooses(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, _l, _b = services(tmp_path / "p.db", carrier)
    seed_catalog(store)
    order = make_order(quantity=6)
    add_order(store, order, S.NEW)
    shipping.prepare(order)
    assert [p.weight_g for p in shipping.packages(order)] == [6 * 250 + 220]  # box M
    assert store.shipments.chosen_rate(order.id, 1)[0] is not None

    later = shipped_part(order, 2)  # four left from the other warehouse meanwhile
    store.orders.save(later)
    [parcel] = shipping.packages(later)
    assert (parcel.box, parcel.weight_g) == ("S", 2 * 250 + 120)
    assert store.shipments.chosen_rate(order.id, 1)[0] is None  # the old quote is dropped

    shipping.set_package(later, box="M")
    store.orders.save(shipped_part(order, 1))
    [chosen] = shipping.packages(later)
    assert chosen.box == "M"  # the packer's choice stays
