"""`packdesk sandbox` restarted on fixed ports: the written config stays right, and nothing
the new run makes takes the id, name or tracking number of something the old run made."""

from __future__ import annotations

import json
import signal
import socket
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from packdesk.sandbox.server import SandboxInfo

from .helpers import buy_label, shippo_client
from .test_cli import run_sandbox


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox_process(*args: str) -> Iterator[SandboxInfo]:
    process = run_sandbox(*args)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        yield SandboxInfo(**json.loads(line))
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=90)
    assert process.returncode == 0


def made_in(info: SandboxInfo) -> dict[str, Any]:
    order = httpx.post(f"{info.control_url}/shopify/orders", json={}, timeout=30).json()
    with shippo_client(info) as client:
        label = buy_label(client)
    return {
        "order id": order["admin_graphql_api_id"],
        "order name": order["name"],
        "line item": order["line_items"][0]["admin_graphql_api_id"],
        "fulfillment order": order["fulfillment_orders"][0]["admin_graphql_api_id"],
        "transaction": label["object_id"],
        "rate": label["rate"]["object_id"],
        "tracking number": label["tracking_number"],
    }


def test_a_restart_on_fixed_ports_keeps_the_config_and_repeats_no_id(tmp_path: Path) -> None:
    port, smtp_port = free_port(), free_port()
    config = tmp_path / "packdesk.toml"
    common = ("--port", str(port), "--smtp-port", str(smtp_port), "--seed", "5")
    with sandbox_process(*common, "--orders", "40", "--write-config", str(config)) as first:
        assert first.shopify_endpoint == f"http://127.0.0.1:{port}"
        assert first.smtp == f"127.0.0.1:{smtp_port}"
        written = tomllib.loads(config.read_text())
        assert written["email"]["smtp_port"] == smtp_port
        before = made_in(first)
    with sandbox_process(*common, "--orders", "40") as second:
        assert second == first  # every URL and token a written config holds
        after = made_in(second)
    for what, value in before.items():
        assert after[what] != value, what


def test_the_sandbox_runs_a_standard_store_of_100000_orders() -> None:
    with sandbox_process("--orders", "100000", "--plan", "standard") as info:
        throttle = httpx.get(f"{info.control_url}/shopify/throttle").json()
        assert throttle["maximumAvailable"] == 2000.0
        assert throttle["restoreRate"] == 100.0
        newest = httpx.post(
            info.shopify_url,
            json={"query": "{ orders(first: 1, reverse: true) { nodes { name } } }"},
            headers={"X-Shopify-Access-Token": info.shopify_token},
            timeout=30,
        ).json()
        assert newest["data"]["orders"]["nodes"] == [{"name": "#101000"}]
    with sandbox_process("--orders", "50", "--plan", "plus") as info:
        throttle = httpx.get(f"{info.control_url}/shopify/throttle").json()
        assert throttle["maximumAvailable"] == 20000.0


def test_a_taken_smtp_port_is_named() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = run_sandbox("--smtp-port", str(port))
        out, err = process.communicate(timeout=90)
    assert process.returncode == 2
    assert out == ""
    assert f"cannot listen on the SMTP port {port}" in err
    assert "--smtp-port" in err
