"""Driving the station app in tests: a recorder of every message the app's parts handle, and
waits on conditions (workers done, a message seen), never on the clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.message import Message
from textual.pilot import Pilot

from packdesk.tui.app import PackdeskApp
from packdesk.tui.screens.pack import PackScreen

M = TypeVar("M", bound=Message)

SIZE = (120, 40)


class Messages(list[Message]):
    """Every message the app and its screens handled, in order (`run_test(message_hook=)`).
    A message that bubbles from a screen to the App is handled twice and listed twice."""

    def of(self, kind: type[M]) -> list[M]:
        """The messages of one kind, each once, in order."""
        seen: list[M] = []
        for message in self:
            if isinstance(message, kind) and not any(message is m for m in seen):
                seen.append(message)
        return seen


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs and the messages they posted are handled (a handler may
    start the next worker: the last scan starts the label purchase)."""
    app = pilot.app
    await pilot.pause()
    while len(app.workers):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot[Any], check: Callable[[], bool], what: str) -> None:
    """Let the app run until `check()` holds (timers and bus events included)."""
    for _ in range(2000):
        if check():
            return
        await settle(pilot)
        if check():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the station never got there: {what}")


async def scan(pilot: Pilot[Any], code: str, end: str = "enter") -> None:
    """Type a code and its terminator as a scanner does, and wait for the answer."""
    await pilot.press(*code, end)
    await settle(pilot)


async def open_pack(pilot: Pilot[Any], name: str = "#1001") -> PackScreen:
    """Scan the order's slip on the queue and wait for its pack screen."""
    await settle(pilot)
    await scan(pilot, name)
    assert isinstance(pilot.app.screen, PackScreen), pilot.app.screen
    return pilot.app.screen


def count_bells(app: PackdeskApp) -> list[int]:
    """Swap the terminal bell for a list the test can count."""
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    return bells
