"""The shipments repository: an order's packages, the carrier's word on its address, and
the rates quoted for each package."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import Parcel, Rate
from packdesk.domain.shipping import AddressCheck

from .store_data import T0

OID = "gid://shopify/Order/1001"


def parcel(n: int, box: str = "S", grams: float = 600) -> Parcel:
    return Parcel(
        package_no=n, box=box, length_cm=20.3, width_cm=15.2, height_cm=10.2, weight_g=grams
    )


def rate(rid: str, amount: str, carrier: str = "USPS") -> Rate:
    return Rate(
        id=rid,
        shipment_id="shp-1",
        carrier=carrier,
        service_token=f"{carrier.lower()}_ground",
        service_name="Ground",
        amount=Decimal(amount),
        estimated_days=4,
        attributes=("CHEAPEST",),
        fetched_at=T0,
    )


def test_packages_are_replaced_whole_and_the_rates_of_gone_ones_dropped(
    store: SqliteStore,
) -> None:
    store.shipments.save_packages(OID, [parcel(1), parcel(2), parcel(3)], overridden=False)
    store.shipments.save_rates(OID, 3, [rate("r3", "9.00")], "r3", "cheapest")
    store.shipments.save_packages(OID, [parcel(1, "M", 900), parcel(2)], overridden=True)
    assert store.shipments.packages(OID) == [parcel(1, "M", 900), parcel(2)]
    assert store.shipments.rates(OID, 3) == []
    assert store.shipments.package(OID, 2) == parcel(2)
    assert store.shipments.package(OID, 3) is None


def test_one_package_is_changed_keeping_the_others(store: SqliteStore) -> None:
    store.shipments.save_packages(OID, [parcel(1), parcel(2)], overridden=False)
    store.shipments.save_package(OID, parcel(1, "M", 950), weight_overridden=True)
    assert store.shipments.packages(OID) == [parcel(1, "M", 950), parcel(2)]
    store.shipments.save_package("gid://shopify/Order/1002", parcel(1), weight_overridden=False)
    assert store.shipments.package("gid://shopify/Order/1002") == parcel(1)


def test_the_latest_address_check_is_kept(store: SqliteStore) -> None:
    assert store.shipments.address_check(OID) is None
    bad = AddressCheck(valid=False, messages=("ZIP 9021 is not valid",))
    store.shipments.save_address_check(OID, bad, T0)
    assert store.shipments.address_check(OID) == bad
    store.shipments.save_address_check(OID, AddressCheck(valid=True), T0 + timedelta(hours=1))
    assert store.shipments.address_check(OID) == AddressCheck(valid=True)


def test_rates_come_cheapest_first_with_the_chosen_one_and_its_reason(
    store: SqliteStore,
) -> None:
    quotes = [rate("r1", "12.10", "UPS"), rate("r2", "5.12"), rate("r3", "18.25", "FedEx")]
    store.shipments.save_rates(OID, 1, quotes, "r1", "fastest within the promise")
    assert [r.id for r in store.shipments.rates(OID, 1)] == ["r2", "r1", "r3"]
    assert store.shipments.chosen_rate(OID, 1) == (quotes[0], "fastest within the promise")
    store.shipments.save_rates(OID, 1, quotes[1:], None, "no carrier is allowed")
    assert store.shipments.chosen_rate(OID, 1) == (None, "no carrier is allowed")
    assert [r.id for r in store.shipments.rates(OID, 1)] == ["r2", "r3"]
    assert store.shipments.chosen_rate(OID, 2) == (None, "")
