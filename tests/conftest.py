"""Fixtures shared by every test: the sandbox servers (started once) and the reference dir."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from packdesk.sandbox.server import SandboxInfo, SandboxServer

API_DATE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One sandbox (Shopify, Shippo, SendGrid, SMTP, control) for the whole test session.

    Its Shopify answers API versions as on 2026-12-01, whatever the date and however far
    tests move sandbox time, so packdesk's configured version is answered the same way in
    every run (tests of version handling move the calendar through the control API)."""
    server = SandboxServer(seed=7, orders=300, api_date=API_DATE)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxInfo]:
    """The session's sandbox with no faults, no rate limits and an empty mailbox."""
    sandbox_server.reset()
    assert sandbox_server.info is not None
    yield sandbox_server.info
    sandbox_server.reset()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """../shared/reference beside the repository (real Shopify schema, Shippo OpenAPI).

    A git worktree one level further down (e.g. wt/<branch>) finds it one level up.
    """
    root = Path(__file__).resolve().parents[1]
    path = root.parent / "shared" / "reference"
    for candidate in (path, root.parent.parent / "shared" / "reference"):
        if candidate.is_dir():
            return candidate
    pytest.skip(f"{path} is absent: the real Shopify/Shippo reference files are not here")
