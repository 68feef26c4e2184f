"""Fixtures of the printing tests: real peers (loopback listener, SQLite file, private CUPS)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock

from .cups_peer import PrivateCups, private_cups_server
from .printing_peers import Listener, Recorder


@pytest.fixture
def listener() -> Iterator[Listener]:
    peer = Listener().start()
    yield peer
    peer.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore.open(tmp_path / "packdesk.db")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))


@pytest.fixture
def bus() -> Recorder:
    return Recorder()


@pytest.fixture
def private_cups(monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateCups]:
    """A private CUPS server (queue `slips` writes DIR/out/slips.pdf); CUPS_SERVER points at it."""
    with private_cups_server() as cups:
        monkeypatch.setenv("CUPS_SERVER", cups.socket)
        yield cups
