"""The print queue as the container builds it from a config: folder printers (the demo
default), an escpos slip printer, and a config mistake told as a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from packdesk.bootstrap import Container
from packdesk.settings import ConfigError, PrinterSettings, Settings, StationSettings

from .printing_peers import add_order, sample_order


def settings(tmp_path: Path, *printers: PrinterSettings) -> Settings:
    return Settings(
        station=StationSettings(data_dir=str(tmp_path / "data")), printers=list(printers)
    )


def test_a_demo_style_config_prints_a_slip_into_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "print"
    config = settings(
        tmp_path,
        PrinterSettings(name="labels", kind="folder", role="label", target=str(out)),
        PrinterSettings(
            name="slips", kind="folder", role="slip", target=str(out), options={"page": "4x6"}
        ),
    )
    with Container(config) as container:
        order = add_order(container.store, sample_order())
        printing = container.printing
        assert printing.label_format() == "PDF_4x6"
        job = printing.enqueue_slip(order.id)
        assert job.printer == "slips"
        printing.run_once()
        assert (out / "1001-slip.pdf").read_bytes().startswith(b"%PDF")


def test_an_escpos_slip_printer_gets_escpos_slips(tmp_path: Path) -> None:
    config = settings(
        tmp_path,
        PrinterSettings(
            name="receipt",
            kind="escpos",
            role="slip",
            target=str(tmp_path / "r.bin"),
            options={"profile": "TM-T20II"},
        ),
    )
    assert Container(config).slip_renderer.content_type == "application/escpos"


def test_a_zpl_slip_printer_is_a_config_sentence(tmp_path: Path) -> None:
    config = settings(
        tmp_path,
        PrinterSettings(name="zebra", kind="zpl", role="slip", target="tcp://127.0.0.1:9100"),
    )
    with pytest.raises(ConfigError, match="packing slips print as PDF or ESC/POS, not ZPL"):
        Container(config).printing.run_once()
