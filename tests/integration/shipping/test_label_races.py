"""One label per package whatever runs at once, tried with real processes over HTTP.

Two `packdesk ship '#N'` at once, `ship` beside `ship --batch`, purchases Shippo finishes
after the client gave up (the sandbox's `late_commit_ms` with a short `shippo.timeout_s`),
and a `ship` killed with SIGKILL in the middle of its purchase. Trials are seeded and
randomized; after each, every transaction the sandbox holds is counted per order: exactly
one live label per package, the one the station stored, and any extra refunded and written
in the order's history.
"""

from __future__ import annotations

import random
import re
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from packdesk.bootstrap import Container
from packdesk.domain.models import PurchaseState
from packdesk.domain.states import StationState
from packdesk.jobs.tasks import sweep_labels
from packdesk.settings import load_settings

from .race_rig import Finished, Rig, make_rig, wait_for

S = StationState
GRACE_S = 6.0
BUSY = re.compile(r"^(#\d+) is being shipped by another packdesk process \(pid (\d+)\)\.$")
LABELED = re.compile(r"(#\d+) is (?:LABELED|PRINTED); the fulfillment is queued for Shopify")
LABELED_STATES = (S.LABELED, S.PRINTED)
"""Where `ship` leaves an order it bought the label of (PRINTED once its label printed)."""
NOT_HERE = re.compile(r"^#\d+ was labeled by another packdesk process meanwhile; nothing was")
UNSETTLED = re.compile(
    r"^The label of (#\d+) may have been bought \(.+\); packdesk checks with Shippo at "
    r"\d\d:\d\d:\d\d before buying anything again"
)


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from make_rig(tmp_path_factory.mktemp("races"), seed=13)


@pytest.fixture(scope="module")
def late_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """Shippo answers are waited for 1 s; a lost one is settled `GRACE_S` after its request
    (longer than a `packdesk ship` takes to start again, so that a `ship` tried again at
    once looks up the key within the grace period)."""
    yield from make_rig(
        tmp_path_factory.mktemp("late"), seed=17, shippo={"timeout_s": 1.0, "grace_s": GRACE_S}
    )


UNREACHABLE = re.compile(
    r"^Shippo is unreachable \(Shippo timed out during .+\); the label of (#\d+) is pending"
)
FAILED_LINE = re.compile(r"^\[\d+/\d+\] FAIL (#\d+) (.+)$")


def understood(run: Finished) -> bool:
    """Whether a command that did not ship everything said why in one of the protocol's
    sentences (a batch: on each FAIL line)."""
    said = [m.group(2) for m in map(FAILED_LINE.match, run.out.splitlines()) if m]
    if not said:
        said = [run.err.strip()]
    return all(
        BUSY.match(text)
        or UNSETTLED.match(text)
        or UNREACHABLE.match(text)
        or "has a label already" in text
        or NOT_HERE.match(text)
        for text in said
    )


def state(rig: Rig, name: str) -> StationState | None:
    order = rig.order(name)
    with rig.store() as store:
        station = store.station.get(order.id)
    return station.state if station else None


def no_traceback(*runs: Finished) -> None:
    for run in runs:
        assert "Traceback" not in run.said, run.said


def one_live_label_each(rig: Rig, names: list[str], trial: str = "") -> dict[str, int]:
    """Check every order: LABELED (or PRINTED), one live label per package (the stored one), and every
    other transaction refunded as an extra with a line in its history. Returns the extras
    per order; prints the trial's count (`pytest -rP` shows it)."""
    sold = rig.sold(names)
    bought = sum(len(transactions) for transactions in sold.values())
    extras: dict[str, int] = {}
    for name in names:
        order = rig.order(name)
        with rig.store() as store:
            station = store.station.get(order.id)
            purchases = store.labels.for_order(order.id)
            found = store.labels.extras(order.id)
            history = store.station.history(order.id)
        assert station is not None
        assert station.state in LABELED_STATES, (name, station.reason)
        kept = [p for p in purchases if p.state is PurchaseState.BOUGHT]
        assert [p.package_no for p in kept] == [1], name  # one package, one label
        live = [t for t in sold[name] if t["status"] == "SUCCESS"]
        assert [t["object_id"] for t in live] == [kept[0].transaction_id], name
        others = {t["object_id"] for t in sold[name]} - {kept[0].transaction_id}
        refunded = {e.transaction_id for e in found if e.refunded_at is not None}
        assert others == refunded, name
        for extra in found:
            assert any(
                e.actor == "label-sweep" and extra.tracking_number in e.reason for e in history
            ), (name, extra)
        extras[name] = len(found)
    if trial:
        print(
            f"{trial}: {len(names)} orders, {bought} labels bought at Shippo, "
            f"{sum(extras.values())} extra refunded, 0 with two live labels"
        )
    return extras


