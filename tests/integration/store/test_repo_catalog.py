"""The catalog repository: locations, variants with their products, and stock levels."""

from __future__ import annotations

from decimal import Decimal

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import Address, Location, StockLevel, Variant

from .store_data import T0


def variant(n: int, **fields: object) -> Variant:
    values: dict[str, object] = {
        "id": f"V{n}",
        "product_id": f"P{n}",
        "product_title": f"Product {n}",
        "sku": f"SKU-{n}",
        "barcode": f"07000000000{n}",
        "price": Decimal("12.50"),
        "weight_g": 250.0,
        "updated_at": T0,
    }
    values.update(fields)
    return Variant(**values)


def test_locations_are_found_by_code_in_any_case_or_by_id(store: SqliteStore) -> None:
    home = Address(name="CA Warehouse", city="Oakland", province_code="CA", zip="94606")
    store.catalog.save_locations(
        [
            Location(id="L-old", name="Old CA", code="CA", active=False),
            Location(id="L-ca", name="CA Warehouse", code="CA", address=home),
            Location(id="L-pa", name="PA Warehouse", code="PA"),
        ],
        T0,
    )
    found = store.catalog.location("ca")
    assert found is not None
    assert (found.id, found.address) == ("L-ca", home)  # the active one
    assert store.catalog.location("L-pa") == Location(id="L-pa", name="PA Warehouse", code="PA")
    assert store.catalog.location("FBA") is None
    assert [loc.code for loc in store.catalog.locations()] == ["CA", "CA", "PA"]


def test_variants_round_trip_with_their_product_titles(store: SqliteStore) -> None:
    store.catalog.save_variants([variant(1), variant(2, bin="A-03")])
    store.catalog.save_variants([variant(1, product_title="Renamed", weight_g=300.0)])
    assert store.catalog.variant("V1") == variant(1, product_title="Renamed", weight_g=300.0)
    assert store.catalog.count_variants() == 2
    assert [v.id for v in store.catalog.variants()] == ["V1", "V2"]
    assert set(store.catalog.variants_by_id(["V2", "V9", ""])) == {"V2"}
    assert store.catalog.bins(["V1", "V2"]) == {"V2": "A-03"}


def test_a_scanned_code_finds_its_variant_by_barcode_or_sku_in_any_case(
    store: SqliteStore,
) -> None:
    """A scan names the item the packer holds, even before its product row has synced."""
    store.database.execute(
        "INSERT INTO variants (id, product_id, title, sku, barcode) VALUES (?, ?, ?, ?, ?)",
        ["v9", "p-not-synced", "Flash cards", "FLASH-ADD", "0700000000099"],
    )
    by_barcode = store.catalog.variant_for_code(" 0700000000099 ")
    by_sku = store.catalog.variant_for_code("flash-add")  # caps lock off on the keyboard
    assert by_barcode is not None
    assert by_sku is not None
    assert by_barcode.id == by_sku.id == "v9"
    assert by_barcode.display_title == "Flash cards"
    assert store.catalog.variant_for_code("") is None
    assert store.catalog.variant_for_code("NO-SUCH") is None


def test_stock_levels_are_upserted_per_item_and_location(store: SqliteStore) -> None:
    level = StockLevel(
        inventory_item_id="I1", location_id="L-ca", available=4, on_hand=5, updated_at=T0
    )
    store.catalog.save_stock([level, level.model_copy(update={"location_id": "L-pa"})])
    store.catalog.save_stock([level.model_copy(update={"available": 3})])
    assert [(s.location_id, s.available) for s in store.catalog.stock_levels("I1")] == [
        ("L-ca", 3),
        ("L-pa", 4),
    ]
    assert store.catalog.stock_levels("I2") == []
    assert len(store.catalog.stock_levels()) == 2
