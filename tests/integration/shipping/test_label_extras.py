"""Extra labels: a label Shippo made under a purchase key beside the one kept is refunded by
the sweeper once, written in the order's history once, and never replaces the stored label."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from packdesk.domain.models import PurchaseState
from packdesk.domain.shipping import LabelResult
from packdesk.domain.states import StationState
from packdesk.jobs.tasks import sweep_labels
from packdesk.services.labels import LabelRefused, LabelUnsettled

from .fakes import T0, FakeCarrier
from .helpers import add_order, make_order, seed_catalog, services

S = StationState
ORDER = "gid://shopify/Order/1001"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "packdesk.db"


def late_label(carrier: FakeCarrier, key: str) -> LabelResult:
    """What Shippo does with a request it finishes after the client gave up."""
    return carrier.buy_label("rate_late", "ZPLII", key)


def sweep_lines(store: object, order_id: str = ORDER) -> list[str]:
    history = store.station.history(order_id)  # type: ignore[attr-defined]
    return [e.reason for e in history if e.actor == "label-sweep"]


def test_the_sweeper_refunds_a_late_label_once_and_says_so_in_the_history(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    add_order(store, make_order(), S.PACKED)
    kept = labels.buy(ORDER, actor="maya")
    file = store.labels.file(kept.key)
    extra = late_label(carrier, kept.key)

    labels.clock.at = T0 + timedelta(minutes=5)  # type: ignore[attr-defined]
    [refunded] = labels.sweep_extras()
    assert (refunded.transaction_id, refunded.purchase_key) == (extra.transaction_id, kept.key)
    assert refunded.refunded_at == T0 + timedelta(minutes=5)
    assert carrier.refunds == [extra.transaction_id]
    assert [t.transaction_id for t in carrier.live()] == [kept.transaction_id]
    assert sweep_lines(store) == [
        f"extra label {extra.tracking_number} ({extra.transaction_id}) of package 1 refunded "
        f"(refund ref_{extra.transaction_id}): Shippo made it under {kept.key} beside the "
        f"label kept, {kept.tracking_number}"
    ]
    [row] = store.labels.for_order(ORDER)
    assert (row.state, row.transaction_id) == (PurchaseState.BOUGHT, kept.transaction_id)
    assert store.labels.file(kept.key) == file
    assert store.station.get(ORDER).state is S.LABELED  # type: ignore[union-attr]

    assert labels.sweep_extras() == []  # nothing twice
    _store_b, _s2, daemon, _b2 = services(db, carrier)  # the daemon's sweeper beside the TUI's
    daemon.clock.at = T0 + timedelta(minutes=6)  # type: ignore[attr-defined]
    sweep_labels(daemon)
    assert carrier.refunds == [extra.transaction_id]
    assert len(sweep_lines(store)) == 1


def test_a_label_made_for_a_refused_purchase_is_refunded_too(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    add_order(store, make_order(), S.PACKED)
    carrier.faults = ["refuse"]
    with pytest.raises(LabelRefused):
        labels.buy(ORDER, actor="maya")
    [failed] = store.labels.for_order(ORDER)
    extra = late_label(carrier, failed.key)
    [refunded] = labels.sweep_extras()
    assert refunded.transaction_id == extra.transaction_id
    assert carrier.live() == []
    assert sweep_lines(store)[0].endswith(f"under {failed.key} while no label was kept for it")


def test_purchases_older_than_the_sweep_window_are_left_alone(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    add_order(store, make_order(), S.PACKED)
    kept = labels.buy(ORDER, actor="maya")
    late_label(carrier, kept.key)
    labels.clock.at = T0 + labels.config.sweep_for + timedelta(seconds=1)  # type: ignore[attr-defined]
    assert labels.sweep_extras() == []
    assert carrier.refunds == []


def test_a_refund_shippo_refuses_is_told_once_and_tried_again(db: Path) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    add_order(store, make_order(), S.PACKED)
    kept = labels.buy(ORDER, actor="maya")
    extra = late_label(carrier, kept.key)
    carrier.refunds.append(extra.transaction_id)  # the fake refuses a second refund
    assert labels.sweep_extras() == []
    assert labels.sweep_extras() == []
    [line] = sweep_lines(store)
    assert line == (
        f"extra label {extra.tracking_number} ({extra.transaction_id}) of package 1 could "
        "not be refunded: this label was refunded already — ask Shippo support to refund it"
    )
    [known] = store.labels.extras(ORDER)
    assert (known.refunded_at, known.error) == (None, "this label was refunded already")


def test_a_look_up_that_finds_two_labels_keeps_the_oldest_and_refunds_the_other(
    db: Path,
) -> None:
    carrier = FakeCarrier()
    store, _s, labels, _b = services(db, carrier)
    seed_catalog(store)
    add_order(store, make_order(), S.PACKED)
    carrier.faults = ["commit_then_drop"]
    with pytest.raises(LabelUnsettled):
        labels.buy(ORDER, actor="maya")
    [row] = store.labels.for_order(ORDER)
    first = carrier.transactions[0]
    second = late_label(carrier, row.key)
    labels.buy(ORDER, actor="maya")
    [kept] = store.labels.for_order(ORDER)
    assert kept.transaction_id == first.transaction_id
    assert carrier.refunds == [second.transaction_id]
    [line] = sweep_lines(store)
    assert line.endswith(f"beside the label kept, {first.tracking_number}")
