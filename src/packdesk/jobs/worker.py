"""A worker thread draining a queue: the webhook receiver answers at once and this thread
does the work after (fetch the order, store it)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class QueueWorker(Generic[T]):
    def __init__(self, handler: Callable[[T], object], *, name: str = "worker") -> None:
        self._handler = handler
        self._queue: queue.Queue[T | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = False

    def submit(self, item: T) -> None:
        """Queue `item`; never blocks."""
        self._queue.put(item)

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait until every queued item was handled (tests, shutdown)."""
        self._queue.join()

    def stop(self, timeout: float = 10.0) -> None:
        if self._started:
            self._queue.put(None)
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self._handler(item)
            except Exception:
                log.exception("worker failed on %r", item)
            finally:
                self._queue.task_done()