def two_ships(rig: Rig, seed: int, count: int) -> int:
    """`count` orders, each shipped by two processes started together (by name, and by
    number); the purchase is slowed (a random 1.5–2.5 s) so that both are inside it at once.
    Returns how many losers were stopped by the winner's claim (the others came after the
    winner was done)."""
    rng = random.Random(seed)
    names = rig.new_orders(count)
    races = 0
    for name in names:
        rig.faults({"shippo.transactions": {"latency_ms": rng.randrange(1500, 2500)}})
        first = rig.start("ship", name)
        time.sleep(rng.random() * 0.2)  # a random head start for the first
        second = rig.start("ship", name.lstrip("#"))
        runs = [rig.finish(first), rig.finish(second)]
        no_traceback(*runs)
        won = [r for r in runs if r.code == 0]
        assert len(won) == 1, runs
        assert LABELED.search(won[0].out), won[0]
        [lost] = [r for r in runs if r.code != 0]
        busy = BUSY.match(lost.err.strip())
        if busy:
            races += 1
            assert busy.group(1) == name
            assert int(busy.group(2)) == won[0].pid  # the process that has the order
        else:
            assert "has a label already" in lost.err or NOT_HERE.match(lost.err), lost
    rig.faults({})
    trial = f"two ships at once, seed {seed} ({races} met inside the purchase)"
    assert one_live_label_each(rig, names, trial) == dict.fromkeys(names, 0)  # no double buy
    return races


def test_two_ship_commands_at_once_buy_one_label_and_the_loser_says_who_won(rig: Rig) -> None:
    assert two_ships(rig, seed=1301, count=3) >= 1  # the processes did meet inside the purchase


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1306, 1307])
def test_randomized_trials_of_two_ship_commands_at_once(rig: Rig, seed: int) -> None:
    two_ships(rig, seed=seed, count=4)


def ship_beside_batch(rig: Rig, seed: int, count: int) -> dict[str, int]:
    """A `ship --batch` over `count` orders (shuffled) while single `ship` commands for a
    random half of them run two at a time; returns the extras per order."""
    rng = random.Random(seed)
    names = rig.new_orders(count)
    rig.faults({"shippo.transactions": {"latency_ms": rng.randrange(200, 700)}})
    batch = rig.start("ship", "--batch", ",".join(rng.sample(names, len(names))))
    singles: dict[str, Finished] = {}
    pending = rng.sample(names, count // 2)
    while pending:
        two = [pending.pop() for _ in range(min(2, len(pending)))]
        started = {name: rig.start("ship", name) for name in two}
        singles |= {name: rig.finish(process) for name, process in started.items()}
    batched = rig.finish(batch)
    rig.faults({})
    no_traceback(batched, *singles.values())
    for run in singles.values():
        busy = BUSY.match(run.err.strip())
        assert (
            run.code == 0
            or (busy is not None and int(busy.group(2)) == batched.pid)
            or "has a label already" in run.err
            or NOT_HERE.match(run.err)
        ), run
    failed = {m[1]: m[2] for m in map(FAILED_LINE.match, batched.out.splitlines()) if m}
    for name, why in failed.items():  # a single `ship` had labeled it before the batch began
        assert "has a label already" in why, (name, why)
        assert singles[name].code == 0, (name, why)
    assert batched.code == (1 if failed else 0), batched.said
    return one_live_label_each(rig, names, f"ship beside ship --batch, seed {seed}")


def test_ship_beside_ship_batch_buys_one_label_per_order(rig: Rig) -> None:
    assert set(ship_beside_batch(rig, seed=1302, count=6).values()) == {0}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1303, 1304, 1305])
def test_randomized_trials_of_ship_beside_ship_batch(rig: Rig, seed: int) -> None:
    assert set(ship_beside_batch(rig, seed=seed, count=10).values()) == {0}


