"""Who may work on a purchase: claims born with the row, taken over at once from a process
that is provably gone, waited for while their holder may live, and lost races that end in
a sentence; against a fake carrier and a real SQLite file shared by two "processes"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import (
    LabelPurchase,
    Order,
    Parcel,
    PurchaseState,
    StationOrder,
    Transition,
)
from packdesk.domain.rating import RateChoice
from packdesk.domain.shipping import LabelResult, clock_time
from packdesk.domain.states import StationState
from packdesk.services.label_batch import buy_batch
from packdesk.services.labels import (
    AlreadyLabeled,
    LabelBusy,
    LabelPending,
    LabelService,
    LabelUnsettled,
)
from packdesk.services.owners import ProcessName, is_gone, new_process_name, this_host
from packdesk.services.purchases import CLAIM

from .fakes import T0, FakeCarrier
from .helpers import add_order, make_order, seed_catalog, services

S = StationState
GRACE = timedelta(seconds=61)
ORDER = "gid://shopify/Order/1001"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "packdesk.db"


@pytest.fixture
def live_pid() -> Iterator[int]:
    """A process of this host that runs for the whole test."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


def dead_pid() -> int:
    """The id of a process of this host that has ended (and was reaped)."""
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def left_unsettled(db: Path, carrier: FakeCarrier) -> tuple[SqliteStore, LabelService, str]:
    """Order #1001 whose purchase answer was lost (the label was bought): PACKED, its row
    PENDING and unclear, released by the process that sent it."""
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    carrier.faults = ["commit_then_drop"]
    with pytest.raises(LabelUnsettled):
        labels.buy(order.id, actor="maya")
    [row] = store.labels.for_order(order.id)
    assert (row.state, row.unclear, row.claimed_by) == (PurchaseState.PENDING, True, "")
    return store, labels, row.key


def test_process_names_say_where_the_holder_runs() -> None:
    mine = new_process_name()
    assert mine.host == this_host()
    assert mine.pid == os.getpid()
    assert ProcessName.parse(str(mine)) == mine
    assert mine.describe() == f"pid {os.getpid()}"
    elsewhere = ProcessName("wh-pa-2", 4242, "abc")
    assert elsewhere.describe() == "pid 4242 on wh-pa-2"
    for foreign in ("", "dead", "host/notapid/x", "host/12", "/12/x"):
        assert ProcessName.parse(foreign) is None


def test_only_a_holder_of_this_host_whose_process_ended_is_gone(live_pid: int) -> None:
    host = this_host()
    assert is_gone(ProcessName(host, dead_pid(), "a"))
    assert not is_gone(ProcessName(host, live_pid, "a"))
    assert not is_gone(ProcessName(host, os.getpid(), "another-holder-in-this-process"))
    assert not is_gone(ProcessName("another-host", dead_pid(), "a"))
    zombie = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    zombie.send_signal(signal.SIGKILL)
    try:
        os.waitid(os.P_PID, zombie.pid, os.WEXITED | os.WNOWAIT)  # ended, not reaped yet
        assert is_gone(ProcessName(host, zombie.pid, "a"))
    finally:
        zombie.wait()


