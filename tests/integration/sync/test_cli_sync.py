"""`packdesk sync`, `packdesk webhooks` and `packdesk daemon` as an owner runs them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

import packdesk
from packdesk.adapters.shopify.webhooks import sign
from packdesk.cli import main
from packdesk.sandbox.server import SandboxServer

from .sandbox_rig import control

SRC = str(Path(packdesk.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def cli_server() -> Iterator[Any]:
    server = SandboxServer(seed=3, orders=60)
    server.start()
    httpx.put(f"{control(server)}/throttle", json={"enabled": False}).raise_for_status()
    yield server
    server.stop()


@pytest.fixture
def config(cli_server: Any, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    cli_server.write_config(path, tmp_path / "data")
    return path


def test_sync_once_prints_a_summary_and_the_first_run_shows_progress(config: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(config), "sync", "--once"])
    assert result.exit_code == 0, result.output
    assert "First full sync" in result.stderr
    assert "orders: " in result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:4]] == [
        "locations",
        "variants",
        "inventory",
        "orders",
    ]
    assert lines[3].split()[1] == "60"
    assert all(line.endswith("ok") for line in lines[:4])
    assert "Shopify cost used" in lines[4]

    again = CliRunner().invoke(
        main, ["--config", str(config), "sync", "--once", "--resource", "orders"]
    )
    assert again.exit_code == 0, again.output
    assert "First full sync" not in again.stderr
    assert [line.split()[0] for line in again.stdout.splitlines()[:1]] == ["orders"]


def test_a_wrong_token_is_one_sentence_naming_the_key_and_file(config: Path) -> None:
    text = config.read_text().replace('"sandbox-shopify-token"', '"wrong-token"')
    config.write_text(text)
    result = CliRunner().invoke(main, ["--config", str(config), "sync", "--once"])
    assert result.exit_code == 1
    assert (
        f"Shopify refused the access token (401): check [shopify].access_token in {config}."
        in result.stdout
    )
    assert "Traceback" not in result.output


def test_webhooks_need_the_secret(config: Path) -> None:
    text = config.read_text().replace(
        'webhook_secret = "sandbox-webhook-secret"', 'webhook_secret = ""'
    )
    config.write_text(text)
    result = CliRunner().invoke(main, ["--config", str(config), "webhooks", "--port", "0"])
    assert result.exit_code == 2
    assert "[shopify].webhook_secret is empty" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_daemon_runs_jobs_and_the_receiver_until_sigterm(config: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": SRC,
        "PACKDESK_WEBHOOKS__ENABLED": "true",
        "PACKDESK_WEBHOOKS__PORT": str(port),
    }
    daemon = subprocess.Popen(
        [sys.executable, "-m", "packdesk", "--config", str(config), "daemon"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert daemon.stderr is not None
        seen = ""
        deadline = time.monotonic() + 60
        while "packdesk daemon running jobs" not in seen:
            assert time.monotonic() < deadline, seen
            seen += daemon.stderr.readline()
        assert f"http://127.0.0.1:{port}/webhooks" in seen
        assert "sync_orders" in seen
        body = json.dumps({"id": 1001, "admin_graphql_api_id": "gid://shopify/Order/1001"}).encode()
        answer = httpx.post(
            f"http://127.0.0.1:{port}/webhooks",
            content=body,
            headers={
                "X-Shopify-Hmac-Sha256": sign(body, "sandbox-webhook-secret"),
                "X-Shopify-Topic": "orders/updated",
                "X-Shopify-Shop-Domain": "bright-minds-learning.myshopify.com",
                "X-Shopify-Event-Id": "daemon-1",
                "X-Shopify-Webhook-Id": "daemon-webhook-1",
                "Content-Type": "application/json",
            },
            timeout=5,
        )
        assert answer.status_code == 200
        assert answer.elapsed.total_seconds() < 1.0
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(60)
    assert code == 0
