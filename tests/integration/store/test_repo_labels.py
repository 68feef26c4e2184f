"""The labels repository: purchase rows written claimed before the carrier is called and
changed only by their claim's owner from the state it expects, the files of bought labels
(never replaced), and extra labels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import LabelPurchase, PurchaseState, Transition
from packdesk.domain.ports import DuplicatePurchase
from packdesk.domain.shipping import ExtraLabel, LabelFile, StoredLabel
from packdesk.domain.states import StationState

from .store_data import T0, make_order, make_purchase

ORDER = make_order()
ZPL = StoredLabel(format="ZPLII", content_type="application/zpl", data=b"^XA^FD1^XZ")
LEASE = timedelta(minutes=2)


def claimed(attempt: int = 1, package_no: int = 1, owner: str = "proc-a") -> LabelPurchase:
    purchase = make_purchase(ORDER, attempt=attempt, package_no=package_no)
    return purchase.model_copy(update={"claimed_by": owner, "claimed_until": T0 + LEASE})


def bought(purchase: LabelPurchase) -> LabelPurchase:
    n = f"{purchase.package_no}{purchase.attempt}"
    return purchase.model_copy(
        update={
            "state": PurchaseState.BOUGHT,
            "transaction_id": f"txn-{n}",
            "tracking_number": f"9400{n}",
        }
    )


def test_a_purchase_key_is_written_once_and_born_claimed(store: SqliteStore) -> None:
    purchase = claimed()
    store.labels.add(purchase)
    with pytest.raises(DuplicatePurchase, match="exists already"):
        store.labels.add(purchase)
    same_attempt = purchase.model_copy(update={"key": "order:1001:pkg:1:try:1:again"})
    with pytest.raises(DuplicatePurchase):
        store.labels.add(same_attempt)  # one row per package and attempt, whatever its key
    assert store.labels.get(purchase.key) == purchase
    assert store.labels.pending() == [purchase]
    assert not store.labels.claim(purchase.key, "proc-b", now=T0, until=T0 + LEASE)


def test_a_claim_holds_until_released_or_run_out_or_taken_from_a_gone_holder(
    store: SqliteStore,
) -> None:
    purchase = make_purchase(ORDER)
    store.labels.add(purchase)
    until = T0 + LEASE
    assert store.labels.claim(purchase.key, "proc-a", now=T0, until=until)
    assert store.labels.claim(purchase.key, "proc-a", now=T0, until=until)  # its own again
    assert not store.labels.claim(purchase.key, "proc-b", now=T0, until=until)
    assert not store.labels.claim(purchase.key, "proc-b", now=T0, until=until, take_from="x")
    assert store.labels.claim(purchase.key, "proc-b", now=T0, until=until, take_from="proc-a")
    assert store.labels.claim(purchase.key, "proc-a", now=until, until=until + LEASE)  # ran out
    store.labels.release(purchase.key, "proc-b")  # not the holder any more: nothing changes
    assert not store.labels.claim(purchase.key, "proc-b", now=until, until=until)
    store.labels.release(purchase.key, "proc-a")
    assert store.labels.claim(purchase.key, "proc-b", now=until, until=until)


def test_only_the_owner_changes_a_row_and_only_from_the_state_it_expects(
    store: SqliteStore,
) -> None:
    purchase = claimed()
    store.labels.add(purchase)
    failed = purchase.model_copy(
        update={"state": PurchaseState.FAILED, "error": "Address refused", "updated_at": T0}
    )
    assert not store.labels.update(failed, owner="proc-b", expect=PurchaseState.PENDING)
    assert not store.labels.update(failed, owner="proc-a", expect=PurchaseState.BOUGHT)
    assert not store.labels.update(failed, owner="", expect=PurchaseState.PENDING)
    assert store.labels.get(purchase.key) == purchase
    assert store.labels.update(failed, owner="proc-a", expect=PurchaseState.PENDING)
    assert store.labels.get(purchase.key) == failed
    assert not store.labels.update(purchase, owner="proc-a", expect=PurchaseState.PENDING)
    assert store.labels.get("order:404:pkg:1:try:1") is None


def test_a_request_goes_out_only_when_the_last_one_is_settled(store: SqliteStore) -> None:
    purchase = claimed()
    store.labels.add(purchase)
    sending = purchase.model_copy(update={"rate_id": "rate-2", "sent_at": T0, "unclear": True})
    assert not store.labels.send(sending, "proc-b")  # not its claim
    assert store.labels.send(sending, "proc-a")
    row = store.labels.get(purchase.key)
    assert row is not None
    assert (row.rate_id, row.sent_at, row.unclear) == ("rate-2", T0, True)
    assert not store.labels.send(sending, "proc-a")  # its answer was lost: not again
    settled = row.model_copy(update={"unclear": False})
    assert store.labels.update(settled, owner="proc-a", expect=PurchaseState.PENDING)
    assert store.labels.send(sending, "proc-a")  # nothing was bought: the key may go again
    with_transaction = sending.model_copy(update={"unclear": False, "transaction_id": "txn-1"})
    assert store.labels.update(with_transaction, owner="proc-a", expect=PurchaseState.PENDING)
    assert not store.labels.send(sending, "proc-a")  # it bought something: settle that first


def test_a_bought_label_is_stored_once_with_its_file_and_the_newest_is_reprinted(
    store: SqliteStore,
) -> None:
    first = claimed(attempt=1)
    store.labels.add(first)
    assert not store.labels.record_bought(bought(first), ZPL, owner="proc-b")
    assert store.labels.record_bought(bought(first), ZPL, owner="proc-a")
    other_file = StoredLabel(format="ZPLII", content_type="application/zpl", data=b"^XA^XZ")
    assert not store.labels.record_bought(bought(first), other_file, owner="proc-a")
    assert store.labels.file(first.key) == ZPL  # never replaced
    assert not store.labels.mark_voided("order:404:pkg:1:try:1", refund_id="r", reason="x", at=T0)
    assert store.labels.mark_voided(first.key, refund_id="ref-1", reason="wrong box", at=T0)
    assert not store.labels.mark_voided(first.key, refund_id="ref-2", reason="again", at=T0)
    second = claimed(attempt=2)
    store.labels.add(second)
    newer = StoredLabel(format="ZPLII", content_type="application/zpl", data=b"^XA^FD2^XZ")
    assert store.labels.record_bought(bought(second), newer, owner="proc-a")
    other = claimed(package_no=2)
    store.labels.add(other)
    assert store.labels.record_bought(bought(other), ZPL, owner="proc-a")

    assert [(p.package_no, p.attempt, p.state) for p in store.labels.for_order(ORDER.id)] == [
        (1, 1, PurchaseState.VOIDED),
        (1, 2, PurchaseState.BOUGHT),
        (2, 1, PurchaseState.BOUGHT),
    ]
    assert store.labels.file(first.key) == ZPL  # a voided label's file stays for the record
    assert store.labels.newest_files(ORDER.id) == [
        LabelFile(package_no=1, content_type="application/zpl", data=newer.data),
        LabelFile(package_no=2, content_type="application/zpl", data=ZPL.data),
    ]
    assert store.labels.pending() == []


def test_purchases_sent_lately_are_listed_for_the_sweep(store: SqliteStore) -> None:
    old, recent, pending = claimed(attempt=1), claimed(attempt=2), claimed(attempt=3)
    for purchase, sent in ((old, T0), (recent, T0 + timedelta(hours=2)), (pending, T0)):
        store.labels.add(purchase.model_copy(update={"sent_at": sent}))
    for purchase in (old, recent):
        row = store.labels.get(purchase.key)
        assert row is not None
        assert store.labels.record_bought(bought(row), ZPL, owner="proc-a")
    assert [p.key for p in store.labels.sent_since(T0 + timedelta(hours=1))] == [recent.key]
    assert [p.key for p in store.labels.sent_since(T0)] == [old.key, recent.key]


def test_an_extra_label_is_recorded_once_and_its_refund_seen_through_once(
    store: SqliteStore,
) -> None:
    purchase = claimed()
    store.labels.add(purchase)
    extra = ExtraLabel(
        transaction_id="txn-9",
        purchase_key=purchase.key,
        order_id=ORDER.id,
        package_no=1,
        tracking_number="94009",
        found_at=T0,
    )
    assert store.labels.add_extra(extra)
    assert not store.labels.add_extra(extra)
    assert store.labels.extra_refused("txn-9", error="Shippo answered ERROR")
    assert not store.labels.extra_refused("txn-9", error="again")
    assert store.labels.extra_refunded("txn-9", refund_id="ref-9", at=T0)
    assert not store.labels.extra_refunded("txn-9", refund_id="ref-10", at=T0)
    refunded = extra.model_copy(update={"refund_id": "ref-9", "refunded_at": T0})
    assert store.labels.extras(ORDER.id) == [refunded]
    assert store.labels.extra("txn-9") == refunded
    assert store.labels.extras("gid://shopify/Order/404") == []


def test_an_event_goes_to_the_history_without_moving_the_order(store: SqliteStore) -> None:
    store.orders.save(ORDER)
    assert not store.station.record_event(ORDER.id, actor="label-sweep", reason="x", at=T0)
    store.station.apply(
        Transition(order_id=ORDER.id, from_state=None, to_state=StationState.NEW, actor="t", at=T0)
    )
    assert store.station.record_event(
        ORDER.id, actor="label-sweep", reason="extra label refunded", at=T0
    )
    station = store.station.get(ORDER.id)
    assert station is not None
    assert (station.state, station.reason) == (StationState.NEW, "")
    last = store.station.history(ORDER.id)[-1]
    assert (last.actor, last.reason, last.to_state) == (
        "label-sweep",
        "extra label refunded",
        StationState.NEW,
    )
