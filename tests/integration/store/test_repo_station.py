"""The station repository: each order's state with its audit log, its pack's scans, and the
packers' notes; and the station service's transitions on top of it."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import cast

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock
from packdesk.domain.events import Event, OrderStateChanged
from packdesk.domain.models import NewOutboxItem, NewPrintJob, PrintRole, Transition
from packdesk.domain.ports import StaleState
from packdesk.domain.states import StationState, TransitionRefused
from packdesk.services.station import OrderNotFound, StationService, record_transition

from .store_data import T0, make_order, move

S = StationState


class RecordingBus:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


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
    with pytest.raises(StaleState, match="is NEW, not READY: reload and retry"):
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


def test_a_print_job_that_cannot_be_written_takes_the_transition_back(
    store: SqliteStore,
) -> None:
    order = make_order()
    store.orders.save(order)
    move(store, order.id, S.NEW, S.PACKING)
    broken = NewPrintJob.model_construct(
        printer="labels",
        role=PrintRole.SLIP,
        order_id=order.id,
        document=cast(str, None),
        content_type="application/pdf",
        data=b"%PDF-1.4",
    )  # fmt: skip  (document is NOT NULL: the insert fails after the move and the email)
    with pytest.raises(Exception, match="NOT NULL"):
        record_transition(
            store,
            Transition(order_id=order.id, from_state=S.PACKING, to_state=S.PACKED,
                       actor="CA-1", at=T0),
            outbox=[NewOutboxItem(kind="email", dedupe_key="email:z", order_id=order.id)],
            print_jobs=[broken],
        )  # fmt: skip
    assert store.station.get(order.id).state is S.PACKING  # type: ignore[union-attr]
    assert len(store.station.history(order.id)) == 2
    assert store.outbox.items() == []


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
    assert store.station.get(order.id) == held
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


def test_orders_are_found_by_ids_and_by_state(store: SqliteStore) -> None:
    ids = [f"gid://shopify/Order/{n}" for n in (1001, 1002, 1003)]
    for n in (1001, 1002, 1003):
        store.orders.save(make_order(n))
    move(store, ids[0], S.NEW, at=T0 + timedelta(minutes=2))
    move(store, ids[1], S.NEW, S.READY, at=T0)
    move(store, ids[2], S.NEW, at=T0 + timedelta(minutes=1))
    assert set(store.station.by_ids([*ids, "gid://shopify/Order/404"])) == set(ids)
    # least recently changed first
    assert [s.order_id for s in store.station.in_states([S.NEW])] == [ids[2], ids[0]]
    assert [s.order_id for s in store.station.in_states([S.READY, S.NEW])] == [
        ids[1],
        ids[2],
        ids[0],
    ]
    assert store.station.in_states([]) == []


def test_a_note_sets_the_reason_without_moving_the_order(store: SqliteStore) -> None:
    order = make_order()
    store.orders.save(order)
    move(store, order.id, S.NEW, S.READY)
    later = T0 + timedelta(hours=1)
    noted = store.station.note(order.id, reason="Cancelled in Shopify", actor="sync", at=later)
    assert noted is not None
    assert (noted.state, noted.reason, noted.updated_at) == (S.READY, "Cancelled in Shopify", later)
    assert store.station.get(order.id) == noted
    last = store.station.history(order.id)[-1]
    assert (last.from_state, last.to_state, last.actor) == (S.READY, S.READY, "sync")
    assert store.station.note("gid://shopify/Order/404", reason="x", actor="sync", at=later) is None


def test_young_orders_at_the_station_leave_out_old_and_cancelled_ones(
    store: SqliteStore,
) -> None:
    for n, age_h, state in ((1001, 1, S.NEW), (1002, 30, S.NEW), (1003, 2, S.CANCELLED)):
        store.orders.save(make_order(n, created=T0 - timedelta(hours=age_h)))
        move(store, f"gid://shopify/Order/{n}", S.NEW)
        if state is S.CANCELLED:
            move(store, f"gid://shopify/Order/{n}", S.CANCELLED)
    store.orders.save(make_order(1004))  # not at the station
    assert store.station.young_orders(T0 - timedelta(hours=24)) == ["gid://shopify/Order/1001"]


def test_scans_add_up_per_line_and_undo_takes_back_the_latest(store: SqliteStore) -> None:
    oid = "gid://shopify/Order/1001"
    first = store.station.add_scan(oid, "L1", "0700000000011", 1, T0)
    second = store.station.add_scan(oid, "L1", "manual", 2, T0 + timedelta(seconds=5))
    store.station.add_scan(oid, "L2", "0700000000028", 1, T0 + timedelta(seconds=9))
    assert second > first
    assert store.station.scanned_quantities(oid) == {"L1": 3, "L2": 1}
    undone = store.station.undo_scan(oid)
    assert undone is not None
    assert (undone.line_item_id, undone.code, undone.quantity) == ("L2", "0700000000028", 1)
    assert store.station.scanned_quantities(oid) == {"L1": 3}
    assert store.station.clear_scans(oid) == 2
    assert store.station.undo_scan(oid) is None
    assert store.station.scanned_quantities(oid) == {}


def test_notes_are_kept_in_the_order_they_were_written(store: SqliteStore) -> None:
    oid = "gid://shopify/Order/1001"
    store.station.add_note(oid, "Gift wrap", actor="CA-1", at=T0)
    store.station.add_note(oid, "Fragile", actor="CA-2", at=T0 + timedelta(minutes=1))
    assert [(n.text, n.actor) for n in store.station.notes(oid)] == [
        ("Gift wrap", "CA-1"),
        ("Fragile", "CA-2"),
    ]
    assert store.station.notes("gid://shopify/Order/404") == []
