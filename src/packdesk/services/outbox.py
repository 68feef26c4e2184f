"""The outbox worker: delivers upstream effects once, with backoff, and never twice.

Each `run_once` first lets the planners write rows that are due to exist (after-delivery
emails), then leases the due PENDING rows (the store's claim is atomic, so two workers in
two threads or two processes never hold the same row), hands each to the handler of its
kind, and settles it: DELIVERED or SKIPPED, or back to PENDING with exponential backoff and
jitter, or DEAD after `max_attempts` (visible in Health and `packdesk outbox list`).

Only kinds with a handler are claimed: a process without Shopify access (no token yet)
leaves fulfillments waiting instead of failing them.

Handlers are idempotent (a fulfillment already in Shopify counts as delivered), which covers
the one case the lease cannot: an answer lost after the upstream change was made. Where the
upstream service cannot be asked (SendGrid has no idempotency key and no lookup packdesk can
count on), the handler says the outcome is unclear, and the worker resends such an item at
most `max_unclear` times: each resend may make one extra copy, and after that the item
stops (DEAD) with a sentence, for a person to check, rather than send copy after copy.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from packdesk.domain.clock import Clock
from packdesk.domain.events import OutboxChanged
from packdesk.domain.models import OutboxItem, OutboxState
from packdesk.domain.outbox import Delivery, DeliveryFailed, Outcome
from packdesk.domain.ports import EventPublisher, Store

log = logging.getLogger(__name__)

Handler = Callable[[OutboxItem], Delivery]
"""Delivers one item of its kind; returns how, or raises `DeliveryFailed` (or anything)."""


@dataclass(frozen=True)
class OutboxPolicy:
    max_attempts: int = 8
    backoff_base_s: float = 10.0
    """Wait after the first failure; doubles with each further one."""
    backoff_max_s: float = 3600.0
    lease_s: float = 300.0
    """How long a claim lasts; longer than any single delivery can take."""
    max_unclear: int = 1
    """Resends of an item after attempts whose answer was lost (each may make a copy
    upstream); one more lost answer stops the item."""
    batch: int = 50
    parallel: int = 4
    """Items delivered at the same time within one run (threads)."""


@dataclass
class RunReport:
    claimed: int = 0
    delivered: int = 0
    skipped: int = 0
    failed: int = 0
    dead: int = 0
    lost_lease: int = 0
    errors: list[str] = field(default_factory=list)


class OutboxService:
    def __init__(
        self,
        store: Store,
        handlers: Mapping[str, Handler],
        clock: Clock,
        *,
        policy: OutboxPolicy | None = None,
        planners: Sequence[Callable[[], object]] = (),
        bus: EventPublisher | None = None,
        worker_id: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.handlers = dict(handlers)
        self.clock = clock
        self.policy = policy or OutboxPolicy()
        self.planners = list(planners)
        self.bus = bus
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:12]}"
        self.rng = rng or random.Random()
        self._pool: ThreadPoolExecutor | None = None
        """Delivery threads, kept between runs rather than started afresh each time."""

    # -- the worker -----------------------------------------------------------------------

    def run_once(self, limit: int | None = None) -> RunReport:
        """Plan, claim the due rows and deliver them; returns what happened."""
        for plan in self.planners:
            try:
                plan()
            except Exception as exc:  # a planner's failure must not stop deliveries
                log.exception("outbox planner failed: %s", exc)
        now = self.clock.now()
        items = self.store.outbox.claim(
            now,
            limit or self.policy.batch,
            self.worker_id,
            now + timedelta(seconds=self.policy.lease_s),
            kinds=sorted(self.handlers),
        )
        report = RunReport(claimed=len(items))
        if not items:
            return report
        if self.policy.parallel > 1 and len(items) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.policy.parallel, thread_name_prefix="outbox"
                )
            results = list(self._pool.map(self._deliver, items))
        else:
            results = [self._deliver(item) for item in items]
        for result in results:
            setattr(report, result, getattr(report, result) + 1)
        report.errors = [i.dedupe_key for i, r in zip(items, results, strict=True) if r == "dead"]
        self._publish()
        return report

    def close(self) -> None:
        """Stop the delivery threads (at shutdown)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def run_until_idle(self, max_runs: int = 1000) -> int:
        """Run until nothing due is left (tests, `packdesk outbox run --once`); returns the
        number of items settled."""
        settled = 0
        for _ in range(max_runs):
            report = self.run_once()
            if report.claimed == 0:
                break
            settled += report.delivered + report.skipped + report.dead
        return settled

    def _deliver(self, item: OutboxItem) -> str:
        handler = self.handlers[item.kind]
        try:
            delivery = handler(item)
        except DeliveryFailed as exc:
            if exc.unclear and item.unclear >= self.policy.max_unclear:
                return self._failed(
                    item, self._stopped(item, str(exc)), permanent=True, unclear=True
                )
            return self._failed(item, str(exc), permanent=exc.permanent, unclear=exc.unclear)
        except Exception as exc:
            log.exception("outbox item %s (%s) raised", item.id, item.dedupe_key)
            return self._failed(item, f"{type(exc).__name__}: {exc}", permanent=False)
        state = (
            OutboxState.SKIPPED if delivery.outcome is Outcome.SKIPPED else OutboxState.DELIVERED
        )
        if not self.store.outbox.settle(
            item.id, self.worker_id, state, self.clock.now(), delivery.note
        ):
            log.warning("outbox item %s: lease lost before settling", item.id)
            return "lost_lease"
        log.info("outbox %s %s %s", item.dedupe_key, state.value, delivery.note)
        return "skipped" if state is OutboxState.SKIPPED else "delivered"

    @staticmethod
    def _stopped(item: OutboxItem, error: str) -> str:
        lost = item.unclear + 1
        return (
            f"{error} Not sent again: {lost} answers were lost, so it may already have gone "
            f"out up to {lost} times; check, then `packdesk outbox retry {item.id}` to send "
            "it once more."
        )

    def _failed(
        self, item: OutboxItem, error: str, *, permanent: bool, unclear: bool = False
    ) -> str:
        dead = permanent or item.attempts >= self.policy.max_attempts
        next_at = self.clock.now() + timedelta(seconds=self.backoff(item.attempts))
        if not self.store.outbox.fail(
            item.id, self.worker_id, error, next_at, dead, unclear=unclear
        ):
            return "lost_lease"
        log.warning(
            "outbox %s attempt %d failed%s: %s",
            item.dedupe_key,
            item.attempts,
            " (dead)" if dead else "",
            error,
        )
        return "dead" if dead else "failed"

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` failures: exponential, capped, with
        "equal jitter" (half fixed, half random) so that many failed items spread out."""
        base = min(
            float(self.policy.backoff_max_s),
            float(self.policy.backoff_base_s) * 2.0 ** max(0, attempts - 1),
        )
        return base / 2 + self.rng.uniform(0, base / 2)

    # -- operator actions -----------------------------------------------------------------

    def retry(self, item_id: int) -> bool:
        """Revive one DEAD item; False when there is no DEAD item by that id."""
        ok = self.store.outbox.retry(item_id, self.clock.now())
        self._publish()
        return ok

    def retry_all(self) -> int:
        count = self.store.outbox.retry_all(self.clock.now())
        self._publish()
        return count

    def waiting_kinds(self) -> list[str]:
        """Kinds this worker cannot deliver (no handler configured) that have due rows."""
        return sorted(
            {i.kind for i in self.store.outbox.items([OutboxState.PENDING], 1000)}
            - set(self.handlers)
        )

    def items(self, states: Sequence[OutboxState] = (), limit: int = 200) -> list[OutboxItem]:
        return self.store.outbox.items(states, limit)

    def counts(self) -> dict[OutboxState, int]:
        return self.store.outbox.counts()

    def _publish(self) -> None:
        if self.bus is None:
            return
        counts = self.store.outbox.counts()
        self.bus.publish(
            OutboxChanged(
                at=self.clock.now(),
                pending=counts[OutboxState.PENDING],
                dead=counts[OutboxState.DEAD],
            )
        )
