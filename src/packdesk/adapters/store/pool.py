"""A small pool of database connections, lent for one statement or one transaction.

Threads come and go (Textual's thread workers, APScheduler's pool, the webhook receiver);
connections do not follow them. A thread borrows a connection for a statement or a whole
transaction and gives it back, so however many threads there were, at most `size`
connections are ever open. A thread that finds all of them lent waits for one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=Closable)


class PoolExhausted(RuntimeError):
    """Every connection stayed lent for longer than the pool waits."""


class ConnectionPool(Generic[C]):
    def __init__(self, connect: Callable[[], C], *, size: int, wait_s: float) -> None:
        if size < 1:
            raise ValueError("A connection pool needs at least one connection.")
        self.size = size
        self.wait_s = wait_s
        self._connect = connect
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[tuple[int, C]] = []
        self._open = 0
        self._generation = 0
        """Raised by `close()`: connections lent before it are closed when they come back."""

    @property
    def open_connections(self) -> int:
        """Connections open now, lent or idle (never more than `size`)."""
        with self._lock:
            return self._open

    def lend(self) -> tuple[int, C]:
        """A connection (opening one if none is idle) with its generation, for `give_back`;
        waits while all are lent."""
        if not self._slots.acquire(timeout=self.wait_s):
            raise PoolExhausted(
                f"All {self.size} database connections stayed busy for {self.wait_s:g} s."
            )
        try:
            with self._lock:
                if self._idle:
                    return self._idle.pop()
                generation = self._generation
            conn = self._connect()
            with self._lock:
                self._open += 1
            return generation, conn
        except BaseException:
            self._slots.release()
            raise

    def give_back(self, loan: tuple[int, C]) -> None:
        generation, conn = loan
        try:
            with self._lock:
                if generation == self._generation:
                    self._idle.append(loan)
                    return
                self._open -= 1
            conn.close()
        finally:
            self._slots.release()

    def close(self) -> None:
        """Close the idle connections now and the lent ones when they come back."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._generation += 1
            self._open -= len(idle)
        for _generation, conn in idle:
            conn.close()
