"""A small thread-safe publish/subscribe bus for domain events.

Jobs run in APScheduler's thread pool and publish here; the TUI subscribes and turns each
event into a Textual message (`post_message` is thread-safe). Subscribers must be quick:
they run on the publisher's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from packdesk.domain.events import Event

log = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # one broken listener must not stop a sync or a purchase
                log.exception("event subscriber failed on %s", type(event).__name__)
