"""`packdesk service install|remove`: the systemd user unit of the daemon, read as systemd
reads it (`systemd-analyze verify` when this machine has it); systemd itself is not started."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from packdesk.cli import main

CONFIG = """
[station]
name = "CA-1"
data_dir = "{data}"
[shopify]
shop = "bright-minds.myshopify.com"
access_token = "shpat_0123456789abcdef"
[shippo]
api_token = "shippo_live_0123456789abcdef"
[webhooks]
enabled = true
port = 8787
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = tmp_path / "Station Config"  # a space: the unit must quote the path
    folder.mkdir()
    path = folder / "config.toml"
    path.write_text(CONFIG.format(data=tmp_path / "data"))
    return path


def run(*args: str, home: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"XDG_CONFIG_HOME": str(home)})
    return result.exit_code, result.output


def directives(unit: str) -> dict[str, str]:
    found = {}
    for line in unit.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            found[key] = value
    return found


def test_install_writes_a_unit_that_runs_the_daemon_and_restarts_it(
    config: Path, tmp_path: Path
) -> None:
    code, output = run("service", "install", "--config", str(config), home=tmp_path / "home")
    assert code == 0, output
    unit = tmp_path / "home" / "systemd" / "user" / "packdesk.service"
    assert f"Wrote {unit} (the daemon with {config})." in output
    assert "systemctl --user enable --now packdesk.service" in output
    assert "journalctl --user -u packdesk.service -f" in output
    text = unit.read_text()
    found = directives(text)
    assert found["ExecStart"] == f'{sys.executable} -m packdesk daemon --config "{config}"'
    assert found["Restart"] == "on-failure"
    assert found["RestartPreventExitStatus"] == "2"  # a config mistake: restarting cannot help
    assert found["StandardOutput"] == found["StandardError"] == "journal"
    assert found["WantedBy"] == "default.target"
    assert found["Description"] == (
        "packdesk daemon for station CA-1 (jobs, webhook receiver on 127.0.0.1:8787)"
    )
    assert found["WorkingDirectory"] == str(tmp_path / "data")
    assert "shpat_" not in text
    assert "shippo_live_" not in text  # tokens stay in the config file


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_reads_the_unit_without_a_complaint(config: Path, tmp_path: Path) -> None:
    units = tmp_path / "units"
    assert run("service", "install", "--config", str(config), "--unit-dir", str(units),
               home=tmp_path)[0] == 0  # fmt: skip
    verified = subprocess.run(
        ["systemd-analyze", "verify", str(units / "packdesk.service")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert "packdesk.service" not in verified.stderr  # no warning about the unit itself


def test_remove_takes_away_the_unit_and_its_enable_link(config: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    run("service", "install", "--config", str(config), home=home)
    units = home / "systemd" / "user"
    wants = units / "default.target.wants"
    wants.mkdir()
    (wants / "packdesk.service").symlink_to(units / "packdesk.service")  # systemctl enable
    code, output = run("service", "remove", home=home)
    assert code == 0
    assert f"Removed {units / 'packdesk.service'}." in output
    assert "systemctl --user stop packdesk.service" in output
    assert not (units / "packdesk.service").exists()
    assert not (wants / "packdesk.service").is_symlink()
    assert run("service", "remove", home=home) == (0, "No packdesk.service to remove.\n")


def test_install_needs_a_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["service", "install"],
        env={
            "XDG_CONFIG_HOME": str(tmp_path),  # no config.toml there
            "PACKDESK_SHOPIFY__ACCESS_TOKEN": "shpat_0123456789abcdef",
            "PACKDESK_SHIPPO__API_TOKEN": "shippo_test_0123456789",
        },
    )
    assert result.exit_code == 2
    assert result.output == (
        "The service needs a config file to run with: write one with `packdesk setup`, "
        "or name one with --config.\n"
    )
    assert not (tmp_path / "systemd").exists()