def test_a_purchase_row_is_born_claimed_by_its_process(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    seen: list[str] = []
    real_buy = carrier.buy_label

    def buy(rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        row = store.labels.get(metadata_key)
        assert row is not None
        seen.append(row.claimed_by)
        assert row.sent_at == T0
        assert row.unclear  # until the answer says otherwise
        return real_buy(rate_id, label_format, metadata_key)

    carrier.buy_label = buy  # type: ignore[method-assign]
    labels.buy(order.id, actor="maya")
    assert seen == [labels.purchases.owner]
    assert labels.purchases.owner.startswith(f"{this_host()}/{os.getpid()}/")
    [row] = store.labels.for_order(order.id)
    assert (row.state, row.unclear, row.claimed_by) == (PurchaseState.BOUGHT, False, "")


def test_the_claim_of_a_process_that_is_gone_is_taken_over_at_once(db: Path) -> None:
    carrier = FakeCarrier()
    store, _labels, key = left_unsettled(db, carrier)
    pid = dead_pid()
    gone = str(ProcessName(this_host(), pid, "killed"))
    assert store.labels.claim(key, gone, now=T0, until=T0 + CLAIM)

    _store_b, _s, next_ship, _b = services(db, carrier)  # `packdesk ship` again, at once
    next_ship.buy(ORDER, actor="cli")
    assert store.station.get(ORDER).state is S.LABELED  # type: ignore[union-attr]
    assert carrier.buy_calls == 1  # the dead process's purchase, found by its key
    assert len(carrier.live()) == 1
    [taken] = [e for e in store.station.history(ORDER) if e.actor == "label-claim"]
    assert taken.reason == (
        f"label purchase {key} taken over from a packdesk process that ended (pid {pid}); "
        "what it sent is looked up before anything else"
    )


def test_the_claim_of_a_live_process_is_waited_for_and_named(db: Path, live_pid: int) -> None:
    carrier = FakeCarrier()
    store, labels, key = left_unsettled(db, carrier)
    holder = str(ProcessName(this_host(), live_pid, "batch"))
    assert store.labels.claim(key, holder, now=T0, until=T0 + CLAIM)
    with pytest.raises(LabelBusy) as busy:
        labels.buy("gid://shopify/Order/1001", actor="cli")
    assert (
        str(busy.value) == f"#1001 is being shipped by another packdesk process (pid {live_pid})."
    )
    assert carrier.buy_calls == 1
    labels.clock.at = T0 + CLAIM  # type: ignore[attr-defined]
    labels.buy("gid://shopify/Order/1001", actor="cli")  # a holder that stopped renewing
    assert len(carrier.live()) == 1


def test_a_holder_on_another_host_is_never_taken_for_gone(db: Path) -> None:
    carrier = FakeCarrier()
    store, labels, key = left_unsettled(db, carrier)
    holder = str(ProcessName("wh-pa-2", dead_pid(), "x"))
    assert store.labels.claim(key, holder, now=T0, until=T0 + CLAIM)
    with pytest.raises(LabelBusy) as busy:
        labels.buy("gid://shopify/Order/1001", actor="cli")
    pid = holder.split("/")[1]
    assert str(busy.value) == (
        f"#1001 is being shipped by another packdesk process (pid {pid} on wh-pa-2); if "
        f"that process is gone, its claim lapses at {clock_time(T0 + CLAIM)}."
    )


def test_a_row_another_process_inserted_after_this_one_read_is_not_bought_again(
    db: Path,
) -> None:
    """This process reads "no purchase yet"; before its insert, the other inserts the row
    (claimed) and is about to send. This one sends nothing and names the other process."""
    carrier = FakeCarrier()
    store, _s, late, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    _store_b, _s2, first, _b2 = services(db, carrier)
    real_add = store.labels.add

    def add_after_the_other(purchase: LabelPurchase) -> None:
        first.purchases.new(order, purchase.package_no, purchase.attempt)
        store.labels.add = real_add  # type: ignore[method-assign]
        real_add(purchase)

    store.labels.add = add_after_the_other  # type: ignore[method-assign]
    with pytest.raises(LabelBusy) as busy:
        late.buy(order.id, actor="cli")
    assert str(busy.value) == (
        f"#1001 is being shipped by another packdesk process (pid {os.getpid()})."
    )
    assert carrier.buy_calls == 0
    [row] = store.labels.for_order(order.id)
    assert (row.claimed_by, row.sent_at) == (first.purchases.owner, None)

    first.buy(order.id, actor="batch")  # the other process goes on with its purchase
    assert carrier.buy_calls == 1
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]


def test_a_process_whose_claim_was_taken_before_its_request_sends_nothing(db: Path) -> None:
    """The process stalls (choosing the rate) past its claim's end; the other process
    takes the purchase over meanwhile. The stalled one's request never goes out."""
    carrier = FakeCarrier()
    store, shipping, slow, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    _store_b, _s2, other, _b2 = services(db, carrier)
    real_rate_for = shipping.rate_for

    def rate_for_after_a_stall(order: Order, parcel: Parcel) -> RateChoice:
        [row] = store.labels.for_order(order.id)
        later = T0 + CLAIM
        assert store.labels.claim(row.key, other.purchases.owner, now=later, until=later + CLAIM)
        return real_rate_for(order, parcel)

    shipping.rate_for = rate_for_after_a_stall  # type: ignore[method-assign]
    with pytest.raises(LabelBusy, match=rf"pid {os.getpid()}\)\.$"):
        slow.buy(order.id, actor="maya")
    assert carrier.buy_calls == 0
    [row] = store.labels.for_order(order.id)
    assert (row.claimed_by, row.sent_at, row.unclear) == (other.purchases.owner, None, False)

    other.clock.at = T0 + CLAIM  # type: ignore[attr-defined]
    other.buy(order.id, actor="daemon")
    assert carrier.buy_calls == 1
    assert len(carrier.live()) == 1


def test_a_process_that_lost_its_claim_while_its_request_was_out_stores_nothing(
    db: Path,
) -> None:
    carrier = FakeCarrier()
    store, _s, slow, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    _store_b, _s2, other, _b2 = services(db, carrier)
    real_buy = carrier.buy_label

    def buy_while_the_claim_is_lost(
        rate_id: str, label_format: str, metadata_key: str
    ) -> LabelResult:
        result = real_buy(rate_id, label_format, metadata_key)
        # The slow process stalled past its claim; the other one took the purchase meanwhile.
        later = T0 + CLAIM
        assert store.labels.claim(
            metadata_key, other.purchases.owner, now=later, until=later + CLAIM
        )
        return result

    carrier.buy_label = buy_while_the_claim_is_lost  # type: ignore[method-assign]
    with pytest.raises(LabelBusy, match=rf"pid {os.getpid()}\)\.$"):
        slow.buy(order.id, actor="maya")
    [row] = store.labels.for_order(order.id)
    assert row.state is PurchaseState.PENDING
    assert row.transaction_id == ""  # the answer it got is not written
    assert store.labels.file(row.key) is None
    assert store.station.get(order.id).state is S.PACKED  # type: ignore[union-attr]

    carrier.buy_label = real_buy  # type: ignore[method-assign]
    other.clock.at = T0 + CLAIM  # type: ignore[attr-defined]
    other.buy(order.id, actor="daemon")  # its request is found by the key, not bought again
    assert carrier.buy_calls == 1
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]


