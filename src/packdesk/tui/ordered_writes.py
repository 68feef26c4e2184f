"""The packer's changes, stored one after another in the order they were made.

Opening an order, scans, undo, quantities, box and weight, holds, notes and abandoning a pack
all write to the database. A scanner emptying a tote fires codes faster than each is stored,
and every one must be stored once, in order, while the screen keeps taking keys. `submit`
queues a change and returns at once; one Textual thread worker at a time works through the
queue in order (a new one starts when the queue was idle), and each answer comes back as a
message to the screen that asked.

`submit` also returns a future that is done once the answer is posted. The pack screen awaits
it for a scan: its message queue then holds the answer next, so the cleared scan field and
the ticked line reach the terminal in one frame instead of two (Textual paints a screen when
its queue is idle, and a second frame right after one waits up to two frame periods).

A change is never dropped: a worker whose screen has gone keeps draining the queue, and the
answers to a screen that has gone are not shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual.dom import DOMNode
from textual.message import Message

log = logging.getLogger(__name__)

T = TypeVar("T")

GROUP = "pack-writes"
"""The worker group of the writer (tests wait for it like any other worker)."""


@dataclass(frozen=True)
class _Write(Generic[T]):
    node: DOMNode
    work: Callable[[], T]
    answer: Callable[[T], Message | None]
    failed: Callable[[Exception], Message]
    posted: asyncio.Future[None]


class OrderedWrites:
    """One ordered lane for the packer's changes, shared by every screen of the station."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[_Write[Any]] = deque()
        self._draining = False

    def submit(
        self,
        node: DOMNode,
        work: Callable[[], T],
        answer: Callable[[T], Message | None],
        failed: Callable[[Exception], Message],
    ) -> asyncio.Future[None]:
        """Queue `work` behind every change submitted before it; post `answer(result)` (when
        it is a message), or `failed(error)` when it raises, to `node`. Call it from the
        event loop; the future it returns is done when the answer is posted."""
        posted = asyncio.get_running_loop().create_future()
        with self._lock:
            self._queue.append(_Write(node, work, answer, failed, posted))
            if self._draining:
                return posted
            self._draining = True
        node.run_worker(
            self._drain, thread=True, exit_on_error=False, group=GROUP, name="packer's changes"
        )
        return posted

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._draining = False
                    return
                write = self._queue.popleft()
            self._run(write)

    @staticmethod
    def _run(write: _Write[Any]) -> None:
        try:
            result = write.work()
        except Exception as exc:
            # A refusal (ValueError, LookupError) carries its sentence; anything else is a
            # fault the packer sees in a sentence and the log keeps with its traceback.
            if isinstance(exc, ValueError | LookupError):
                log.info("a change was refused: %s", exc)
            else:
                log.exception("a change could not be stored")
            write.node.post_message(write.failed(exc))
        else:
            message = write.answer(result)
            if message is not None:
                write.node.post_message(message)
        # Once the app has closed its event loop nobody waits any more.
        with contextlib.suppress(RuntimeError):
            write.posted.get_loop().call_soon_threadsafe(_done, write.posted)


def _done(posted: asyncio.Future[None]) -> None:
    if not posted.done():
        posted.set_result(None)
