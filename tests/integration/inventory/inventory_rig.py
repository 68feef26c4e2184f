"""A station on the session's sandbox, for the inventory tests: its written config (with the
demo's suppliers file and FBA report beside it), the CLI on it, the sandbox's own view of
stock, and a clock the outbox runs on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner, Result

from packdesk.cli import main
from packdesk.sandbox.server import SandboxInfo, SandboxServer


class MovableClock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime.now(UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class Station:
    config: Path
    folder: Path
    server: SandboxServer
    info: SandboxInfo

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(self.config), *args])

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        return result.output

    def level(self, sku: str, code: str) -> dict[str, int]:
        """Shopify's quantities of a SKU at a location, as the sandbox holds them."""
        state = self.server.shopify.state
        with state.lock:
            item = state.catalog.by_sku[sku]["inventoryItem"]
            loc = state.catalog.locations[code]["id"]
            return dict(item["_levels"][loc]["_q"])

    def report_file(self) -> bytes:
        """The demo seller's FBA report as Seller Central would download it now."""
        answer = httpx.get(f"{self.info.control_url}/amazon/report-file")
        answer.raise_for_status()
        return answer.content

    def control(self, method: str, path: str, body: Any = None) -> Any:
        answer = httpx.request(method, f"{self.info.control_url}{path}", json=body)
        answer.raise_for_status()
        return answer.json() if answer.content else None
