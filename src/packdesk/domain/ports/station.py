"""The station's own records of each order: its state with the audit log, the scans of
its pack, and the packers' notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.models import AuditEvent, StationOrder, Transition
from packdesk.domain.scanning import PackScan, StationNote
from packdesk.domain.states import StationState


class StaleState(RuntimeError):
    """The order moved on (another thread or station changed it) since the caller read it."""

    def __init__(
        self, order_id: str, stored: StationState | None, expected: StationState | None
    ) -> None:
        super().__init__(
            f"Order {order_id} is {stored.value if stored else 'not at the station'},"
            f" not {expected.value if expected else 'new'}: reload and retry."
        )
        self.order_id = order_id
        self.stored = stored
        self.expected = expected


class StationRepository(Protocol):
    """Each order's state at the station, its history, scans and notes."""

    def get(self, order_id: str) -> StationOrder | None: ...

    def by_ids(self, order_ids: Sequence[str]) -> dict[str, StationOrder]:
        """The station rows of those orders that have one (one read for a whole page)."""
        ...

    def in_states(self, states: Sequence[StationState]) -> list[StationOrder]:
        """Orders in any of `states`, least recently changed first."""
        ...

    def apply(self, transition: Transition) -> StationOrder:
        """Write the new state and its audit row. Raises `StaleState` when the stored state
        is not `transition.from_state`; the effects it causes are written by the caller in
        the same `Store.transaction()`."""
        ...

    def note(self, order_id: str, *, reason: str, actor: str, at: datetime) -> StationOrder | None:
        """Set the visible reason of an order without moving it, with an audit row; None
        when the order is not at the station."""
        ...

    def record_event(self, order_id: str, *, actor: str, reason: str, at: datetime) -> bool:
        """An audit row for something that happened to the order without moving it or
        changing its visible reason (an extra label refunded); False when the order is not
        at the station."""
        ...

    def history(self, order_id: str) -> list[AuditEvent]: ...

    def young_orders(self, created_since: datetime) -> list[str]:
        """Ids of orders at the station (not cancelled) created at or after
        `created_since`, oldest first."""
        ...

    def scanned_quantities(self, order_id: str) -> dict[str, int]:
        """Items scanned so far per line item id."""
        ...

    def add_scan(
        self, order_id: str, line_item_id: str, code: str, quantity: int, at: datetime
    ) -> int:
        """Record a scan (or a quantity typed by hand) and return its id."""
        ...

    def undo_scan(self, order_id: str) -> PackScan | None:
        """Delete and return the order's latest scan, if any."""
        ...

    def clear_scans(self, order_id: str) -> int:
        """Delete every scan of the order; return how many there were."""
        ...

    def add_note(self, order_id: str, text: str, *, actor: str, at: datetime) -> None: ...

    def notes(self, order_id: str) -> list[StationNote]: ...
