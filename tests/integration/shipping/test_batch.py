"""Batches: many orders at once, progress reported, 429s waited out, each bought once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from packdesk.domain.states import StationState
from packdesk.services.label_batch import BatchProgress, buy_batch, select_orders
from packdesk.services.labels import LabelService
from packdesk.services.shipping import ShippingProblem

from .fakes import FakeCarrier
from .helpers import add_order, make_order, seed_catalog, services

S = StationState


def sleeping(labels: LabelService, waits: list[float]) -> Callable[[float], None]:
    """A batch's sleep that lets the station's clock move on by as much."""

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        labels.clock.at += timedelta(seconds=seconds)  # type: ignore[attr-defined]

    return sleep


def test_batch_buys_each_order_once_with_progress(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(tmp_path / "b.db", carrier)
    seed_catalog(store)
    orders = [make_order(3000 + n, shipping="Express" if n % 2 else "Standard") for n in range(40)]
    for order in orders:
        add_order(store, order, S.READY)
    carrier.faults = ["429", "429", "commit_then_drop", "5xx"] + [""] * 100
    seen: list[BatchProgress] = []
    waits: list[float] = []
    result = buy_batch(
        labels,
        orders,
        actor="batch",
        workers=4,
        progress=seen.append,
        sleep=sleeping(labels, waits),
    )
    assert sorted(result.bought) == sorted(o.name for o in orders)
    assert result.failed == {}
    assert [p.done for p in seen] == list(range(1, 41))
    assert seen[-1].total == 40
    assert len(carrier.live()) == 40
    assert all(store.station.get(o.id).state is S.LABELED for o in orders)  # type: ignore[union-attr]
    assert waits  # the 429s were waited out
    assert max(waits) >= 60  # the lost answer of the 5xx: looked up after the grace period


def test_batch_reports_what_failed_and_why(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(tmp_path / "b.db", carrier)
    seed_catalog(store)
    good, bad = make_order(1), make_order(2, sku="NOPE", variant="V404")
    for order in (good, bad):
        add_order(store, order, S.READY)
    result = buy_batch(labels, [good, bad], actor="batch", sleep=lambda _: None)
    assert result.bought == ["#1"]
    assert "SKU NOPE (Flash Cards) is not in the local catalog" in result.failed["#2"]
    assert store.station.get(bad.id).state is S.ERROR  # type: ignore[union-attr]


def test_batch_filters(tmp_path: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(tmp_path / "b.db", carrier)
    seed_catalog(store)
    add_order(store, make_order(1001, shipping="Express"), S.READY)
    add_order(store, make_order(1002), S.READY)
    add_order(store, make_order(1003), S.NEW)
    assert [o.name for o in select_orders(labels, "express")] == ["#1001"]
    assert {o.name for o in select_orders(labels, "state:READY")} == {"#1001", "#1002"}
    assert [o.name for o in select_orders(labels, "#1003, 1002")] == ["#1003", "#1002"]
    with pytest.raises(ShippingProblem, match="Unknown state"):
        select_orders(labels, "state:SHIPPED")
    with pytest.raises(ShippingProblem, match="No order 9999"):
        select_orders(labels, "9999")
