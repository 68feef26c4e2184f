"""Fixtures of the inventory tests: a station on the session's sandbox (inventory_rig.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from packdesk.sandbox.server import SandboxInfo, SandboxServer

from .inventory_rig import Station


@pytest.fixture
def station(sandbox: SandboxInfo, sandbox_server: SandboxServer, tmp_path: Path) -> Station:
    config = tmp_path / "config.toml"
    sandbox_server.write_config(config, tmp_path / "data")
    station = Station(config, tmp_path, sandbox_server, sandbox)
    # a sync of the whole demo shop needs no rate limit here (the sandbox's reset restores it)
    station.control("PUT", "/shopify/throttle", {"enabled": False})
    return station


@pytest.fixture
def synced(station: Station) -> Station:
    """The station after its first sync, with the demo's suppliers loaded."""
    station.ok("sync", "--once")
    station.ok("suppliers", "import", str(station.folder / "suppliers.csv"))
    return station