def test_two_ships_packing_the_same_order_do_not_trip_over_each_other(db: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, labels, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.READY)
    real_move = shipping.move
    moved: list[StationState] = []

    def move_after_the_other(
        order: Order, current: StationOrder | None, to: StationState, *, actor: str, reason: str
    ) -> StationOrder:
        if not moved:  # the other process makes the same move first
            store.station.apply(
                Transition(
                    order_id=order.id,
                    from_state=current.state if current else None,
                    to_state=to,
                    actor="other",
                    at=T0,
                )
            )
        moved.append(to)
        return real_move(order, current, to, actor=actor, reason=reason)

    shipping.move = move_after_the_other  # type: ignore[method-assign]
    labels.buy(order.id, actor="cli", mark_packed=True)
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]
    assert len(carrier.live()) == 1


def test_the_background_job_skips_orders_it_cannot_settle_yet_and_buys_the_others(
    db: Path,
) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    unclear, waiting = make_order(1001), make_order(1002)
    for order in (unclear, waiting):
        add_order(store, order, S.PACKED)
    carrier.faults = ["drop"]  # nothing bought, but nobody can know that yet
    with pytest.raises(LabelUnsettled):
        labels.buy(unclear.id, actor="maya")
    carrier.unreachable = True
    with pytest.raises(LabelPending, match="Shippo is unreachable"):
        labels.buy(waiting.id, actor="maya")
    carrier.unreachable = False
    assert labels.retry_pending() == ["#1002"]
    labels.clock.at = T0 + GRACE  # type: ignore[attr-defined]
    assert labels.retry_pending() == ["#1001"]
    assert carrier.buy_calls == 3  # 1001 twice (the first bought nothing), 1002 once
    assert len(carrier.live()) == 2


def test_a_batch_counts_an_order_another_process_labeled_meanwhile(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    first, second = make_order(1001), make_order(1002)
    for order in (first, second):
        add_order(store, order, S.PACKED)
    _store_b, _s2, other, _b2 = services(db, carrier)
    real_buy = carrier.buy_label

    def buy_while_the_other_ships_1002(
        rate_id: str, label_format: str, metadata_key: str
    ) -> LabelResult:
        if metadata_key.startswith("order:1001:"):
            other.buy(second.id, actor="cli")
        return real_buy(rate_id, label_format, metadata_key)

    carrier.buy_label = buy_while_the_other_ships_1002  # type: ignore[method-assign]
    result = buy_batch(labels, [first, second], actor="batch", workers=1, sleep=lambda _: None)
    assert (result.bought, result.elsewhere, result.failed) == (["#1001"], ["#1002"], {})
    assert len(carrier.live()) == 2


def test_an_order_labeled_by_another_process_meanwhile_is_not_claimed_as_ours(db: Path) -> None:
    carrier = FakeCarrier()
    store, shipping, late, _b = services(db, carrier)
    seed_catalog(store)
    order = make_order()
    add_order(store, order, S.PACKED)
    _store_b, _s2, other, _b2 = services(db, carrier)
    real_packages = shipping.packages

    def packages_after_the_other_shipped(o: object) -> object:
        other.buy(order.id, actor="cli")  # finishes while this one was getting ready
        return real_packages(o)  # type: ignore[arg-type]

    shipping.packages = packages_after_the_other_shipped  # type: ignore[method-assign,assignment]
    with pytest.raises(AlreadyLabeled) as raised:
        late.buy(order.id, actor="maya")
    assert str(raised.value) == (
        "#1001 was labeled by another packdesk process meanwhile; nothing was bought here."
    )
    assert carrier.buy_calls == 1
    assert len(store.outbox.items()) == 2  # the other process's fulfillment and e-mail only
