"""Buying labels for many orders at once, within Shippo's rate limits, with progress.

Each order goes through `LabelService.buy` (so the exactly-once protocol holds for every
one, also beside other packdesk processes); a few run at the same time. A 429 from Shippo
pauses the worker for the time Shippo asks and the order is tried again, which is safe: a
429 bought nothing, and an unanswered purchase is looked up by its key, after the grace
period, before anything is bought again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from packdesk.domain.models import Order
from packdesk.domain.states import LABEL_BOUGHT_STATES, StationState
from packdesk.services.labels import (
    AlreadyLabeled,
    LabelBusy,
    LabelPending,
    LabelService,
    LabelUnsettled,
)
from packdesk.services.shipping import ShippingProblem

S = StationState
MAX_TRIES = 6
LABELED_MEANWHILE = "labeled meanwhile (by another packdesk process, or a purchase left pending)"
MAX_SETTLE_WAIT_S = 300.0
"""Longest wait for a lost purchase answer to be settled (the grace period is shorter)."""


@dataclass(frozen=True)
class BatchProgress:
    """One order finished (bought or not); sent to the progress callback."""

    done: int
    total: int
    order_name: str
    ok: bool
    message: str


@dataclass
class BatchResult:
    bought: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    """Orders labeled while the batch ran, not by it: by another packdesk process, or by
    settling a purchase left pending."""
    failed: dict[str, str] = field(default_factory=dict)
    """Order name -> the sentence saying why (and what to do)."""
    seconds: float = 0.0


class Pace:
    """At most `per_minute` starts a minute, spread evenly (0 = no limit)."""

    def __init__(self, per_minute: int) -> None:
        self.gap = 60.0 / per_minute if per_minute > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.gap:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.gap
        time.sleep(max(0.0, start - now))


def select_orders(labels: LabelService, spec: str) -> list[Order]:
    """The orders a batch filter names (see `packdesk ship --help`):

    - `state:READY` (or any station state, comma-separated: `state:READY,PACKED`);
    - `express` (or any other word): orders whose shipping line title contains it, among
      READY and PACKED orders;
    - `#1001,#1002` or `1001 1002`: those orders.
    """
    store = labels.store
    spec = spec.strip()
    if spec.lower().startswith("state:"):
        names = [s.strip().upper() for s in spec[6:].split(",") if s.strip()]
        try:
            states = [StationState(n) for n in names]
        except ValueError:
            raise ShippingProblem(
                f"Unknown state in {spec!r}: use one of {', '.join(s.value for s in StationState)}."
            ) from None
        found = [store.orders.get(s.order_id) for s in store.station.in_states(states)]
        return [o for o in found if o is not None]
    parts = [p for p in spec.replace(",", " ").split() if p]
    if parts and all(p.lstrip("#").isdigit() for p in parts):
        orders = []
        for part in parts:
            order = store.orders.by_name(part)
            if order is None:
                raise ShippingProblem(f"No order {part} in the local database.")
            orders.append(order)
        return orders
    if not parts:
        raise ShippingProblem("Give a batch filter: state:READY, express, or #1001,#1002.")
    word = spec.lower()
    candidates = [
        store.orders.get(s.order_id) for s in store.station.in_states([S.READY, S.PACKED])
    ]
    return [o for o in candidates if o is not None and word in o.shipping_title.lower()]


def buy_batch(
    labels: LabelService,
    orders: Sequence[Order],
    *,
    actor: str,
    workers: int = 4,
    per_minute: int = 0,
    progress: Callable[[BatchProgress], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> BatchResult:
    """Buy a label for each order (packing unscanned ones), `workers` at a time.

    An order another packdesk process is shipping is waited for a little and then left to
    it (with its sentence); one labeled during the batch, not by it, counts as `elsewhere`.
    One whose purchase answer was lost is bought once Shippo has been asked after the grace
    period, which the batch waits for. Progress is reported in the order orders finish."""
    started = time.monotonic()
    stations = labels.store.station.by_ids([o.id for o in orders])
    labeled_before = {i for i, s in stations.items() if s.state in LABEL_BOUGHT_STATES}
    labels.reconcile_all()  # anything left pending is settled before new purchases
    result = BatchResult()
    pace = Pace(per_minute)
    lock = threading.Lock()
    total = len(orders)

    def one(order: Order) -> None:
        ok, elsewhere, message = False, False, ""
        for _ in range(MAX_TRIES):
            pace.wait()
            try:
                purchase = labels.buy(order.id, actor=actor, mark_packed=True)
                ok = True
                message = f"{purchase.carrier} {purchase.service_name} {purchase.tracking_number}"
                break
            except LabelBusy as exc:
                message = str(exc)
                sleep(1.0)
            except AlreadyLabeled as exc:
                elsewhere = order.id not in labeled_before  # labeled during the batch
                message = LABELED_MEANWHILE if elsewhere else str(exc)
                break
            except LabelUnsettled as exc:
                message = str(exc)
                until = (exc.settle_at - labels.clock.now()).total_seconds()
                sleep(min(max(until, 0.0), MAX_SETTLE_WAIT_S) + 0.1)
            except LabelPending as exc:
                message = str(exc)
                cause = exc.__cause__
                wait = getattr(cause, "retry_after_s", None)
                sleep(min(float(wait), 60.0) if wait is not None else 1.0)
            except ShippingProblem as exc:
                message = str(exc)
                break
        with lock:
            if ok:
                result.bought.append(order.name)
            elif elsewhere:
                result.elsewhere.append(order.name)
            else:
                result.failed[order.name] = message
            done = len(result.bought) + len(result.elsewhere) + len(result.failed)
            if progress is not None:  # under the lock: progress lines come out in order
                progress(BatchProgress(done, total, order.name, ok or elsewhere, message))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, orders))
    result.seconds = time.monotonic() - started
    return result