def late_completions(rig: Rig, seed: int, count: int, hold_ms: int) -> dict[str, int]:
    """Half the requests to Shippo's transactions are held `hold_ms` and processed anyway
    (the client waits 1 s), while a batch and single `ship` commands buy `count` labels;
    then (as a person would) `ship` again until each order is labeled, and the sweeper
    runs. Returns the extras per order."""
    rng = random.Random(seed)
    names = rig.new_orders(count)
    rig.faults({"shippo.transactions": {"late_commit_ms": hold_ms, "late_commit_rate": 0.5}})
    batch = rig.start("ship", "--batch", ",".join(rng.sample(names, len(names))))
    runs = [rig.run("ship", name) for name in rng.sample(names, count // 2)]
    runs.append(rig.finish(batch))
    for _ in range(20):
        left = [n for n in names if state(rig, n) not in LABELED_STATES]
        if not left:
            break
        time.sleep(1.0)  # a person trying again a moment later
        runs += [rig.run("ship", name) for name in left]
    ended = time.monotonic()
    no_traceback(*runs)
    for run in runs:
        assert run.code == 0 or understood(run), run
    # Every held request is processed `hold_ms` after it was read, before its client ended.
    wait_for(lambda: time.monotonic() > ended + hold_ms / 1000 + 0.5, "held purchases")
    rig.faults({})
    with Container(load_settings(rig.config)) as container:
        sweep_labels(container.labels)  # the job the TUI and the daemon schedule
    return one_live_label_each(rig, names, f"late completions held {hold_ms} ms, seed {seed}")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "hold_ms"), [(1311, 4000), (1312, 5000)])
def test_late_completions_within_the_grace_period_are_found_not_bought_again(
    late_rig: Rig, seed: int, hold_ms: int
) -> None:
    assert set(late_completions(late_rig, seed, count=6, hold_ms=hold_ms).values()) == {0}


@pytest.mark.slow
def test_randomized_trial_of_completions_later_than_the_grace_period(late_rig: Rig) -> None:
    """Shippo slower than the grace period: a look-up finds nothing, the label is bought
    again, and the late one is an extra the sweeper refunds (how many depends on timing)."""
    extras = late_completions(late_rig, 1313, count=6, hold_ms=int(GRACE_S * 1000) + 2000)
    assert all(n <= 2 for n in extras.values())


def test_a_killed_ship_leaves_its_claim_to_the_next_ship_at_once(late_rig: Rig) -> None:
    """`ship` is killed with SIGKILL while its purchase is at Shippo (held 2 s, answered
    by then); the next `ship` takes the claim over at once instead of refusing the order."""
    [name] = late_rig.new_orders(1)
    late_rig.faults({"shippo.transactions": {"late_commit_ms": 2000}})
    killed = late_rig.start("ship", name)
    wait_for(
        lambda: any(p.sent_at is not None for p in late_rig.purchases(name)),
        "the purchase request to go out",
    )
    time.sleep(0.3)  # the request goes out right after the row records it
    killed.send_signal(signal.SIGKILL)
    assert killed.wait(timeout=30) == -signal.SIGKILL
    late_rig.faults({})
    [row] = late_rig.purchases(name)
    assert row.state is PurchaseState.PENDING
    assert f"/{killed.pid}/" in row.claimed_by  # still claimed by the dead process

    after = late_rig.run("ship", name)
    no_traceback(after)
    assert after.code == 0 or UNSETTLED.match(after.err), after  # never "being shipped by"
    with late_rig.store() as store:
        history = store.station.history(row.order_id)
    assert any(
        e.actor == "label-claim" and f"a packdesk process that ended (pid {killed.pid})" in e.reason
        for e in history
    )
    if after.code != 0:
        assert row.sent_at is not None
        settle_at = row.sent_at + timedelta(seconds=GRACE_S)
        wait_for(lambda: datetime.now(UTC) > settle_at, "the end of the grace period")
        after = late_rig.run("ship", name)
        no_traceback(after)
    assert LABELED.search(after.out)
    assert one_live_label_each(late_rig, [name]) == {name: 0}
    [bought] = late_rig.purchases(name)
    assert bought.transaction_id == late_rig.sold([name])[name][0]["object_id"]  # the dead one's
