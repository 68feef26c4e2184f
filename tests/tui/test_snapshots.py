"""Snapshots of the main screen states, with fixed data and a fixed clock.

Update them only after reading the diff: `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packdesk.tui.app import PackdeskApp

from .conftest import build_rig
from .pilot import settle

SIZE = (120, 40)


def make_app(tmp_path: Path) -> PackdeskApp:
    rig = build_rig(tmp_path)
    return PackdeskApp(rig.desk, status_every_s=0)


def test_queue(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_pack_mid_pack(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(*"#1001", "enter")
        await settle(pilot)
        await pilot.press(*"0700000000028", "enter")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_pack_with_error(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(*"#1001", "enter")
        await settle(pilot)
        await pilot.press(*"0700000000035", "enter")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=run_before)
