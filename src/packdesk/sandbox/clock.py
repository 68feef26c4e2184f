"""Sandbox time: the real clock plus an offset that `/control/time/advance` moves.

Tracking statuses and order dates follow this clock, so a test can make a parcel "arrive"
by advancing days instead of waiting for them.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SandboxClock:
    """Real UTC time shifted by an offset that only ever grows."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The sandbox's current time, tz-aware UTC."""
        with self._lock:
            offset = self._offset
        return datetime.now(UTC) + offset

    def advance(self, delta: timedelta) -> None:
        """Move sandbox time forward by `delta` (negative deltas are refused)."""
        if delta < timedelta():
            raise ValueError("sandbox time only moves forward; give a positive duration")
        with self._lock:
            self._offset += delta


def iso(moment: datetime) -> str:
    """`2026-11-24T14:16:03.123Z`: the timestamp form Shippo and Shopify answer with."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )
