"""The SQLite store: migrations, transactions, and the station's atomic transitions."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from packdesk.adapters.store import Database, SqliteDialect, SqliteStore, StoreError
from packdesk.domain.clock import FixedClock
from packdesk.domain.events import Event, OrderStateChanged
from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    NewOutboxItem,
    NewPrintJob,
    Order,
    PrintRole,
    ShippingLine,
    Transition,
)
from packdesk.domain.ports import StaleState
from packdesk.domain.states import StationState, TransitionRefused
from packdesk.services.station import OrderNotFound, StationService, record_transition

T0 = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


def make_order(number: int = 1001, quantity: int = 2) -> Order:
    oid = f"gid://shopify/Order/{number}"
    return Order(
        id=oid,
        name=f"#{number}",
        created_at=T0,
        updated_at=T0,
        email="maya@example.com",
        customer=Customer(id="gid://shopify/Customer/7", name="Maya Chen", email="maya@example.com"),
        shipping_address=Address(
            name="Maya Chen", address1="12 Elm St", city="Oakland", province_code="CA",
            zip="94607", country_code="US",
        ),
        shipping_lines=(ShippingLine(title="Standard", price=Decimal("5.00")),),
        line_items=(
            LineItem(id=f"gid://shopify/LineItem/{number}1", variant_id="gid://shopify/ProductVariant/1",
                     sku="BM-ABC-01", title="Alphabet Flash Cards", quantity=quantity,
                     price=Decimal("12.50")),
        ),
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"gid://shopify/FulfillmentOrder/{number}", order_id=oid,
                location_id="gid://shopify/Location/1", status="OPEN",
                lines=(FulfillmentOrderLine(id=f"gid://shopify/FulfillmentOrderLineItem/{number}",
                                            line_item_id=f"gid://shopify/LineItem/{number}1",
                                            total_quantity=quantity, remaining_quantity=quantity),),
            ),
        ),
        tags=("wholesale",),
        total_price=Decimal("30.00"),
    )  # fmt: skip


class RecordingBus:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    opened = SqliteStore.open(tmp_path / "packdesk.db")
    yield opened  # type: ignore[misc]
    opened.close()


def tables(database: Database) -> set[str]:
    return {
        r["name"] for r in database.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def test_new_database_is_at_latest_version_in_wal_mode(store: SqliteStore) -> None:
    assert store.database.version == store.database.latest_version() >= 2
    assert store.database.scalar("PRAGMA journal_mode") == "wal"
    assert store.database.scalar("PRAGMA busy_timeout") >= 1000


def test_version_1_database_migrates_forward_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(SqliteDialect(path))
    assert old.migrate(target=1) == 1
    old.execute(
        "INSERT INTO variants (id, product_id, title, sku, barcode) VALUES (?, ?, ?, ?, ?)",
        ["v1", "p1", "Default Title", "BM-ABC-01", "0850001234561"],
    )
    assert "pack_scans" not in tables(old)
    old.close()

    migrated = Database(SqliteDialect(path))
    assert migrated.migrate() == migrated.latest_version()
    assert "pack_scans" in tables(migrated)
    row = migrated.one("SELECT sku, bin FROM variants WHERE id = 'v1'")
    assert row is not None
    assert dict(row) == {"sku": "BM-ABC-01", "bin": ""}
    assert migrated.migrate() == migrated.latest_version()  # running again changes nothing
    migrated.close()


def test_database_newer_than_packdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    newest = Database(SqliteDialect(path)).latest_version()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {newest + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this packdesk knows"):
        Database(SqliteDialect(path)).migrate()


def test_order_round_trips_exactly(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    assert store.orders.get(order.id) == order
    assert store.orders.by_name("1001") == order
    assert store.orders.by_name(" #1001 ") == order


def test_upsert_replaces_lines_removed_upstream(store: SqliteStore) -> None:
    store.orders.save(make_order(quantity=3))
    edited = make_order(quantity=1).model_copy(update={"note": "Gift: happy birthday"})
    store.orders.save(edited)
    loaded = store.orders.get(edited.id)
    assert loaded is not None
    assert loaded.line_items[0].quantity == 1
    assert loaded.note == "Gift: happy birthday"
    assert store.database.scalar("SELECT count(*) FROM line_items") == 1


def test_transition_writes_state_audit_outbox_and_print_job_together(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    bus = RecordingBus()
    station = StationService(store, bus, FixedClock(T0))
    station.move(order.id, StationState.NEW, actor="sync")
    station.move(order.id, StationState.PACKING, actor="CA-1")
    station.move(
        order.id, StationState.PACKED, actor="CA-1",
        outbox=[NewOutboxItem(kind="email", dedupe_key="email:x", order_id=order.id)],
        print_jobs=[NewPrintJob(printer="labels", role=PrintRole.SLIP, order_id=order.id,
                                document="1001-slip.pdf", content_type="application/pdf",
                                data=b"%PDF-1.4")],
    )  # fmt: skip
    state = store.station.get(order.id)
    assert state is not None
    assert state.state is StationState.PACKED
    assert [(e.from_state, e.to_state) for e in store.station.history(order.id)] == [
        (None, StationState.NEW),
        (StationState.NEW, StationState.PACKING),
        (StationState.PACKING, StationState.PACKED),
    ]
    assert store.database.scalar("SELECT count(*) FROM outbox") == 1
    assert store.database.scalar("SELECT data FROM print_jobs") == b"%PDF-1.4"
    assert [type(e) for e in bus.events] == [OrderStateChanged] * 3


def test_failed_transition_leaves_nothing_behind(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    station = StationService(store, RecordingBus(), FixedClock(T0))
    station.move(order.id, StationState.NEW, actor="sync")
    # A change based on a stale read is refused whole: no state, no audit row, no outbox row.
    with pytest.raises(StaleState):
        record_transition(
            store,
            Transition(order_id=order.id, from_state=StationState.READY,
                       to_state=StationState.PACKING, actor="CA-1", at=T0),
            outbox=[NewOutboxItem(kind="email", dedupe_key="email:y", order_id=order.id)],
        )  # fmt: skip
    state = store.station.get(order.id)
    assert state is not None
    assert state.state is StationState.NEW
    assert store.database.scalar("SELECT count(*) FROM outbox") == 0
    assert len(store.station.history(order.id)) == 1


def test_refused_transition_changes_nothing(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    station = StationService(store, RecordingBus(), FixedClock(T0))
    station.move(order.id, StationState.NEW, actor="sync")
    with pytest.raises(TransitionRefused, match="#1001 is NEW and cannot become DELIVERED"):
        station.move(order.id, StationState.DELIVERED, actor="CA-1")
    assert len(store.station.history(order.id)) == 1


def test_unknown_order_is_a_clear_error(store: SqliteStore) -> None:
    station = StationService(store, RecordingBus(), FixedClock(T0))
    with pytest.raises(OrderNotFound, match="run a sync"):
        station.move("gid://shopify/Order/9", StationState.NEW, actor="sync")


def test_hold_and_release_return_the_order_where_it_was(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    clock = FixedClock(T0)
    station = StationService(store, RecordingBus(), clock)
    station.move(order.id, StationState.NEW, actor="sync")
    station.move(order.id, StationState.READY, actor="rates")
    clock.at += timedelta(minutes=1)
    held = station.hold(order.id, actor="CA-1", reason="Customer asked to wait")
    assert (held.state, held.held_from, held.reason) == (
        StationState.ON_HOLD,
        StationState.READY,
        "Customer asked to wait",
    )
    released = station.release(order.id, actor="CA-1")
    assert released.state is StationState.READY


def test_two_threads_racing_one_transition_only_one_wins(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    StationService(store, RecordingBus(), FixedClock(T0)).move(
        order.id, StationState.NEW, actor="sync"
    )
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def pack(station: str) -> None:
        barrier.wait()
        try:
            store.station.apply(
                Transition(order_id=order.id, from_state=StationState.NEW,
                           to_state=StationState.PACKING, actor=station, at=T0)
            )  # fmt: skip
            outcomes.append("won")
        except StaleState:
            outcomes.append("stale")

    threads = [threading.Thread(target=pack, args=(f"CA-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stale", "stale", "stale", "won"]
    assert len(store.station.history(order.id)) == 2


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
