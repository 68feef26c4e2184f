"""`packdesk sandbox` as a real subprocess: one JSON line, serving, clean exit on SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from packdesk.sandbox.server import SandboxInfo, SandboxServer, demo_config_text
from packdesk.settings import load_settings

SRC = Path(__file__).resolve().parents[3] / "src"


def run_sandbox(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", "from packdesk.cli import main; main()", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_packdesk_sandbox_prints_its_info_serves_and_stops_on_sigint(tmp_path: Path) -> None:
    config = tmp_path / "packdesk.toml"
    process = run_sandbox(
        "--seed",
        "3",
        "--orders",
        "20",
        "--write-config",
        str(config),
        "--faults",
        "shippo.refunds:latency_ms=10",
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        info = SandboxInfo(**json.loads(line))
        assert info.shippo_token.startswith("shippo_test_")
        answer = httpx.get(
            f"{info.shippo_url}/carrier_accounts",
            headers={"Authorization": f"ShippoToken {info.shippo_token}"},
        )
        assert answer.status_code == 200
        assert httpx.get(f"{info.control_url}/faults").json()["shippo.refunds"]["latency_ms"] == 10
        settings = load_settings(config, require_tokens=True)
        assert settings.shippo.endpoint == info.shippo_url
        # the config leaves the API version to packdesk; the sandbox answers any version
        assert settings.shopify.graphql_url().startswith(f"{info.shopify_endpoint}/admin/api/")
        assert settings.email.smtp_port == int(info.smtp.rsplit(":", 1)[1])
        assert {p.kind for p in settings.printers} == {"folder"}
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=90)
    assert process.returncode == 0, err
    assert out == ""
    with pytest.raises(httpx.ConnectError):
        httpx.get(info.control_url)


def test_packdesk_sandbox_refuses_a_bad_fault_spec() -> None:
    process = run_sandbox("--faults", "mars:error_rate=1")
    out, err = process.communicate(timeout=90)
    assert process.returncode == 2
    assert out == ""
    assert "unknown fault endpoint 'mars'" in err


def test_sigterm_also_stops_it() -> None:
    process = run_sandbox()
    assert process.stdout is not None
    json.loads(process.stdout.readline())
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=90)
    assert process.returncode == 0


def test_demo_config_loads_with_tokens(tmp_path: Path, sandbox: SandboxInfo) -> None:
    path = tmp_path / "config.toml"
    path.write_text(demo_config_text(sandbox, tmp_path / "data"))
    settings = load_settings(path, require_tokens=True)
    assert settings.station.resolved_data_dir() == tmp_path / "data"
    assert settings.shopify.access_token.get_secret_value() == sandbox.shopify_token
    assert settings.email.sendgrid_endpoint == sandbox.sendgrid_url


def test_server_write_config_needs_a_started_server(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="start the sandbox"):
        SandboxServer().write_config(tmp_path / "c.toml", tmp_path)


def test_packdesk_sandbox_says_when_the_port_is_taken(sandbox: SandboxInfo) -> None:
    port = sandbox.control_url.rsplit(":", 1)[1].split("/")[0]
    process = run_sandbox("--port", port)
    out, err = process.communicate(timeout=90)
    assert process.returncode == 2
    assert out == ""
    assert f"cannot listen on 127.0.0.1:{port}" in err
