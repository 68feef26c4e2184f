"""`packdesk outbox list|retry|run --once|suppress` as an operator uses them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from packdesk.adapters.store import SqliteStore
from packdesk.cli import main
from packdesk.domain.events import Event
from packdesk.domain.states import StationState
from packdesk.services.effects import fulfillment_effects
from packdesk.services.station import StationService

from .outbox_helpers import LOCATION, MovableClock, make_order, make_purchase


class Bus:
    def publish(self, event: Event) -> None:
        pass


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def write_config(tmp_path: Path, port: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[station]
data_dir = "{tmp_path / "data"}"
[email]
sender = "smtp"
from_address = "orders@brightminds.example"
smtp_host = "127.0.0.1"
smtp_port = {port}
smtp_security = "none"
timeout_s = 3
[outbox]
max_attempts = 1
"""
    )
    return config


def packed_order(tmp_path: Path) -> None:
    store = SqliteStore.open(tmp_path / "data" / "packdesk.db")
    order = make_order(1001)
    store.orders.save(order)
    station = StationService(store, Bus(), MovableClock())
    for state in (StationState.NEW, StationState.PACKING, StationState.PACKED):
        station.move(order.id, state, actor="packer")
    station.move(
        order.id,
        StationState.LABELED,
        actor="packer",
        outbox=fulfillment_effects(order, make_purchase(order), LOCATION),
    )
    store.close()


def run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--config", str(config), "outbox", *args])


def test_dead_email_is_listed_retried_and_sent(tmp_path: Path, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    packed_order(tmp_path)
    broken = write_config(tmp_path, free_port())  # nothing listens there

    result = run(broken, "run", "--once")
    assert result.exit_code == 1
    assert "Settled 1 item(s); 1 pending, 1 dead." in result.output
    assert "fulfillment (no Shopify access configured)" in result.output

    listing = run(broken, "list")
    assert listing.exit_code == 0
    assert "pending 1  delivered 0  dead 1  skipped 0" in listing.output
    dead = next(line for line in listing.output.splitlines() if " DEAD " in line)
    assert "email:shipping_confirmation:gid://shopify/Order/1001" in dead
    assert "Cannot reach the mail server" in dead
    item_id = dead.split()[0]

    assert run(broken, "retry", "999").output.strip() == (
        "No outbox item 999; `packdesk outbox list` shows their ids."
    )
    retried = run(broken, "retry", item_id)
    assert retried.exit_code == 0
    assert f"Item {item_id} will be sent again" in retried.output
    again = run(broken, "retry", item_id)
    assert again.exit_code == 2
    assert "is PENDING, not DEAD" in again.output

    fixed = write_config(tmp_path, port)
    result = run(fixed, "run", "--once")
    assert result.exit_code == 0, result.output
    assert len(box.messages) == 1
    assert b"Subject: Your order #1001 is on its way" in box.messages[0]
    assert "delivered 1" in run(fixed, "list", "--all").output


def test_retry_needs_an_id_or_all(tmp_path: Path) -> None:
    config = write_config(tmp_path, free_port())
    result = run(config, "retry")
    assert result.exit_code == 2
    assert "Give one item ID or --all" in result.output
    assert run(config, "retry", "--all").output.strip() == "0 dead item(s) will be sent again."


def test_suppress_and_unsuppress(tmp_path: Path) -> None:
    config = write_config(tmp_path, free_port())
    assert "gets no more marketing emails" in run(config, "suppress", "Maya@Example.com").output
    store = SqliteStore.open(tmp_path / "data" / "packdesk.db")
    assert store.outbox.is_suppressed("maya@example.com")
    store.close()
    assert "removed from" in run(config, "unsuppress", "maya@example.com").output
    assert "was not on" in run(config, "unsuppress", "maya@example.com").output
