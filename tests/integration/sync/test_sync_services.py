"""Sync services over a fake shop and a real SQLite file: what lands locally and in the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from packdesk.domain.events import OrderStateChanged, SyncFinished, SyncProgress
from packdesk.domain.models import SyncStatus
from packdesk.domain.states import StationState

from .conftest import Rig
from .fakes import CA, PA, T0, make_order


def _state(rig: Rig, n: int) -> StationState | None:
    s = rig.station.state_of(f"gid://shopify/Order/{n}")
    return s.state if s else None


def _reason(rig: Rig, n: int) -> str:
    s = rig.station.state_of(f"gid://shopify/Order/{n}")
    return s.reason if s else ""


def test_full_sync_stores_catalog_stock_and_orders(rig: Rig) -> None:
    for n in range(1, 8):
        rig.shop.add_variant(n)
    for n in range(1001, 1011):
        rig.shop.put(make_order(n))
    results = rig.sync.run_all()
    assert [r.ok for r in results] == [True] * 4
    assert {r.resource: r.count for r in results} == {
        "locations": 2,
        "variants": 7,
        "inventory": 14,
        "orders": 10,
    }
    assert rig.store.catalog.count_variants() == 7
    assert rig.store.orders.count() == 10
    v = rig.store.catalog.variant_for_code("000000000003")
    assert v is not None
    assert (v.sku, v.weight_g, v.length_cm, v.bin) == ("SKU-3", 103.0, 20.0, "A-03")
    assert rig.store.catalog.variant_for_code("SKU-4") == rig.store.catalog.variant_for_code(
        "000000000004"
    )
    assert rig.store.catalog.variant_for_code("nope") is None
    levels = rig.store.catalog.stock_levels("gid://shopify/InventoryItem/5")
    assert [(s.location_id, s.available, s.on_hand) for s in levels] == [(CA, 5, 6), (PA, 0, 0)]
    ca = rig.store.catalog.location("CA")
    assert ca is not None
    assert ca.address is not None
    assert ca.address.city == "Oakland"
    assert (
        rig.store.orders.get("gid://shopify/Order/1005")
        == rig.shop.orders["gid://shopify/Order/1005"]
    )
    assert all(_state(rig, n) is StationState.NEW for n in range(1001, 1011))
    progress = [(e.resource, e.count) for e in rig.events if isinstance(e, SyncProgress)]
    assert progress[-4:] == [("orders", 3), ("orders", 6), ("orders", 9), ("orders", 10)]
    finished = [e for e in rig.events if isinstance(e, SyncFinished)]
    assert [(e.resource, e.ok) for e in finished] == [
        ("locations", True),
        ("variants", True),
        ("inventory", True),
        ("orders", True),
    ]
    status = {s.resource: s for s in rig.sync.status()}
    assert status["orders"].last_success_at is not None
    assert status["orders"].cursor == (T0 + timedelta(seconds=1010)).isoformat(
        timespec="microseconds"
    )


def test_incremental_sync_reads_only_changes_and_applies_them(rig: Rig) -> None:
    for n in range(1001, 1021):
        rig.shop.put(make_order(n, at=T0 + timedelta(minutes=n - 1000)))
    rig.sync.run_all()
    served = rig.shop.pages_served
    rig.shop.change("gid://shopify/Order/1003", note="Gift wrap please")
    rig.shop.put(make_order(1050, at=rig.shop.tick()))
    result = rig.sync.run("orders")
    assert result.ok
    # the two changes, plus the three orders inside the two-minute overlap window
    assert result.count == 5
    assert rig.shop.pages_served - served == 2
    assert rig.store.orders.get("gid://shopify/Order/1003").note == "Gift wrap please"  # type: ignore[union-attr]
    assert _state(rig, 1050) is StationState.NEW


def test_a_failure_mid_sync_keeps_stored_pages_and_resumes(rig: Rig) -> None:
    for n in range(1001, 1011):
        rig.shop.put(make_order(n))
    rig.sync.run("locations")
    rig.shop.fail_on_page = rig.shop.pages_served + 3  # third page of orders fails
    failed = rig.sync.run("orders")
    assert not failed.ok
    assert "simulated crash" in failed.error
    assert rig.store.orders.count() == 6  # two pages of three were stored with their cursor
    status = rig.store.sync.status("orders")
    assert status.last_error_at is not None
    assert "simulated crash" in status.last_error
    assert [e.ok for e in rig.events if isinstance(e, SyncFinished)][-1] is False
    rig.shop.fail_on_page = None
    assert rig.sync.run("orders").ok
    assert rig.store.orders.count() == 10
    assert all(_state(rig, n) is StationState.NEW for n in range(1001, 1011))


def test_a_page_is_stored_with_its_cursor_or_not_at_all(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(1001, 1007):
        rig.shop.put(make_order(n))
    rig.sync.run("locations")
    save = rig.store.sync.save
    pages: list[str] = []

    def save_the_first_cursor_only(status: SyncStatus) -> None:
        if status.resource == "orders":
            pages.append(status.cursor)
            if len(pages) == 2:
                raise OSError("disk full")  # the second page's cursor cannot be written
        save(status)

    monkeypatch.setattr(rig.store.sync, "save", save_the_first_cursor_only)
    failed = rig.sync.run("orders")
    monkeypatch.undo()
    assert not failed.ok
    assert rig.store.orders.count() == 3  # the second page went with its cursor
    assert rig.store.sync.status("orders").cursor == pages[0]
    assert rig.sync.run("orders").ok
    assert rig.store.orders.count() == 6


def test_orders_of_another_location_stay_out_of_the_queue(rig: Rig) -> None:
    rig.shop.put(make_order(1001, location=PA))
    rig.sync.run_all()
    assert rig.store.orders.count() == 1
    assert _state(rig, 1001) is None


def test_cancelled_upstream_leaves_the_queue_with_the_reason(rig: Rig) -> None:
    rig.shop.put(make_order(1001))
    rig.sync.run_all()
    rig.shop.change(
        "gid://shopify/Order/1001", cancelled_at=rig.shop.clock, cancel_reason="CUSTOMER"
    )
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.CANCELLED
    assert _reason(rig, 1001) == "Cancelled in Shopify (customer)"
    history = rig.store.station.history("gid://shopify/Order/1001")
    assert [(h.to_state, h.actor) for h in history] == [
        (StationState.NEW, "sync"),
        (StationState.CANCELLED, "sync"),
    ]


def test_cancelled_after_the_label_was_bought_keeps_the_state_and_asks_for_a_void(
    rig: Rig,
) -> None:
    rig.shop.put(make_order(1001))
    rig.sync.run_all()
    oid = "gid://shopify/Order/1001"
    for state in (StationState.PACKING, StationState.PACKED, StationState.LABELED):
        rig.station.move(oid, state, actor="packer")
    rig.shop.change(oid, cancelled_at=rig.shop.clock, cancel_reason="CUSTOMER")
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.LABELED
    assert _reason(rig, 1001) == (
        "Cancelled in Shopify (customer) after its label was bought: void the label (F4)"
    )
    seen = [e for e in rig.events if isinstance(e, OrderStateChanged) and e.order_id == oid]
    assert seen[-1].to_state is StationState.LABELED
    assert "void the label" in seen[-1].reason
    # a second sync does not repeat the note
    rig.shop.change(oid, note="x")
    rig.sync.run("orders")
    assert len(rig.store.station.history(oid)) == 5


def test_fulfilled_elsewhere_leaves_the_queue_as_fulfilled(rig: Rig) -> None:
    order = rig.shop.put(make_order(1001))
    rig.sync.run_all()
    fo = order.fulfillment_orders[0]
    closed = fo.model_copy(
        update={
            "status": "CLOSED",
            "lines": tuple(ln.model_copy(update={"remaining_quantity": 0}) for ln in fo.lines),
        }
    )
    rig.shop.change(order.id, fulfillment_orders=(closed,), fulfillment_status="FULFILLED")
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.FULFILLED
    assert _reason(rig, 1001) == "Fulfilled outside packdesk in Shopify"


def test_moved_to_another_location_leaves_the_queue_and_comes_back(rig: Rig) -> None:
    order = rig.shop.put(make_order(1001))
    rig.sync.run_all()
    fo = order.fulfillment_orders[0]
    rig.shop.change(order.id, fulfillment_orders=(fo.model_copy(update={"location_id": PA}),))
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.MOVED
    assert _reason(rig, 1001) == "Moved to PA in Shopify"
    rig.shop.change(order.id, fulfillment_orders=(fo,))
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.NEW
    assert _reason(rig, 1001) == "Moved back to this location in Shopify"


def test_edited_while_packing_goes_back_to_ready(rig: Rig) -> None:
    rig.shop.put(make_order(1001, qty=1))
    rig.sync.run_all()
    oid = "gid://shopify/Order/1001"
    rig.station.move(oid, StationState.PACKING, actor="packer")
    edited = make_order(1001, qty=3)
    rig.shop.change(oid, line_items=edited.line_items, fulfillment_orders=edited.fulfillment_orders)
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.READY
    assert "quantities changed" in _reason(rig, 1001)
    assert rig.store.orders.get(oid).item_count == 3  # type: ignore[union-attr]


def test_orders_synced_before_locations_enter_the_queue_once_locations_arrive(rig: Rig) -> None:
    rig.shop.put(make_order(1001))
    rig.sync.run("orders")
    assert _state(rig, 1001) is None  # the station does not know where CA is yet
    rig.sync.run("locations")
    rig.sync.run("orders")
    assert _state(rig, 1001) is StationState.NEW


def test_an_unknown_resource_is_refused_with_the_choices(rig: Rig) -> None:
    import pytest

    with pytest.raises(ValueError, match="choose one of locations, variants, inventory, orders"):
        rig.sync.run("customers")


def test_stop_ends_a_run_after_the_page_it_stores(rig: Rig) -> None:
    for n in range(1001, 1011):
        rig.shop.put(make_order(n, at=T0 + timedelta(minutes=n - 1000)))
    rig.sync.run("locations")
    original = rig.shop.orders_page

    def slow_then_stop(**kw):  # type: ignore[no-untyped-def]
        page = original(**kw)
        rig.sync.stop()  # shutdown arrives while the first page is on its way
        return page

    rig.shop.orders_page = slow_then_stop  # type: ignore[method-assign]
    result = rig.sync.run("orders")
    assert result.ok
    assert rig.store.orders.count() in (3, 6)  # the page in hand (and maybe the prefetched one)
    status = rig.store.sync.status("orders")
    stored = max(
        o.updated_at
        for o in map(rig.store.orders.get, [f"gid://shopify/Order/{n}" for n in range(1001, 1011)])
        if o
    )
    assert status.cursor == stored.isoformat(timespec="microseconds")
