"""A station synced from a sandbox of its own (a fast Shopify bucket, fewer orders), whose
data folder a test copies when it changes anything."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from packdesk.bootstrap import Container
from packdesk.sandbox.server import SandboxServer
from packdesk.services.sync import RESOURCES
from packdesk.settings import Settings, load_settings

EXTRA = """
[analytics]
timezone = "UTC"

[reports]
email_to = "owner@example.com"
"""


@dataclass
class Station:
    server: SandboxServer
    config: Path
    data: Path

    def copy(self, tmp_path: Path, extra: str = "") -> Path:
        """A config of a copy of the synced station's data (`extra` TOML appended)."""
        data = tmp_path / "data"
        shutil.copytree(self.data, data)
        config = tmp_path / "config.toml"
        text = self.config.read_text().replace(str(self.data), str(data))
        config.write_text(text + extra)
        return config

    def settings(self, config: Path) -> Settings:
        return load_settings(config)

    def control(self) -> str:
        info = self.server.info
        assert info is not None
        return str(info.control_url)

    def orders(self) -> list[dict[str, Any]]:
        """Every order of the sandbox in Shopify's REST shape, from its control API."""
        found: list[dict[str, Any]] = []
        page: int | None = 1
        while page is not None:
            answer = httpx.get(
                f"{self.control()}/shopify/orders", params={"page": page}, timeout=30
            )
            answer.raise_for_status()
            found.extend(answer.json()["orders"])
            page = answer.json()["next_page"]
        return found

    def mail(self) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.control()}/mail", timeout=10)
        answer.raise_for_status()
        messages: list[dict[str, Any]] = answer.json()
        return messages


def start_station(root: Path, orders: int = 150) -> Station:
    # Long orders (250 lines) are the sync's own tests' business; here every order is short.
    server = SandboxServer(
        orders=orders, bucket_size=20_000.0, restore_rate=1_000.0, long_orders=False
    )
    server.start()
    config, data = root / "config.toml", root / "data"
    server.write_config(config, data)
    config.write_text(config.read_text() + EXTRA)
    with Container(load_settings(config)) as container:
        for resource in RESOURCES:
            assert container.sync.run(resource).ok, resource
        container.analytics.service.snapshot_stock()
    return Station(server, config, data)


def packdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKDESK_")}
    return subprocess.run(
        [sys.executable, "-m", "packdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def placed_between(order: dict[str, Any], first: date, last: date) -> bool:
    placed = datetime.fromisoformat(order["created_at"]).date()
    return first <= placed <= last and order["cancelled_at"] is None


def money(value: str | None) -> Decimal:
    return Decimal(value or "0")
