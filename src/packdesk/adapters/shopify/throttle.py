"""Shopify's leaky bucket, tracked on our side so that we wait instead of being throttled.

Every GraphQL answer carries `extensions.cost.throttleStatus` (`maximumAvailable`,
`currentlyAvailable`, `restoreRate`). Between answers the bucket refills at `restoreRate`
points a second. Before a query goes out, `reserve(cost)` waits until the bucket should hold
the query's requested cost and takes it from our estimate, so that several threads sharing
one client do not all spend the same points.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleStatus:
    maximum: float
    available: float
    restore_rate: float


class CostBucket:
    """Our estimate of Shopify's bucket; thread-safe."""

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._status: ThrottleStatus | None = None
        self._available = 0.0
        self._at = 0.0
        self.waited_s = 0.0
        """Total seconds spent waiting for the bucket to refill (for `sync` summaries)."""

    @property
    def status(self) -> ThrottleStatus | None:
        return self._status

    def _estimate(self, now: float) -> float:
        assert self._status is not None
        refilled = self._available + (now - self._at) * self._status.restore_rate
        return min(self._status.maximum, refilled)

    def reserve(self, cost: float) -> float:
        """Wait until `cost` points should be available, then take them; returns the wait."""
        waited = 0.0
        while True:
            with self._lock:
                if self._status is None or self._status.restore_rate <= 0:
                    return waited
                now = self._monotonic()
                cost = min(cost, self._status.maximum)
                have = self._estimate(now)
                if have >= cost:
                    self._available = have - cost
                    self._at = now
                    return waited
                delay = (cost - have) / self._status.restore_rate
            self._sleep(delay)
            waited += delay
            with self._lock:
                self.waited_s += delay

    def update(self, status: ThrottleStatus) -> None:
        """Take Shopify's own figures from an answer as the new truth."""
        with self._lock:
            self._status = status
            self._available = status.available
            self._at = self._monotonic()
