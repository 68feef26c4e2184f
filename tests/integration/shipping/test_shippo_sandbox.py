"""The Shippo adapter and the label protocol over real HTTP against the sandbox.

The exactly-once proof: 1,000 trials with commit-then-drop, dropped connections, 5xx and 429
faults on Shippo's transactions, and process restarts between a purchase and its storage;
the sandbox's own record of every transaction (`GET /control/shippo/transactions`) then
shows one live label per package and no purchase without its row.
"""

from __future__ import annotations

import contextlib
import random
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.adapters.shippo import ShippoCarrier
from packdesk.domain.models import Address, PurchaseState
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable, LabelResult
from packdesk.domain.states import StationState
from packdesk.services.labels import LabelPending, LabelRefused, LabelUnsettled

from .fakes import Crash
from .helpers import add_order, make_order, seed_catalog, services

pytest.importorskip(
    "packdesk.sandbox.server", reason="the sandbox (sandbox-core) is not in this build yet"
)

S = StationState
TRIALS = 1000
STATIONS = 4
WAITS = (timedelta(0), timedelta(seconds=30), timedelta(seconds=61))
"""Station time passing between tries: within the grace period after a lost answer, or past it."""


@pytest.fixture
def carrier(sandbox: Any) -> ShippoCarrier:
    return ShippoCarrier(sandbox.shippo_token, endpoint=sandbox.shippo_url, timeout_s=10)


@pytest.fixture
def control(sandbox: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.control_url, timeout=10) as client:
        yield client


def base_number() -> int:
    """Order numbers no other test of the session uses (the sandbox outlives tests)."""
    return random.randrange(10**6, 10**9) * 10_000


class CrashAfterBuy:
    """The real carrier, but the process dies right after Shippo sold the label."""

    def __init__(self, inner: ShippoCarrier) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        self.inner.buy_label(rate_id, label_format, metadata_key)
        raise Crash()


def test_address_check_rates_label_void_over_http(
    tmp_path: Path, carrier: ShippoCarrier, control: httpx.Client
) -> None:
    store, shipping, labels, _bus = services(tmp_path / "a.db", carrier, kind="zpl")
    seed_catalog(store)
    n = base_number()
    bad = make_order(
        n + 1,
        address=Address(
            name="Ann Lee",
            address1="9 Palm Dr",
            city="Beverly Hills",
            province_code="CA",
            zip="9021",
            country_code="US",
        ),
    )
    good = make_order(n + 2, shipping="Express")
    for order in (bad, good):
        add_order(store, order, S.NEW)
    assert shipping.refresh_queue() == 2

    held = store.station.get(bad.id)
    assert held is not None
    assert held.state is S.ON_HOLD
    assert held.reason.startswith(f"Shippo refused the address of {bad.name}: The postal code")
    assert "'9021'" in held.reason
    assert held.reason.endswith("edit the address in Shopify, then release the order.")

    ready = store.station.get(good.id)
    assert ready is not None
    assert ready.state is S.READY
    assert "cheapest within 2 days" in ready.reason

    add_order(store, good)  # still READY; ship it headless
    purchase = labels.buy(good.id, actor="test", mark_packed=True)
    assert purchase.state is PurchaseState.BOUGHT
    label = store.labels.file(purchase.key)
    assert label is not None
    assert label.data.lstrip().startswith(b"^XA")  # ZPL for a zpl printer
    sold = [t for t in control.get("/shippo/transactions").json() if t["metadata"] == purchase.key]
    assert [t["object_id"] for t in sold] == [purchase.transaction_id]

    labels.void(good.id, "wrong box", actor="test")
    sold = [t for t in control.get("/shippo/transactions").json() if t["metadata"] == purchase.key]
    assert sold[0]["status"] == "REFUNDED"
    again = labels.buy(good.id, actor="test")
    assert again.attempt == 2
    with pytest.raises(CarrierRefused, match="cannot be refunded"):
        carrier.refund(purchase.transaction_id)  # Shippo's own words come through


