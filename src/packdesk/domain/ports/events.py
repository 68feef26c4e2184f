"""The event bus as services and the TUI see it: publish on one side, subscribe on the other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from packdesk.domain.events import Event


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None:
        """Hand an event to whoever listens (TUI, metrics, logs); must not block."""
        ...


class EventSource(Protocol):
    def subscribe(self, subscriber: Callable[[Event], None]) -> Callable[[], None]:
        """Call `subscriber` with every published event; returns the unsubscribe function."""
        ...
