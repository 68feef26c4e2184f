"""SP-API usage plans: a token bucket per operation (rate a second, burst), as Amazon
meters them; a call with no token left is answered 429 QuotaExceeded."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

PLANS: dict[str, tuple[float, int]] = {
    "getInventorySummaries": (2.0, 2),
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReportDocument": (0.0167, 15),
}
"""Amazon's default usage plans (requests a second, burst) of the operations served."""


@dataclass
class Bucket:
    rate: float
    burst: int
    tokens: float
    at: float


class UsagePlans:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, Bucket] = {}
        self.reset()

    def reset(self) -> None:
        """Amazon's plans, every bucket full."""
        with self._lock:
            now = time.monotonic()
            self._buckets = {
                op: Bucket(rate, burst, float(burst), now) for op, (rate, burst) in PLANS.items()
            }

    def set(self, operation: str, rate: float, burst: int) -> None:
        if operation not in PLANS:
            raise ValueError(f"unknown operation {operation!r}; use one of {', '.join(PLANS)}")
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be above 0 and burst at least 1")
        with self._lock:
            self._buckets[operation] = Bucket(rate, burst, float(burst), time.monotonic())

    def take(self, operation: str) -> bool:
        """Spend a token of `operation`; False when the bucket is empty (answer 429)."""
        with self._lock:
            bucket = self._buckets[operation]
            now = time.monotonic()
            bucket.tokens = min(bucket.burst, bucket.tokens + (now - bucket.at) * bucket.rate)
            bucket.at = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def limit_header(self, operation: str) -> str:
        with self._lock:
            return f"{self._buckets[operation].rate:g}"

    def snapshot(self) -> dict[str, dict[str, float]]:
        with self._lock:
            return {op: {"rate": b.rate, "burst": b.burst} for op, b in self._buckets.items()}
