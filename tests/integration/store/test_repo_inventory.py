"""The inventory repository on a real SQLite file: levels with their daily history, sales by
day and location, FBA imports stored whole, alerts once per crossing, snoozes and counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from packdesk.adapters.store import SqliteStore
from packdesk.domain.inventory.alerts import LevelCheck
from packdesk.domain.inventory.counting import CountLine
from packdesk.domain.inventory.fba import FbaItem, FbaSnapshot
from packdesk.domain.models import Location, StockLevel, Variant

from .store_data import CA, T0, make_order

PA = "gid://shopify/Location/2"
ITEM = "gid://shopify/InventoryItem/1"
VARIANT = "gid://shopify/ProductVariant/1"


def catalog(store: SqliteStore) -> None:
    store.catalog.save_locations(
        [Location(id=CA, name="CA Warehouse", code="CA"), Location(id=PA, name="PA", code="PA")],
        T0,
    )
    store.catalog.save_variants(
        [
            Variant(
                id=VARIANT,
                product_id="gid://shopify/Product/1",
                product_title="Alphabet Flash Cards",
                sku="BM-ABC-01",
                barcode="0123",
                inventory_item_id=ITEM,
                vendor="Cardworks Press",
            ),
            Variant(
                id="gid://shopify/ProductVariant/2",
                product_id="gid://shopify/Product/2",
                product_title="Sight Words",
                title="Level 2",
                sku="BM-SIG-02",
                inventory_item_id="gid://shopify/InventoryItem/2",
            ),
        ]
    )


def level(available: int, at_day: int, location: str = CA, **more: int) -> StockLevel:
    return StockLevel(
        inventory_item_id=ITEM,
        location_id=location,
        available=available,
        on_hand=available + more.get("committed", 0),
        updated_at=T0 + timedelta(days=at_day),
        **more,
    )


def test_variant_stock_has_every_location_and_the_latest_fba_import(store: SqliteStore) -> None:
    catalog(store)
    store.catalog.save_stock([level(7, 0, committed=2, incoming=24), level(3, 0, PA)])
    for as_of, fulfillable in ((T0 - timedelta(days=7), 50), (T0, 40)):
        store.inventory.save_fba_import(
            FbaSnapshot(
                source="report",
                name="report.txt",
                as_of=as_of,
                items=(FbaItem(sku="BM-ABC-01", fulfillable=fulfillable, inbound_shipped=12),),
            ),
            T0,
        )
    [abc, sig] = store.inventory.variant_stock()
    assert (abc.sku, abc.vendor, sig.title) == (
        "BM-ABC-01",
        "Cardworks Press",
        "Sight Words — Level 2",
    )
    assert abc.levels[CA].available == 7
    assert (abc.levels[CA].committed, abc.levels[CA].incoming, abc.levels[CA].on_hand) == (2, 24, 9)
    assert abc.levels[PA].available == 3
    assert abc.fba is not None
    assert (abc.fba.fulfillable, abc.fba.inbound, abc.fba.as_of) == (40, 12, T0)
    assert sig.levels == {}
    assert sig.fba is None
    [only] = store.inventory.variant_stock(["bm-abc-01"])
    assert only.variant_id == VARIANT


def test_a_level_keeps_a_row_per_day_its_available_changed(store: SqliteStore) -> None:
    catalog(store)
    store.catalog.save_stock([level(5, 0)])
    store.catalog.save_stock([level(0, 0)])  # sold out the same day
    store.catalog.save_stock([level(0, 1)])  # unchanged: no row
    store.catalog.save_stock([level(12, 3)])
    days = store.inventory.stock_days(T0.date())[(ITEM, CA)]
    assert [(d.day, d.min_available, d.last_available) for d in days] == [
        (T0.date(), 0, 0),
        (T0.date() + timedelta(days=3), 12, 12),
    ]
    [carried, *_] = store.inventory.stock_days(T0.date() + timedelta(days=2))[(ITEM, CA)]
    assert (carried.day, carried.last_available) == (T0.date(), 0)


def test_sales_are_counted_per_day_at_the_location_that_ships_them(store: SqliteStore) -> None:
    catalog(store)
    store.orders.save(make_order(1001, 2, created=T0))
    store.orders.save(make_order(1002, 3, created=T0 + timedelta(days=1), location=PA))
    store.orders.save(make_order(1003, 1, created=T0 + timedelta(days=1), status="CANCELLED"))
    store.orders.save(make_order(1004, 9, created=T0 - timedelta(days=40)))
    sales = store.inventory.daily_sales(T0.date(), T0.date() + timedelta(days=1))
    assert sales[(VARIANT, CA)] == {T0.date(): 2}
    assert sales[(VARIANT, PA)] == {T0.date() + timedelta(days=1): 3}
    assert sales[(VARIANT, "")] == {T0.date() + timedelta(days=1): 1}  # its only FO cancelled
    assert store.inventory.daily_sales(T0.date(), T0.date(), ["other"]) == {}


def test_an_fba_import_matches_skus_and_lists_the_ones_that_match_nothing(
    store: SqliteStore,
) -> None:
    catalog(store)
    done = store.inventory.save_fba_import(
        FbaSnapshot(
            source="report",
            name="inventory.txt",
            as_of=T0,
            items=(
                FbaItem(sku="bm-abc-01", fulfillable=4, price=Decimal("9.99")),
                FbaItem(sku="AMZ-ONLY-7", fulfillable=2),
            ),
            ignored_columns=("afn-future-supply-buyable",),
        ),
        T0 + timedelta(minutes=1),
    )
    assert (done.rows, done.matched, done.unmatched) == (2, 1, ("AMZ-ONLY-7",))
    assert done.ignored_columns == ("afn-future-supply-buyable",)
    assert store.inventory.fba_imports() == [done]
    assert store.inventory.fba_totals(T0 - timedelta(days=1)) == {VARIANT: [(T0, 4)]}


def test_an_alert_is_raised_once_per_crossing_and_digested_once(store: SqliteStore) -> None:
    catalog(store)
    check = LevelCheck(
        variant_id=VARIANT,
        sku="BM-ABC-01",
        title="x",
        location="CA",
        available=2,
        reorder_point=9.5,
    )
    [alert] = store.inventory.raise_alerts([check], T0)
    assert store.inventory.raise_alerts([check], T0 + timedelta(hours=1)) == []
    assert (alert.sku, alert.title, alert.location) == ("BM-ABC-01", "Alphabet Flash Cards", "CA")
    assert store.inventory.alerts_to_digest(T0) == [alert]
    store.inventory.mark_digested([alert.id], T0)
    assert store.inventory.alerts_to_digest(T0) == []
    store.inventory.clear_alerts([alert.id], T0 + timedelta(days=1))
    assert store.inventory.open_alerts() == []
    [again] = store.inventory.raise_alerts([check], T0 + timedelta(days=2))
    assert again.id != alert.id


def test_a_snoozed_sku_is_left_out_of_the_digest_until_its_snooze_ends(store: SqliteStore) -> None:
    catalog(store)
    check = LevelCheck(
        variant_id=VARIANT, sku="BM-ABC-01", title="x", location="PA", available=0, reorder_point=3
    )
    store.inventory.raise_alerts([check], T0)
    store.inventory.snooze(VARIANT, T0 + timedelta(days=7), "supplier closed", T0)
    assert [s.sku for s in store.inventory.snoozes(T0)] == ["BM-ABC-01"]
    assert store.inventory.alerts_to_digest(T0 + timedelta(days=1)) == []
    assert len(store.inventory.alerts_to_digest(T0 + timedelta(days=8))) == 1
    assert store.inventory.unsnooze(VARIANT)
    assert not store.inventory.unsnooze(VARIANT)


def test_a_count_is_opened_once_per_location_and_finished_once(store: SqliteStore) -> None:
    catalog(store)
    count = store.inventory.open_count(CA, "CA-1", T0)
    assert store.inventory.open_count(CA, "CA-2", T0).id == count.id
    line = CountLine(
        variant_id=VARIANT, inventory_item_id=ITEM, sku="BM-ABC-01", title="x", expected=7
    )
    store.inventory.save_count_line(count.id, line.model_copy(update={"counted": 1}))
    store.inventory.save_count_line(count.id, line.model_copy(update={"counted": 2}))
    found = store.inventory.count(count.id)
    assert found is not None
    assert (found.location, [(li.expected, li.counted) for li in found.lines]) == ("CA", [(7, 2)])
    assert store.inventory.finish_count(count.id, T0)
    assert not store.inventory.finish_count(count.id, T0)
    assert store.inventory.open_count(CA, "CA-1", T0).id != count.id


def test_the_last_observation_before_the_window_leads_it(store: SqliteStore) -> None:
    catalog(store)
    store.catalog.save_stock([level(4, -10)])
    found = store.inventory.stock_days(T0.date())
    assert [d.day for d in found[(ITEM, CA)]] == [T0.date() - timedelta(days=10)]
