"""Buying labels exactly once, against a fake carrier that loses answers and a real SQLite
file; voids, new labels after a void, retries and restarts."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import OutboxState, PurchaseState, Transition
from packdesk.domain.ports import StaleState
from packdesk.domain.shipping import RefundResult, clock_time
from packdesk.domain.states import StationState
from packdesk.services.labels import LabelPending, LabelRefused
from packdesk.services.shipping import ShippingProblem

from .fakes import T0, Crash, FakeCarrier
from .helpers import add_order, make_order, seed_catalog, services

S = StationState
GRACE = timedelta(seconds=60)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "packdesk.db"


class MovedMeanwhile(FakeCarrier):
    """A carrier during whose answer another station moves the order on."""

    def __init__(self) -> None:
        super().__init__()
        self.store: SqliteStore | None = None
        self.move_to: tuple[StationState, StationState] | None = None

    def _move(self, order_id: str) -> None:
        if self.store is not None and self.move_to is not None:
            before, after = self.move_to
            self.store.station.apply(
                Transition(order_id=order_id, from_state=before, to_state=after,
                           actor="CA-2", at=T0)
            )  # fmt: skip
            self.move_to = None

    def download_label(self, label_url: str) -> bytes:
        self._move("gid://shopify/Order/1001")
        return super().download_label(label_url)

    def refund(self, transaction_id: str) -> RefundResult:
        self._move("gid://shopify/Order/1001")
        return super().refund(transaction_id)


def test_buy_stores_label_moves_to_labeled_and_queues_effects(db: Path) -> None:
    carrier = FakeCarrier()
    store, _shipping, labels, bus = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)

    purchase = labels.buy(order.id, actor="maya")

    assert purchase.state is PurchaseState.BOUGHT
    assert purchase.key == "order:1001:pkg:1:try:1"
    assert purchase.carrier == "USPS"
    assert purchase.service_name == "Ground Advantage"
    assert purchase.fee == labels.config.label_fee
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
    label = store.labels.file(purchase.key)
    assert label is not None
    assert label.format == "ZPLII"
    assert label.data.startswith(b"%PDF")
    outbox = store.database.query("SELECT kind, dedupe_key FROM outbox")
    assert {r["kind"] for r in outbox} == {"fulfillment", "email"}
    jobs = store.database.query("SELECT printer, document FROM print_jobs")
    assert [dict(j) for j in jobs] == [{"printer": "zebra", "document": "1001-label.zpl"}]
    assert bus.events[-1].to_state is S.LABELED  # type: ignore[attr-defined]
    assert len(carrier.live()) == 1


@pytest.mark.parametrize(
    ("fault", "unclear"),
    [("commit_then_drop", True), ("drop", True), ("5xx", True), ("429", False)],
)
def test_lost_answer_leaves_label_pending_then_retry_buys_once(
    db: Path, fault: str, unclear: bool
) -> None:
    carrier = FakeCarrier()
    store, _shipping, labels, _bus = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.faults = [fault]

    with pytest.raises(LabelPending) as raised:
        labels.buy(order.id, actor="maya")
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.PACKED
    assert station.reason.startswith("label pending")
    [row] = store.labels.for_order(order.id)
    assert row.state is PurchaseState.PENDING
    if unclear:
        assert str(raised.value).startswith("The label of #1001 may have been bought")
        at = clock_time(T0 + GRACE)
        assert f"checks with Shippo at {at} before buying anything again" in str(raised.value)
        assert f"checking with Shippo at {at}" in station.reason
    else:  # a 429 bought nothing, for sure
        assert "Shippo is unreachable" in str(raised.value)

    if fault == "commit_then_drop":  # a look-up finds it at once
        assert labels.retry_pending() == ["#1001"]
    elif unclear:  # nothing found yet, but Shippo may still be making it: nothing is sent
        assert labels.retry_pending() == []
        assert carrier.buy_calls == 1
        labels.clock.at += GRACE  # type: ignore[attr-defined]
        assert labels.retry_pending() == ["#1001"]
        assert carrier.buy_calls == 2
    else:
        assert labels.retry_pending() == ["#1001"]
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
    assert len(carrier.live()) == 1
    assert [p.state for p in store.labels.for_order(order.id)] == [PurchaseState.BOUGHT]


def test_crash_between_purchase_and_store_is_reconciled_after_restart(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.faults = ["crash"]
    with pytest.raises(Crash):
        labels.buy(order.id, actor="maya")
    store.close()

    store2, _s2, labels2, _b2 = services(db, carrier)  # the restart
    assert labels2.reconcile_all() == 1
    assert store2.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
    [purchase] = store2.labels.for_order(order.id)
    assert purchase.state is PurchaseState.BOUGHT
    assert store2.labels.file(purchase.key) is not None
    assert carrier.buy_calls == 1


def test_unreachable_carrier_keeps_order_packed(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.unreachable = True
    with pytest.raises(LabelPending):
        labels.buy(order.id, actor="maya")
    assert labels.retry_pending() == []
    carrier.unreachable = False
    assert labels.retry_pending() == ["#1001"]
    assert len(carrier.live()) == 1


def test_carrier_refusal_puts_order_in_error_with_the_reason(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.faults = ["refuse"]
    with pytest.raises(
        LabelRefused, match="Shippo refused the label of #1001: the rate has expired"
    ):
        labels.buy(order.id, actor="maya")
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.ERROR
    assert "rate has expired" in station.reason
    assert [p.state for p in store.labels.for_order(order.id)] == [PurchaseState.FAILED]
    # Buying again from ERROR is attempt 2 and works.
    purchase = labels.buy(order.id, actor="maya")
    assert purchase.attempt == 2
    assert purchase.state is PurchaseState.BOUGHT
    assert len(carrier.live()) == 1


def test_void_refunds_and_new_label_is_attempt_two(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    first = labels.buy(order.id, actor="maya")
    with pytest.raises(ShippingProblem, match="has a label already"):
        labels.buy(order.id, actor="maya")

    [voided] = labels.void(order.id, "wrong box", actor="maya")
    assert voided.state is PurchaseState.VOIDED
    assert carrier.refunds == [first.transaction_id]
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.PACKED
    assert station.reason == "label voided: wrong box"
    dead = store.database.scalar("SELECT state FROM outbox WHERE kind = 'fulfillment'")
    assert dead == "DEAD"  # the voided tracking number never reaches Shopify

    second = labels.buy(order.id, actor="maya")
    assert second.key == "order:1001:pkg:1:try:2"
    assert len(carrier.live()) == 1


def test_a_bought_label_is_stored_only_together_with_the_move_to_labeled(db: Path) -> None:
    carrier = MovedMeanwhile()
    store, _s, labels, _b = services(db, carrier)
    carrier.store = store
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.move_to = (S.PACKED, S.ON_HOLD)  # held at another station while Shippo answers
    with pytest.raises(ShippingProblem, match="#1001 is bought, but the order is ON_HOLD now"):
        labels.buy(order.id, actor="maya")
    [purchase] = store.labels.for_order(order.id)
    assert purchase.state is PurchaseState.PENDING  # reconciled by its transaction id later
    assert purchase.transaction_id == carrier.transactions[0].transaction_id
    assert store.labels.file(purchase.key) is None
    assert store.outbox.items() == []
    assert store.print_jobs.queued() == []
    assert store.station.get(order.id).state is S.ON_HOLD  # type: ignore[union-attr]


def test_a_void_is_stored_only_together_with_the_move_back_to_packed(db: Path) -> None:
    carrier = MovedMeanwhile()
    store, _s, labels, _b = services(db, carrier)
    carrier.store = store
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    labels.buy(order.id, actor="maya")
    carrier.move_to = (S.LABELED, S.PRINTED)  # the label printed while Shippo refunded it
    with pytest.raises(StaleState):
        labels.void(order.id, "wrong box", actor="maya")
    assert [p.state for p in store.labels.for_order(order.id)] == [PurchaseState.BOUGHT]
    fulfillment = next(i for i in store.outbox.items() if i.kind == "fulfillment")
    assert fulfillment.state is OutboxState.PENDING  # not withdrawn
    assert store.station.get(order.id).state is S.PRINTED  # type: ignore[union-attr]


def test_void_refused_keeps_label_and_state(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    purchase = labels.buy(order.id, actor="maya")
    carrier.refunds.append(purchase.transaction_id)  # Shippo thinks it is refunded already
    with pytest.raises(ShippingProblem, match=r"refused to refund the label .* stays live"):
        labels.void(order.id, "customer changed address", actor="maya")
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
    assert store.labels.for_order(order.id)[0].state is PurchaseState.BOUGHT


def test_void_needs_a_reason_and_a_label(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    with pytest.raises(ShippingProblem, match="why"):
        labels.void(order.id, " ", actor="maya")
    with pytest.raises(ShippingProblem, match="only a LABELED or PRINTED"):
        labels.void(order.id, "oops", actor="maya")


def test_heavy_order_ships_in_two_packages_each_once(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order(quantity=3, sku="BM-BIG-01", variant="V2")
    add_order(store, order, S.PACKED)
    carrier.faults = ["", "commit_then_drop"]
    with pytest.raises(LabelPending):
        labels.buy(order.id, actor="maya")
    assert store.station.get(order.id).state is S.PACKED  # type: ignore[union-attr]
    labels.buy(order.id, actor="maya")
    purchases = store.labels.for_order(order.id)
    assert [p.package_no for p in purchases] == [1, 2, 3]
    assert all(p.state is PurchaseState.BOUGHT for p in purchases)
    assert len(carrier.live()) == 3
    docs = [r["document"] for r in store.database.query("SELECT document FROM print_jobs")]
    assert docs == ["1001-label-p1.zpl", "1001-label-p2.zpl", "1001-label-p3.zpl"]


def test_ship_packs_an_unscanned_order(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.READY)
    with pytest.raises(ShippingProblem, match="once it is PACKED"):
        labels.buy(order.id, actor="cli")
    labels.buy(order.id, actor="cli", mark_packed=True, box="M", weight_g=900)
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
    [parcel] = store.shipments.packages(order.id)
    assert parcel.box == "M"
    assert parcel.weight_g == 900


def test_randomized_faults_and_restarts_never_buy_twice(db: Path) -> None:
    """300 orders, random faults on each attempt and random restarts: one live label each."""
    rng = random.Random(5)
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    orders = [make_order(2000 + n) for n in range(300)]
    for order in orders:
        add_order(store, order, S.PACKED)
    kinds = ["", "", "commit_then_drop", "drop", "5xx", "429", "crash"]
    waits = [timedelta(0), timedelta(seconds=20), GRACE]
    for order in orders:
        for _ in range(20):
            carrier.faults = [rng.choice(kinds)]
            try:
                labels.buy(order.id, actor="test")
                break
            except LabelPending:  # time passes before the next try: less than the grace, or more
                labels.clock.at += rng.choice(waits)  # type: ignore[attr-defined]
                continue
            except Crash:
                now = labels.clock.at  # type: ignore[attr-defined]
                store.close()
                store, _s, labels, _b = services(db, carrier)
                labels.clock.at = now  # type: ignore[attr-defined]
                carrier.faults = []
                labels.reconcile_all()
                station = store.station.get(order.id)
                if station is not None and station.state is S.LABELED:
                    break
        station = store.station.get(order.id)
        if station is not None and station.state is S.PACKED:
            carrier.faults = []
            labels.clock.at += GRACE  # type: ignore[attr-defined]
            labels.buy(order.id, actor="test")
    for order in orders:
        assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
        keys = {t.metadata for t in carrier.live(f"order:{order.number}:")}
        assert len(carrier.live(f"order:{order.number}:")) == 1, order.name
        assert {p.key for p in store.labels.for_order(order.id)} >= keys


def test_tracking_waits_for_every_parcel(db: Path) -> None:
    from datetime import datetime

    from packdesk.domain.models import Order, Transition
    from packdesk.services.tracking import TrackingService

    from .fakes import T0

    carrier = FakeCarrier()
    store, shipping, labels, bus = services(db, carrier)
    seed_catalog(store)
    order = make_order(quantity=3, sku="BM-BIG-01", variant="V2")  # three packages
    add_order(store, order, S.PACKED)
    labels.buy(order.id, actor="maya")
    store.station.apply(
        Transition(
            order_id=order.id, from_state=S.LABELED, to_state=S.FULFILLED, actor="outbox", at=T0
        )
    )
    planned: list[tuple[str, object]] = []

    class FollowUps:
        def schedule_followups(self, order: Order, delivered_at: datetime) -> bool:
            planned.append((order.name, delivered_at))
            return True

    tracking = TrackingService(shipping, FollowUps())
    first, *rest = [p.tracking_number for p in store.labels.for_order(order.id)]
    carrier.tracking[first] = "DELIVERED"
    assert tracking.refresh_tracking() == []
    for number in rest:
        carrier.tracking[number] = "DELIVERED"
    assert tracking.refresh_tracking() == ["#1001"]
    assert planned == [("#1001", T0)]  # the carrier's date
    assert store.station.get(order.id).state is S.DELIVERED  # type: ignore[union-attr]
    assert bus.events[-1].to_state is S.DELIVERED  # type: ignore[attr-defined]


def test_two_processes_on_one_database_never_send_the_same_purchase(db: Path) -> None:
    from datetime import timedelta

    from .fakes import T0

    carrier = FakeCarrier()
    store_a, _sa, labels_a, _ba = services(db, carrier)
    seed_catalog(store_a)
    order = make_order()
    add_order(store_a, order, S.PACKED)
    store_b, _sb, labels_b, _bb = services(db, carrier)  # the daemon beside the TUI
    seen: list[str] = []
    real_buy = carrier.buy_label

    def buy_while_b_tries(rate_id: str, label_format: str, key: str) -> object:
        with pytest.raises(LabelPending, match="another packdesk process"):
            labels_b.buy(order.id, actor="daemon")
        assert labels_b.reconcile_all() == 0
        seen.append(key)
        return real_buy(rate_id, label_format, key)

    carrier.buy_label = buy_while_b_tries  # type: ignore[method-assign,assignment]
    labels_a.buy(order.id, actor="maya")
    assert seen == ["order:1001:pkg:1:try:1"]
    assert carrier.buy_calls == 1  # B never reached Shippo
    assert len(carrier.live()) == 1

    # A claim of a process that died lapses: the purchase is settled after CLAIM.
    other = make_order(1002)
    add_order(store_a, other, S.PACKED)
    carrier.buy_label = real_buy  # type: ignore[method-assign]
    carrier.faults = ["commit_then_drop"]
    with pytest.raises(LabelPending):
        labels_a.buy(other.id, actor="maya")
    [pending] = store_a.labels.for_order(other.id)
    assert store_a.labels.claim(pending.key, "dead", now=T0, until=T0 + timedelta(minutes=2))
    with pytest.raises(LabelPending, match="another packdesk process"):
        labels_b.buy(other.id, actor="daemon")
    labels_b.clock.at = T0 + timedelta(minutes=3)  # type: ignore[attr-defined]
    labels_b.buy(other.id, actor="daemon")
    assert len(carrier.live("order:1002:")) == 1
    assert store_b.station.get(other.id).state is S.LABELED  # type: ignore[union-attr]


def test_retry_from_error_while_shippo_is_away_is_finished_in_the_background(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.faults = ["refuse"]
    with pytest.raises(LabelRefused):
        labels.buy(order.id, actor="maya")
    carrier.unreachable = True
    with pytest.raises(LabelPending):
        labels.buy(order.id, actor="maya")  # the packer's retry, Shippo away
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.PACKED
    assert station.reason.startswith("label pending")
    carrier.unreachable = False
    assert labels.retry_pending() == ["#1001"]
    assert len(carrier.live()) == 1
