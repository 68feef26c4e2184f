"""The outbox worker over a real SQLite file: once, never twice, never lost."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from packdesk.adapters.store import SqliteStore
from packdesk.domain.events import Event, OutboxChanged
from packdesk.domain.models import NewOutboxItem, Order, OutboxState
from packdesk.domain.outbox import DeliveryFailed, fulfillment_key
from packdesk.domain.states import StationState
from packdesk.services.effects import fulfillment_effects
from packdesk.services.outbox import OutboxPolicy, OutboxService
from packdesk.services.station import StationService
from packdesk.services.upstream import FulfillmentHandler, InventoryHandler, mark_fulfilled

from .outbox_helpers import LOCATION, FakeShop, MovableClock, make_order, make_purchase


class Bus:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


def service(
    store: SqliteStore,
    clock: MovableClock,
    shop: FakeShop,
    *,
    worker: str = "w1",
    fulfilled: list[str] | None = None,
    **policy: float,
) -> OutboxService:
    handler = FulfillmentHandler(
        shop, on_fulfilled=fulfilled.append if fulfilled is not None else None
    )
    return OutboxService(
        store,
        {"fulfillment": handler, "inventory_adjust": InventoryHandler(shop)},
        clock,
        policy=OutboxPolicy(**policy),  # type: ignore[arg-type]
        worker_id=worker,
        rng=random.Random(1),
    )


def pack(store: SqliteStore, clock: MovableClock, order: Order) -> None:
    """What the packing flow does when a label is bought: LABELED with its effects."""
    store.orders.save(order)
    station = StationService(store, Bus(), clock)
    for state in (StationState.NEW, StationState.PACKING, StationState.PACKED):
        station.move(order.id, state, actor="packer")
    station.move(
        order.id,
        StationState.LABELED,
        actor="packer",
        outbox=fulfillment_effects(order, make_purchase(order), LOCATION),
    )


def fulfillment_rows(store: SqliteStore) -> list[OutboxState]:
    return [i.state for i in store.outbox.items() if i.kind == "fulfillment"]


def test_pack_becomes_one_fulfillment_with_its_tracking_and_lines(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1001, skus=("BM-ABC-01", "BM-VOL-01"))
    pack(store, clock, order)
    shop = FakeShop()
    fulfilled: list[str] = []
    report = service(store, clock, shop, fulfilled=fulfilled).run_once()

    assert report.claimed == 1  # the fulfillment; this worker has no email handler
    assert len(shop.fulfillments) == 1
    created = shop.fulfillments[0]
    assert created.tracking_number == make_purchase(order).tracking_number
    assert created.tracking_company == "USPS"
    assert created.tracking_url.endswith(created.tracking_number)
    assert [
        (fo.id, [(li.id, li.quantity) for li in fo.lines]) for fo in created.fulfillment_orders
    ] == [
        (
            "gid://shopify/FulfillmentOrder/1001",
            [
                ("gid://shopify/FulfillmentOrderLineItem/10010", 2),
                ("gid://shopify/FulfillmentOrderLineItem/10011", 1),
            ],
        )
    ]
    assert fulfilled == [order.id]
    assert fulfillment_rows(store) == [OutboxState.DELIVERED]
    # the email has no handler in this worker: it waits, untouched
    email = next(i for i in store.outbox.items() if i.kind == "email")
    assert (email.state, email.attempts) == (OutboxState.PENDING, 0)


def test_two_workers_at_once_deliver_each_item_once(tmp_path: Path, clock: MovableClock) -> None:
    path = tmp_path / "packdesk.db"
    setup = SqliteStore.open(path)
    for n in range(40):
        pack(setup, clock, make_order(2000 + n))
    shop = FakeShop(delay_s=0.01)
    workers = [
        service(SqliteStore.open(path), clock, shop, worker=f"w{k}", batch=5, parallel=2)
        for k in range(2)
    ]
    barrier = threading.Barrier(2)

    def drain(worker: OutboxService) -> None:
        barrier.wait()
        for _ in range(40):
            worker.run_once()

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    numbers = [f.tracking_number for f in shop.fulfillments]
    assert len(numbers) == 40
    assert len(set(numbers)) == 40
    assert fulfillment_rows(setup).count(OutboxState.DELIVERED) == 40
    for w in workers:
        w.store.close()  # type: ignore[attr-defined]
    setup.close()


def test_lost_answer_after_commit_is_found_upstream_not_sent_again(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1002)
    pack(store, clock, order)
    shop = FakeShop()
    shop.commit_then_drop = 1
    service(store, clock, shop).run_once()
    assert len(shop.fulfillments) == 1
    item = next(i for i in store.outbox.items() if i.kind == "fulfillment")
    assert item.state is OutboxState.DELIVERED
    assert "found after an unclear answer" in item.note


def test_lost_answer_while_shopify_stays_away_is_delivered_once_on_retry(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1012)
    pack(store, clock, order)

    class DropsThenAway(FakeShop):
        def _fault_after(self) -> None:
            self.fail_before = 1  # the check right after fails too
            raise DeliveryFailed("Shopify closed the connection without an answer")

    shop = DropsThenAway()
    worker = service(store, clock, shop)
    assert worker.run_once().failed == 1
    item = next(i for i in store.outbox.items() if i.kind == "fulfillment")
    assert item.state is OutboxState.PENDING
    assert "without an answer" in item.last_error
    assert worker.run_once().claimed == 0  # backing off: not due yet

    clock.advance(minutes=5)
    worker.run_once()
    assert len(shop.fulfillments) == 1
    item = next(i for i in store.outbox.items() if i.kind == "fulfillment")
    assert item.state is OutboxState.DELIVERED
    assert "already in Shopify" in item.note


def test_restart_after_a_crash_mid_delivery_picks_the_item_up_once(
    tmp_path: Path, clock: MovableClock
) -> None:
    path = tmp_path / "packdesk.db"
    first = SqliteStore.open(path)
    pack(first, clock, make_order(1003))
    # the first process leased the rows and died before delivering anything
    claimed = first.outbox.claim(clock.now(), 10, "dead-process", clock.now().replace(minute=35))
    assert len(claimed) == 2  # the fulfillment and the shipping email
    first.close()

    shop = FakeShop()
    restarted = service(SqliteStore.open(path), clock, shop, worker="after-restart")
    assert restarted.run_once().claimed == 0  # the lease still holds
    clock.advance(minutes=6)
    restarted.run_once()
    assert len(shop.fulfillments) == 1
    restarted.store.close()  # type: ignore[attr-defined]


def test_stale_worker_cannot_settle_an_item_another_worker_took_over(
    store: SqliteStore, clock: MovableClock
) -> None:
    pack(store, clock, make_order(1004))
    [item, _] = store.outbox.claim(clock.now(), 10, "slow", clock.now())
    clock.advance(seconds=1)
    taken = store.outbox.claim(clock.now(), 10, "fast", clock.now().replace(hour=23))
    assert item.id in {i.id for i in taken}
    assert not store.outbox.settle(item.id, "slow", OutboxState.DELIVERED, clock.now())
    assert store.outbox.settle(item.id, "fast", OutboxState.DELIVERED, clock.now())


def test_failures_back_off_then_stop_as_dead_and_retry_revives(
    store: SqliteStore, clock: MovableClock
) -> None:
    pack(store, clock, make_order(1005))
    shop = FakeShop()
    shop.fail_before = 10_000
    bus = Bus()
    worker = service(store, clock, shop, max_attempts=4, backoff_base_s=10, backoff_max_s=60)
    worker.bus = bus
    waits = []
    for _ in range(4):
        before = clock.now()
        worker.run_once()
        item = next(i for i in store.outbox.items() if i.kind == "fulfillment")
        waits.append((item.next_attempt_at - before).total_seconds())
        clock.at = item.next_attempt_at
    assert item.state is OutboxState.DEAD
    assert item.attempts == 4
    assert item.last_error == "Shopify answered 503"
    assert 5 <= waits[0] <= 10
    assert 10 <= waits[1] <= 20
    assert 20 <= waits[2] <= 40
    assert worker.run_once().claimed == 0
    assert any(isinstance(e, OutboxChanged) and e.dead >= 1 for e in bus.events)

    shop.fail_before = 0
    assert worker.retry(item.id)
    assert not worker.retry(item.id)  # no longer DEAD
    worker.run_once()
    assert len(shop.fulfillments) == 1
    assert fulfillment_rows(store) == [OutboxState.DELIVERED]


def test_retry_all_revives_every_dead_item(store: SqliteStore, clock: MovableClock) -> None:
    for n in range(3):
        pack(store, clock, make_order(1100 + n))
    shop = FakeShop()
    shop.fail_before = 10_000
    worker = service(store, clock, shop, max_attempts=1)
    worker.run_once()
    assert fulfillment_rows(store) == [OutboxState.DEAD] * 3
    shop.fail_before = 0
    assert worker.retry_all() == 3
    worker.run_once()
    assert len(shop.fulfillments) == 3


def test_fulfillment_order_already_closed_upstream_counts_as_delivered(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1006)
    pack(store, clock, order)
    shop = FakeShop()
    shop.closed.add("gid://shopify/FulfillmentOrder/1006")  # fulfilled elsewhere
    service(store, clock, shop).run_once()
    assert shop.fulfillments == []
    item = next(i for i in store.outbox.items() if i.kind == "fulfillment")
    assert item.state is OutboxState.DELIVERED
    assert "already closed" in item.note


def test_cancelled_fulfillment_order_is_dead_with_the_reason(
    store: SqliteStore, clock: MovableClock
) -> None:
    pack(store, clock, make_order(1007))
    shop = FakeShop()
    shop.cancelled.add("gid://shopify/FulfillmentOrder/1007")
    service(store, clock, shop).run_once()
    item = next(i for i in store.outbox.items() if i.kind == "fulfillment")
    assert item.state is OutboxState.DEAD
    assert "cancelled in Shopify" in item.last_error


def test_inventory_adjustment_is_sent_with_its_key(store: SqliteStore, clock: MovableClock) -> None:
    item = NewOutboxItem(
        kind="inventory_adjust",
        dedupe_key="inventory:pack:1001:BM-ABC-01",
        payload={
            "inventory_item_id": "gid://shopify/InventoryItem/5",
            "location_id": LOCATION,
            "delta": -2,
            "reason": "correction",
        },
    )
    assert store.outbox.schedule([(item, clock.now())], clock.now()) == 1
    assert store.outbox.schedule([(item, clock.now())], clock.now()) == 0  # same key: ignored
    shop = FakeShop()
    service(store, clock, shop).run_once()
    [sent] = shop.adjustments
    assert (sent.delta, sent.key, sent.location_id) == (-2, item.dedupe_key, LOCATION)
    assert store.outbox.items()[0].note == f"-2 at {LOCATION}"


def test_delivered_fulfillment_moves_the_order_to_fulfilled(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1020)
    pack(store, clock, order)
    station = StationService(store, Bus(), clock)
    handler = FulfillmentHandler(FakeShop(), on_fulfilled=mark_fulfilled(station))
    OutboxService(store, {"fulfillment": handler}, clock).run_once()
    current = store.station.get(order.id)
    assert current is not None
    assert current.state is StationState.FULFILLED
    assert store.station.history(order.id)[-1].actor == "outbox"


def test_delivery_threads_are_reused_between_runs(store: SqliteStore, clock: MovableClock) -> None:
    for n in range(6):
        pack(store, clock, make_order(1030 + n))
    worker = service(store, clock, FakeShop(), batch=2, parallel=2)
    seen: set[int] = set()
    for _ in range(4):
        worker.run_once()
        seen |= {t.ident or 0 for t in threading.enumerate() if t.name.startswith("outbox")}
    assert len(seen) <= 2  # the same two delivery threads every run
    assert store.database.open_connections <= store.database.pool_size
    worker.close()


def test_retry_never_revives_the_fulfillment_of_a_voided_label(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1040)
    pack(store, clock, order)
    purchase = make_purchase(order)
    store.labels.add(purchase)
    with store.transaction():  # what voiding the label does (label_voids)
        store.labels.mark_voided(purchase.key, refund_id="r-1", reason="oops", at=clock.now())
        store.outbox.withdraw(
            fulfillment_key(purchase.key), error="label voided before delivery", at=clock.now()
        )
    [dead] = store.outbox.items([OutboxState.DEAD])
    assert not store.outbox.retry(dead.id, clock.now())
    assert store.outbox.retry_all(clock.now()) == 0
    assert store.outbox.items([OutboxState.DEAD]) == [dead]
