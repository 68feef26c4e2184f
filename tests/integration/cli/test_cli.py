"""The `packdesk` command as an owner meets it: help, version, doctor."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from packdesk import __version__
from packdesk.cli import main

SUBCOMMANDS = ["demo", "run", "daemon", "sync", "sandbox", "doctor", "printers", "webhooks",
               "version", "rates", "ship", "void", "outbox", "config", "setup", "carriers"]  # fmt: skip


def test_help_lists_every_subcommand() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {
        line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()
    }
    assert set(SUBCOMMANDS) <= listed


def newest_migration() -> int:
    folder = Path(__file__).resolve().parents[3] / "src/packdesk/adapters/store/migrations"
    return max(int(p.name.split("_")[0]) for p in folder.glob("*.sql"))


def test_version_names_the_database_schema(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[station]\ndata_dir = "{tmp_path / "data"}"\n')
    newest = newest_migration()
    first = CliRunner().invoke(main, ["version", "--config", str(config)])
    assert first.output == f"packdesk {__version__}, database schema version {newest}\n"
    CliRunner().invoke(main, ["outbox", "list", "--config", str(config)])  # creates the database
    again = CliRunner().invoke(main, ["version", "--config", str(config)])
    database = tmp_path / "data" / "packdesk.db"
    assert again.output.splitlines()[1] == f"{database}: schema version {newest}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_doctor_names_each_failure_with_its_fix(tmp_path: Path) -> None:
    dead = _free_port()  # nothing listens here
    config = tmp_path / "config.toml"
    config.write_text(f"""
[station]
data_dir = "{tmp_path / "data"}"
[shopify]
shop = "bright-minds.myshopify.com"
endpoint = "http://127.0.0.1:{dead}"
access_token = "shpat-test"
[[printers]]
name = "zebra"
kind = "zpl"
role = "label"
target = "tcp://127.0.0.1:{dead}"
[[printers]]
name = "slips"
kind = "folder"
role = "slip"
target = "{tmp_path / "print"}"
""")
    result = CliRunner().invoke(main, ["--config", str(config), "doctor"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"[ok  ] config: read from {config}")
    assert any(line.startswith("[ok  ] database:") and "schema version" in line for line in lines)
    assert any(line.startswith("[FAIL] shopify: cannot reach") for line in lines)
    assert any(line.startswith("[FAIL] shippo: no API token") for line in lines)
    assert any(
        line.startswith("[FAIL] printer zebra") and "does not answer" in line for line in lines
    )
    assert any(line.startswith("[ok  ] printer slips") for line in lines)
    fixes = [line for line in lines if line.strip().startswith("fix:")]
    failures = [line for line in lines if line.startswith("[FAIL]")]
    assert len(fixes) == len(failures) == 3
    assert (tmp_path / "data" / "packdesk.db").exists()


def test_doctor_with_a_broken_config_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[station\n")
    result = CliRunner().invoke(main, ["--config", str(config), "doctor"])
    assert result.exit_code == 2
    assert result.output.startswith("[FAIL] config:")
