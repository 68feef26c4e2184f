"""`packdesk printers list|test` as the owner runs them: states, CUPS queues, test prints."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from packdesk.cli import main

from .printing_peers import Listener, free_port, zpl_barcodes


def write_config(tmp_path: Path, zebra_port: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[station]
name = "CA-1"
data_dir = "{tmp_path / "data"}"

[[printers]]
name = "zebra"
kind = "zpl"
role = "label"
target = "tcp://127.0.0.1:{zebra_port}"

[[printers]]
name = "slips"
kind = "folder"
role = "slip"
target = "{tmp_path / "print"}"
""",
        "utf-8",
    )
    return config


def test_list_shows_each_printer_and_whether_it_answers(tmp_path: Path) -> None:
    port = free_port()
    result = CliRunner().invoke(
        main, ["--config", str(write_config(tmp_path, port)), "printers", "list"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    zebra = next(line for line in lines if line.startswith("zebra"))
    assert f"tcp://127.0.0.1:{port}" in zebra
    assert "NOT READY" in zebra
    assert "connection refused" in result.output
    slips = next(line for line in lines if line.startswith("slips"))
    assert "folder" in slips
    assert slips.endswith("ready")
    assert "CUPS queues" in result.output


def test_test_print_on_a_zpl_printer_carries_the_station_name(
    listener: Listener, tmp_path: Path
) -> None:
    config = write_config(tmp_path, listener.port)
    result = CliRunner().invoke(main, ["--config", str(config), "printers", "test", "zebra"])
    assert result.exit_code == 0, result.output
    assert f"Sent a test print to zebra (tcp://127.0.0.1:{listener.port})." in result.output
    (label,) = listener.wait_for(1)
    assert b"Station: CA-1" in label
    assert zpl_barcodes(label) == ["CA-1"]


def test_test_print_on_a_folder_printer_writes_a_pdf(tmp_path: Path) -> None:
    config = write_config(tmp_path, free_port())
    result = CliRunner().invoke(main, ["--config", str(config), "printers", "test", "slips"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "print" / "test-page.pdf"
    assert page.read_bytes().startswith(b"%PDF")


def test_test_print_on_a_printer_that_is_off_is_one_sentence(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path, port)
    result = CliRunner().invoke(main, ["--config", str(config), "printers", "test", "zebra"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Printer zebra at tcp://127.0.0.1:{port} does not answer (connection refused): "
        "switch it on and check the cable."
    )


def test_test_print_on_an_unknown_printer(tmp_path: Path) -> None:
    config = write_config(tmp_path, free_port())
    result = CliRunner().invoke(main, ["--config", str(config), "printers", "test", "nope"])
    assert result.exit_code == 2
    assert "No printer named 'nope' in the config (printers: zebra, slips)." in result.output


def test_a_bad_printer_target_is_one_sentence_naming_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, free_port())
    config.write_text(config.read_text().replace("tcp://127.0.0.1:", "gopher://127.0.0.1:"))
    result = CliRunner().invoke(main, ["--config", str(config), "printers", "list"])
    assert result.exit_code == 2
    assert result.output.startswith(f"{config}: 'gopher://127.0.0.1:")
    assert "is not a printer target packdesk knows" in result.output
    assert result.output.rstrip().endswith("Fix that [[printers]] entry.")
