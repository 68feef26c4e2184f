"""The orders repository: Shopify's orders kept whole, found by id or by name."""

from __future__ import annotations

from datetime import timedelta

from packdesk.adapters.store import SqliteStore
from packdesk.domain.fulfillments import Fulfillment, FulfillmentLine, TrackingInfo
from packdesk.domain.states import StationState

from .store_data import CA, T0, make_order, move


def test_order_round_trips_exactly(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    assert store.orders.get(order.id) == order
    assert store.orders.by_name("1001") == order
    assert store.orders.by_name(" #1001 ") == order
    assert store.orders.get("gid://shopify/Order/404") is None
    assert store.orders.by_name("#404") is None


def test_upsert_replaces_lines_removed_upstream(store: SqliteStore) -> None:
    store.orders.save(make_order(quantity=3))
    edited = make_order(quantity=1).model_copy(update={"note": "Gift: happy birthday"})
    store.orders.save(edited)
    loaded = store.orders.get(edited.id)
    assert loaded is not None
    assert loaded.line_items[0].quantity == 1
    assert loaded.note == "Gift: happy birthday"
    assert store.database.scalar("SELECT count(*) FROM line_items") == 1
    assert store.orders.count() == 1


def test_fulfillments_are_kept_when_a_read_leaves_them_out(store: SqliteStore) -> None:
    shipped = Fulfillment(
        id="gid://shopify/Fulfillment/9",
        name="#1001-F1",
        created_at=T0,
        location_id=CA,
        tracking=(TrackingInfo(number="9400111899223344556677", company="USPS", url="https://t"),),
        lines=(FulfillmentLine(line_item_id="gid://shopify/LineItem/10011", quantity=1),),
    )
    order = make_order().model_copy(update={"fulfillments": (shipped,)})
    store.orders.save(order)
    assert store.orders.get(order.id) == order
    store.orders.save(order.model_copy(update={"fulfillments": None, "note": "from a page"}))
    kept = store.orders.get(order.id)
    assert kept is not None
    assert (kept.note, kept.fulfillments) == ("from a page", (shipped,))
    store.orders.save(order.model_copy(update={"fulfillments": ()}))  # read alone: none left
    assert store.orders.get(order.id).fulfillments == ()  # type: ignore[union-attr]


def test_a_page_of_orders_is_saved_in_one_go(store: SqliteStore) -> None:
    page = [make_order(n) for n in range(1001, 1051)]
    store.orders.save_many(page)
    assert store.orders.count() == 50
    assert store.orders.by_name("#1050") == page[-1]


def test_orders_with_open_work_here_that_the_station_has_not_seen(store: SqliteStore) -> None:
    store.orders.save(make_order(1001, created=T0 + timedelta(hours=2)))
    store.orders.save(make_order(1002, created=T0 + timedelta(hours=1)))
    store.orders.save(make_order(1003, location="gid://shopify/Location/2"))  # elsewhere
    store.orders.save(make_order(1004, status="CLOSED"))  # shipped already
    cancelled = make_order(1005).model_copy(update={"cancelled_at": T0})
    store.orders.save(cancelled)
    store.orders.save(make_order(1006))
    move(store, "gid://shopify/Order/1006", StationState.NEW)  # at the station already
    assert store.orders.not_at_station(CA) == [
        "gid://shopify/Order/1002",
        "gid://shopify/Order/1001",
    ]