def test_a_refused_connection_bought_nothing_and_a_timeout_may_have(
    tmp_path: Path, sandbox: Any, control: httpx.Client
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    nowhere = ShippoCarrier(sandbox.shippo_token, endpoint=f"http://127.0.0.1:{port}/shippo")
    with pytest.raises(CarrierUnavailable) as refused:
        nowhere.buy_label("rate_1", "PDF_4x6", "order:1:pkg:1:try:1")
    assert refused.value.sent is False

    impatient = ShippoCarrier(sandbox.shippo_token, endpoint=sandbox.shippo_url, timeout_s=0.5)
    store, shipping, _labels, _bus = services(tmp_path / "t.db", impatient)
    seed_catalog(store)
    order = make_order(base_number() + 1)
    add_order(store, order, S.NEW)
    [parcel] = shipping.packages(order)
    rate = shipping.fetch_rates(order, parcel).rate
    assert rate is not None
    since = datetime.now(UTC) - timedelta(minutes=1)
    key = f"order:{order.number}:pkg:1:try:1"
    control.put("/faults", json={"shippo.transactions": {"late_commit_ms": 1500}})
    with pytest.raises(CarrierUnavailable, match="timed out") as timed_out:
        impatient.buy_label(rate.id, "PDF_4x6", key)
    assert timed_out.value.sent is True
    control.delete("/faults")
    deadline = time.monotonic() + 30
    while not [t for t in impatient.list_transactions(since=since) if t.metadata == key]:
        assert time.monotonic() < deadline, "the held purchase never showed up"
        time.sleep(0.1)
    [made] = impatient.find_transactions_by_key(key, rate_id=rate.id, since=since)
    assert made.bought


@pytest.mark.slow
def test_a_completion_later_than_the_grace_period_is_refunded_by_the_sweeper(
    tmp_path: Path, sandbox: Any, control: httpx.Client
) -> None:
    """Shippo holds the purchase 10 s and makes it anyway; the client gave up after 0.5 s.
    Within the grace period nothing is bought; after it the key is looked up, nothing is
    there yet, and the label is bought again; the held purchase lands later and the sweeper
    refunds it, with a line in the order's history."""
    impatient = ShippoCarrier(sandbox.shippo_token, endpoint=sandbox.shippo_url, timeout_s=0.5)
    store, _shipping, labels, _bus = services(tmp_path / "late.db", impatient)
    labels.clock.at = datetime.now(UTC)  # type: ignore[attr-defined]  # Shippo's own time
    seed_catalog(store)
    order = make_order(base_number() + 1)
    add_order(store, order, S.PACKED)
    control.put("/faults", json={"shippo.transactions": {"late_commit_ms": 10_000}})
    with pytest.raises(LabelUnsettled):
        labels.buy(order.id, actor="maya")
    control.delete("/faults")  # the request already held stays held
    with pytest.raises(LabelUnsettled):
        labels.buy(order.id, actor="maya")  # looked up within the grace period: nothing sent
    labels.clock.at += labels.config.settle_grace  # type: ignore[attr-defined]
    kept = labels.buy(order.id, actor="maya")  # looked up after it: not there, bought again

    def sold() -> list[dict[str, Any]]:
        every = control.get("/shippo/transactions").json()
        return [t for t in every if t["metadata"] == kept.key]

    deadline = time.monotonic() + 60
    while len(sold()) < 2:
        assert time.monotonic() < deadline, "the held purchase never landed"
        time.sleep(0.1)
    [extra] = [t for t in sold() if t["object_id"] != kept.transaction_id]
    [refunded] = labels.sweep_extras()
    assert refunded.transaction_id == extra["object_id"]
    assert {t["object_id"]: t["status"] for t in sold()} == {
        kept.transaction_id: "SUCCESS",
        extra["object_id"]: "REFUNDED",
    }
    [line] = [e.reason for e in store.station.history(order.id) if e.actor == "label-sweep"]
    assert f"extra label {extra['tracking_number']} ({extra['object_id']})" in line
    assert store.station.get(order.id).state is S.LABELED  # type: ignore[union-attr]


def test_international_parcel_gets_customs_and_rates(
    tmp_path: Path, carrier: ShippoCarrier
) -> None:
    store, shipping, labels, _bus = services(tmp_path / "i.db", carrier)
    seed_catalog(store)
    toronto = Address(
        name="Li Wei",
        address1="100 Queen St W",
        city="Toronto",
        province_code="ON",
        zip="M5H 2N2",
        country_code="CA",
    )
    order = make_order(base_number() + 1, address=toronto, shipping="International")
    add_order(store, order, S.PACKED)
    [(parcel, rates, choice)] = shipping.rates(order)
    assert rates
    assert choice.rate is not None
    purchase = labels.buy(order.id, actor="test")
    assert purchase.state is PurchaseState.BOUGHT
    assert parcel.box == "S"


def test_carrier_errors_and_outage_keep_state_consistent(
    tmp_path: Path, carrier: ShippoCarrier, control: httpx.Client
) -> None:
    store, _shipping, labels, _bus = services(tmp_path / "e.db", carrier)
    seed_catalog(store)
    order = make_order(base_number() + 1)
    add_order(store, order, S.PACKED)
    control.put("/faults", json={"shippo.transactions": {"error_rate": 1.0}})
    with pytest.raises(LabelPending, match=r"may have been bought \(Shippo answered 503"):
        labels.buy(order.id, actor="test")  # a 503 may come from a proxy after the purchase
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is S.PACKED
    assert station.reason.startswith("label pending")
    control.delete("/faults")
    assert labels.retry_pending() == []  # Shippo may still be making it: nothing is sent
    labels.clock.at += timedelta(seconds=61)  # type: ignore[attr-defined]
    assert labels.retry_pending() == [order.name]  # looked up, not there: bought once

    # A refusal (an address Shippo cannot ship to, changed after the check): ERROR, nothing bought.
    other = make_order(
        base_number() + 2,
        address=Address(
            name="Bo", address1="Main Street", city="Oakland", province_code="CA", zip="94607"
        ),
    )
    add_order(store, other, S.PACKED)
    with pytest.raises(LabelRefused, match="Shippo refused the label"):
        labels.buy(other.id, actor="test")
    station = store.station.get(other.id)
    assert station is not None
    assert station.state is S.ERROR
    assert "house number" in station.reason


@pytest.mark.slow
def test_thousand_trials_with_faults_and_restarts_buy_exactly_once(
    tmp_path: Path, carrier: ShippoCarrier, control: httpx.Client
) -> None:
    """Four stations (each its own SQLite file, restarted at random) buy against one
    Shippo whose transactions drop, fail, commit-then-drop and answer 429."""
    base = base_number()
    faults = {"commit_then_drop_rate": 0.15, "drop_rate": 0.1, "error_rate": 0.1}
    control.put("/faults", json={"shippo.transactions": faults}).raise_for_status()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=STATIONS) as pool:
        runs = list(
            pool.map(
                lambda n: run_station(tmp_path / f"station{n}.db", carrier, control, base, n),
                range(STATIONS),
            )
        )
    control.delete("/faults")
    elapsed = time.monotonic() - started

    sold = [
        t for t in control.get("/shippo/transactions").json() if _ours(t.get("metadata", ""), base)
    ]
    rows = {key for run in runs for key in run.keys}
    for t in sold:
        assert t["metadata"] in rows, f"a purchase without its row: {t['metadata']}"
    live: dict[str, list[str]] = {}
    for t in sold:
        if t["status"] == "SUCCESS":
            live.setdefault(t["metadata"].split(":")[1], []).append(t["object_id"])
    labeled = {number: txn for run in runs for number, txn in run.labeled.items()}
    assert len(labeled) == TRIALS
    for number, transaction_id in labeled.items():
        assert live.get(number) == [transaction_id], number
    assert sum(run.restarts for run in runs) > TRIALS // 20
    print(f"{TRIALS} trials on {STATIONS} stations: {elapsed:.0f} s")  # ~80 s on 2 busy cores


