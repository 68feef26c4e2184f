"""The purchasing repository on a real SQLite file: suppliers by name, a variant bought
from one supplier, purchase orders that move only from the status their writer saw, open
quantities per location, and receipts that survive a restart and are finished once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from packdesk.adapters.store import SqliteStore
from packdesk.domain.inventory.purchasing import PoStatus, PurchaseOrderLine, SupplierItem

from .store_data import T0


def line(variant: str, quantity: int, cost: str = "2.50") -> PurchaseOrderLine:
    return PurchaseOrderLine(
        variant_id=variant, sku=f"SKU-{variant}", title=f"Item {variant}", quantity=quantity,
        unit_cost=Decimal(cost),
    )  # fmt: skip


def test_suppliers_are_found_by_name_in_any_case_and_edited_in_place(store: SqliteStore) -> None:
    made = store.purchasing.save_supplier(
        "Cardworks Press", email="", lead_time_days=21, currency="USD", at=T0
    )
    found = store.purchasing.supplier("cardworks press")
    assert found == made
    edited = store.purchasing.save_supplier(
        "Cardworks Press", email="po@cardworks.example", lead_time_days=18, currency="USD",
        at=T0, supplier_id=made.id,
    )  # fmt: skip
    assert (edited.id, edited.email, edited.lead_time_days) == (made.id, "po@cardworks.example", 18)
    assert store.purchasing.supplier(str(made.id)) == edited
    assert store.purchasing.supplier("Nobody") is None


def test_a_variant_is_bought_from_one_supplier(store: SqliteStore) -> None:
    a = store.purchasing.save_supplier("A", email="", lead_time_days=10, currency="USD", at=T0)
    b = store.purchasing.save_supplier("B", email="", lead_time_days=10, currency="USD", at=T0)
    store.purchasing.set_item(SupplierItem(supplier_id=a.id, variant_id="v1", case_pack=12))
    store.purchasing.set_item(SupplierItem(supplier_id=b.id, variant_id="v1", case_pack=6))
    assert store.purchasing.items(a.id) == []
    [item] = store.purchasing.items(b.id)
    assert (item.variant_id, item.case_pack) == ("v1", 6)
    assert store.purchasing.items_by_variant(["v1"])["v1"].supplier_id == b.id


def test_a_po_moves_only_from_the_status_its_writer_saw(store: SqliteStore) -> None:
    s = store.purchasing.save_supplier("A", email="", lead_time_days=10, currency="USD", at=T0)
    po = store.purchasing.create_po(
        s.id, location="CA", location_id="L1", currency="USD", note="", at=T0,
        lines=[line("v1", 24), line("v2", 6, "10")],
    )  # fmt: skip
    assert (po.number, po.status, po.units, po.total) == (
        "PO-1001",
        PoStatus.DRAFT,
        30,
        Decimal("120.00"),
    )
    assert store.purchasing.move_po(
        po.id, PoStatus.DRAFT, PoStatus.ORDERED, T0, expected_on=date(2026, 11, 23)
    )
    assert not store.purchasing.move_po(po.id, PoStatus.DRAFT, PoStatus.CANCELLED, T0)
    ordered = store.purchasing.po(po.id)
    assert ordered is not None
    assert (ordered.status, ordered.ordered_at, ordered.expected_on) == (
        PoStatus.ORDERED, T0, date(2026, 11, 23),
    )  # fmt: skip
    assert store.purchasing.open_po_quantities() == {("v1", "CA"): 24, ("v2", "CA"): 6}
    assert [p.id for p in store.purchasing.pos([PoStatus.DRAFT])] == []


def test_a_receipt_survives_a_restart_and_is_finished_once(tmp_path: Path) -> None:
    path = tmp_path / "packdesk.db"
    first = SqliteStore.open(path)
    s = first.purchasing.save_supplier("A", email="", lead_time_days=10, currency="USD", at=T0)
    po = first.purchasing.create_po(
        s.id, location="CA", location_id="L1", currency="USD", note="", at=T0,
        lines=[line("v1", 24)],
    )  # fmt: skip
    first.purchasing.move_po(po.id, PoStatus.DRAFT, PoStatus.ORDERED, T0)
    receipt = first.purchasing.open_receipt(po.id, "CA-1", T0)
    for _ in range(3):
        first.purchasing.add_received(receipt.id, "v1", 1, T0)
    first.purchasing.add_received(receipt.id, "v1", -1, T0)
    first.close()
    again = SqliteStore.open(path)
    try:
        reopened = again.purchasing.open_receipt(po.id, "CA-1", T0 + timedelta(hours=1))
        assert (reopened.id, reopened.scanned) == (receipt.id, {"v1": 2})
        assert again.purchasing.finish_receipt(receipt.id, T0) == {"v1": 2}
        assert again.purchasing.finish_receipt(receipt.id, T0) == {}
        done = again.purchasing.po(po.id)
        assert done is not None
        assert done.lines[0].received == 2
        assert again.purchasing.open_po_quantities() == {("v1", "CA"): 22}
    finally:
        again.close()
