"""The outbox: upstream effects as rows, delivered once under a lease; the email
suppression list; and the planning mark of after-delivery emails."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.models import NewOutboxItem, OutboxItem, OutboxState


class OutboxRepository(Protocol):
    def add(self, items: Sequence[NewOutboxItem], at: datetime) -> int:
        """Insert items due at `at` (a known dedupe key is ignored); count the new rows."""
        ...

    def schedule(self, items: Sequence[tuple[NewOutboxItem, datetime]], at: datetime) -> int:
        """Insert items each due at its own time (a known dedupe key is ignored); count new."""
        ...

    def known_keys(self, keys: Sequence[str]) -> set[str]:
        """The dedupe keys among `keys` that have a row already."""
        ...

    def claim(
        self,
        now: datetime,
        limit: int,
        worker: str,
        lease_until: datetime,
        kinds: Sequence[str] | None = None,
    ) -> list[OutboxItem]:
        """Atomically lease up to `limit` due PENDING rows (of `kinds`, when given) to
        `worker` and count an attempt on each; rows leased by another worker whose lease has
        not run out are left alone."""
        ...

    def settle(
        self, item_id: int, worker: str, state: OutboxState, at: datetime, note: str = ""
    ) -> bool:
        """Mark a claimed row DELIVERED or SKIPPED; False if `worker` no longer holds it."""
        ...

    def fail(
        self,
        item_id: int,
        worker: str,
        error: str,
        next_attempt_at: datetime,
        dead: bool,
        *,
        unclear: bool = False,
    ) -> bool:
        """Record a failed attempt: back to PENDING at `next_attempt_at`, or DEAD; `unclear`
        counts it among the attempts whose outcome is unknown."""
        ...

    def withdraw(self, dedupe_key: str, *, error: str, at: datetime) -> int:
        """Stop the row with this key for good when it is not delivered yet (its cause was
        undone, e.g. the label was voided): DEAD with `error`, and never retried."""
        ...

    def retry(self, item_id: int, at: datetime) -> bool:
        """Revive a DEAD row (attempts, and unclear attempts, count from zero again); False if
        it is not DEAD or withdrawn."""
        ...

    def retry_all(self, at: datetime) -> int:
        """Revive every DEAD row that was not withdrawn; returns how many."""
        ...

    def get(self, item_id: int) -> OutboxItem | None: ...

    def items(self, states: Sequence[OutboxState] = (), limit: int = 200) -> list[OutboxItem]:
        """Rows in any of `states` (all when empty), oldest first."""
        ...

    def counts(self) -> dict[OutboxState, int]: ...

    def is_suppressed(self, email: str) -> bool: ...

    def suppress(self, email: str, reason: str, at: datetime) -> None: ...

    def unsuppress(self, email: str) -> bool: ...

    def delivered_unplanned(self, limit: int = 100) -> list[tuple[str, datetime]]:
        """(order id, delivered at) of DELIVERED orders whose follow-ups are not planned."""
        ...

    def mark_planned(self, order_id: str, delivered_at: datetime, at: datetime) -> bool:
        """Mark the order's follow-ups as planned; False when they were already (another
        worker planned them first). Write the rows in the same `Store.transaction()`."""
        ...