@dataclass
class StationRun:
    keys: set[str] = field(default_factory=set)
    labeled: dict[str, str] = field(default_factory=dict)
    """Order number -> the transaction id of its one bought label, as the station stored it."""
    restarts: int = 0


def run_station(
    db: Path, carrier: ShippoCarrier, control: httpx.Client, base: int, n: int
) -> StationRun:
    rng = random.Random(20261124 + n)
    run = StationRun()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    orders = [make_order(base + i) for i in range(n, TRIALS, STATIONS)]
    for order in orders:
        add_order(store, order, S.PACKED)
        if rng.random() < 0.05:
            control.put(
                "/faults",
                json={
                    "shippo.transactions": {
                        "commit_then_drop_rate": 0.15,
                        "drop_rate": 0.1,
                        "error_rate": 0.1,
                        "burst_429": 2,
                    }
                },
            )
        crash = rng.random() < 0.1
        for _attempt in range(60):
            station = store.station.get(order.id)
            if station is not None and station.state is S.LABELED:
                break
            if crash:
                labels.purchases.carrier = CrashAfterBuy(carrier)
            try:
                labels.buy(order.id, actor="chaos")
            except LabelPending:
                labels.clock.at += rng.choice(WAITS)  # type: ignore[attr-defined]
                continue
            except Crash:
                crash = False
                run.restarts += 1
                now = labels.clock.at  # type: ignore[attr-defined]
                store.close()
                store, _s, labels, _b = services(db, carrier)  # the restart
                labels.clock.at = now  # type: ignore[attr-defined]
                with contextlib.suppress(LabelPending):
                    labels.reconcile_all()
    for order in orders:
        station = store.station.get(order.id)
        assert station is not None
        assert station.state is S.LABELED, (order.name, station.reason)
        purchases = store.labels.for_order(order.id)
        run.keys |= {p.key for p in purchases}
        bought = [p for p in purchases if p.state is PurchaseState.BOUGHT]
        assert len(bought) == 1, order.name
        assert store.labels.file(bought[0].key) is not None
        run.labeled[order.number] = bought[0].transaction_id
    store.close()
    return run


def _ours(metadata: str, base: int) -> bool:
    try:
        number = int(metadata.split(":")[1])
    except (IndexError, ValueError):
        return False
    return base <= number < base + TRIALS
