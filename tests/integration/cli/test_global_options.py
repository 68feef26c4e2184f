"""`--config FILE` and `--verbose` work before or after the command's name, through the real
`packdesk` entry point: `packdesk ship '#1001' --config FILE` reads FILE as
`packdesk --config FILE ship '#1001'` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def packdesk(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKDESK_")}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config")}  # no default config
    return subprocess.run(
        [sys.executable, "-m", "packdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "station.toml"
    path.write_text(
        f'[station]\nname = "PA-2"\nlocation = "PA"\ndata_dir = "{tmp_path / "data"}"\n'
        '[shopify]\nshop = "bright-minds.myshopify.com"\naccess_token = "shpat-test"\n'
        '[shippo]\napi_token = "shippo_test_0a1b"\n'
    )
    return path


@pytest.mark.parametrize(
    ("command", "said", "logged"),
    [
        (["config", "check"], "Config OK: {config} (Shippo TEST)", ""),
        (["outbox", "list"], "pending 0", "packdesk outbox list with config {config}"),
        (["ship", "#1001"], "No order #1001 in the local database", "with config {config}"),
    ],
    ids=["config-check", "outbox-list", "ship"],
)
def test_global_options_before_or_after_the_command(
    config: Path, tmp_path: Path, command: list[str], said: str, logged: str
) -> None:
    before = packdesk("--config", str(config), "--verbose", *command, home=tmp_path)
    after = packdesk(*command, "--config", str(config), "--verbose", home=tmp_path)
    assert "No such option" not in after.stderr
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout)
    for result in (before, after):
        assert said.format(config=config) in result.stdout + result.stderr
        assert logged.format(config=config) in result.stderr  # --verbose echoes the log


def test_a_group_takes_them_between_its_name_and_its_command(config: Path, tmp_path: Path) -> None:
    result = packdesk("outbox", "--config", str(config), "list", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pending 0" in result.stdout
    assert (tmp_path / "data" / "packdesk.db").exists()
    assert "with config" not in result.stderr  # the log is echoed only with --verbose


def test_without_config_the_command_says_what_is_missing(tmp_path: Path) -> None:
    """The control: without --config the same ship has no tokens, so the tests above pass
    only because the file given after the command was read."""
    result = packdesk("ship", "#1001", home=tmp_path)
    assert result.returncode == 2
    assert "[shopify].access_token is empty" in result.stderr
