"""The outbox repository: effects written once per dedupe key, leased to one worker, settled
by it; withdrawn effects; the suppression list; and the planning mark of follow-ups."""

from __future__ import annotations

from datetime import timedelta

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import NewOutboxItem, OutboxState
from packdesk.domain.states import StationState

from .store_data import T0, make_order, move


def item(key: str, kind: str = "email") -> NewOutboxItem:
    return NewOutboxItem(kind=kind, dedupe_key=key, order_id="o1", payload={"to": "a@b.c"})


def test_a_dedupe_key_is_written_once(store: SqliteStore) -> None:
    assert store.outbox.add([item("email:a:o1"), item("email:b:o1")], T0) == 2
    later = T0 + timedelta(days=3)
    assert (
        store.outbox.schedule([(item("email:a:o1"), later), (item("email:c:o1"), later)], T0) == 1
    )
    assert store.outbox.known_keys(["email:a:o1", "email:c:o1", "email:z:o1"]) == {
        "email:a:o1",
        "email:c:o1",
    }
    assert [i.next_attempt_at for i in store.outbox.items()] == [T0, T0, later]
    assert store.outbox.add([], T0) == 0


def test_a_claim_leases_due_rows_of_the_asked_kinds_to_one_worker(store: SqliteStore) -> None:
    store.outbox.add([item("fulfillment:k1", "fulfillment"), item("email:a:o1")], T0)
    store.outbox.schedule([(item("email:later:o1"), T0 + timedelta(hours=1))], T0)
    lease = T0 + timedelta(minutes=5)
    [email] = store.outbox.claim(T0, 10, "w1", lease, kinds=["email"])
    assert (email.dedupe_key, email.attempts) == ("email:a:o1", 1)
    assert store.outbox.claim(T0, 10, "w2", lease, kinds=["email"]) == []  # leased, not due
    assert store.outbox.claim(T0, 10, "w2", lease, kinds=[]) == []
    [fulfillment] = store.outbox.claim(T0, 10, "w2", lease)
    assert not store.outbox.settle(email.id, "w2", OutboxState.DELIVERED, T0)  # not its lease
    assert store.outbox.settle(email.id, "w1", OutboxState.SKIPPED, T0, "switched off")
    assert store.outbox.fail(fulfillment.id, "w2", "Shopify is down", T0, dead=True)
    assert store.outbox.counts() == {
        OutboxState.PENDING: 1,
        OutboxState.DELIVERED: 0,
        OutboxState.DEAD: 1,
        OutboxState.SKIPPED: 1,
    }
    skipped = store.outbox.get(email.id)
    assert skipped is not None
    assert (skipped.state, skipped.note) == (OutboxState.SKIPPED, "switched off")


def test_a_withdrawn_effect_is_dead_for_good(store: SqliteStore) -> None:
    store.outbox.add([item("fulfillment:k1", "fulfillment"), item("email:a:o1")], T0)
    [email] = store.outbox.claim(T0, 10, "w1", T0, kinds=["email"])
    store.outbox.fail(email.id, "w1", "SMTP down", T0, dead=True)
    assert store.outbox.withdraw("fulfillment:k1", error="label voided", at=T0) == 1
    assert store.outbox.withdraw("email:a:o1", error="order cancelled", at=T0) == 0  # dead already
    assert store.outbox.retry_all(T0) == 0
    [fulfillment, _] = store.outbox.items([OutboxState.DEAD])
    assert fulfillment.last_error == "label voided"
    assert not store.outbox.retry(fulfillment.id, T0)
    assert not store.outbox.retry(email.id, T0)
    assert store.outbox.items([OutboxState.PENDING]) == []


def test_a_dead_effect_is_retried_with_its_attempts_starting_over(store: SqliteStore) -> None:
    store.outbox.add([item("email:a:o1")], T0)
    [email] = store.outbox.claim(T0, 10, "w1", T0)
    store.outbox.fail(email.id, "w1", "SMTP down", T0, dead=True)
    assert store.outbox.retry(email.id, T0 + timedelta(hours=1))
    revived = store.outbox.get(email.id)
    assert revived is not None
    assert (revived.state, revived.attempts) == (OutboxState.PENDING, 0)
    assert not store.outbox.retry(email.id, T0)  # not dead any more


def test_suppressed_addresses_compare_without_case(store: SqliteStore) -> None:
    store.outbox.suppress(" Maya@Example.com ", "asked not to be emailed", T0)
    assert store.outbox.is_suppressed("maya@example.com")
    assert not store.outbox.is_suppressed("ada@example.com")
    assert store.outbox.unsuppress("MAYA@example.com")
    assert not store.outbox.unsuppress("maya@example.com")
    assert not store.outbox.is_suppressed("maya@example.com")


def test_delivered_orders_are_planned_once(store: SqliteStore) -> None:
    for n in (1001, 1002):
        store.orders.save(make_order(n))
    delivered_at = T0 + timedelta(days=2)
    move(store, "gid://shopify/Order/1001", StationState.NEW)
    move(store, "gid://shopify/Order/1001", StationState.DELIVERED, at=delivered_at)
    move(store, "gid://shopify/Order/1002", StationState.NEW)
    assert store.outbox.delivered_unplanned() == [("gid://shopify/Order/1001", delivered_at)]
    assert store.outbox.mark_planned("gid://shopify/Order/1001", delivered_at, delivered_at)
    assert not store.outbox.mark_planned("gid://shopify/Order/1001", delivered_at, delivered_at)
    assert store.outbox.delivered_unplanned() == []
