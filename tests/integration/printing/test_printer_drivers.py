"""Each printer kind against a real peer: a loopback port-9100 listener, files, and the
sentences a packer reads when the printer is off."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from packdesk.adapters.printers import EscposPrinter, FolderPrinter, ZplPrinter, make_printer
from packdesk.domain.ports import PrinterUnavailable, PrintRefused

from .printing_peers import TRACKING, ZPL_LABEL, Listener, free_port, zpl_barcodes


def test_zpl_reaches_the_printer_byte_for_byte(listener: Listener) -> None:
    printer = ZplPrinter("zebra", f"tcp://127.0.0.1:{listener.port}")
    printer.send("1001-label.zpl", "application/zpl", ZPL_LABEL)
    (received,) = listener.wait_for(1)
    assert received == ZPL_LABEL
    assert zpl_barcodes(received) == [TRACKING]


def test_a_zpl_printer_that_is_off_says_so_in_a_sentence() -> None:
    port = free_port()
    printer = ZplPrinter("zebra", f"tcp://127.0.0.1:{port}")
    with pytest.raises(PrinterUnavailable) as raised:
        printer.send("1001-label.zpl", "application/zpl", ZPL_LABEL)
    assert str(raised.value) == (
        f"Printer zebra at tcp://127.0.0.1:{port} does not answer (connection refused): "
        "switch it on and check the cable; the job waits in the queue."
    )
    assert "does not answer" in printer.check()


def test_zpl_printer_refuses_a_pdf_label() -> None:
    printer = ZplPrinter("zebra", "tcp://127.0.0.1:9")
    with pytest.raises(PrintRefused, match="prints ZPL"):
        printer.send("1001-label.pdf", "application/pdf", b"%PDF-1.4")


def test_zpl_to_a_device_file(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    ZplPrinter("zebra", str(device)).send("1001-label.zpl", "application/zpl", ZPL_LABEL)
    assert device.read_bytes() == ZPL_LABEL
    missing = ZplPrinter("zebra", "/dev/usb/lp-not-there")
    with pytest.raises(PrinterUnavailable, match="does not answer"):
        missing.send("1001-label.zpl", "application/zpl", ZPL_LABEL)


def test_folder_printer_names_files_after_the_order_and_never_overwrites(tmp_path: Path) -> None:
    printer = FolderPrinter("labels", tmp_path / "print")
    printer.send("1001-label.zpl", "application/zpl", b"first")
    printer.send("1001-label.zpl", "application/zpl", b"reprint")
    printer.send("1001-slip.pdf", "application/pdf", b"%PDF")
    printer.send("1001-label.zpl", "application/zpl", b"third")
    folder = tmp_path / "print"
    assert sorted(p.name for p in folder.iterdir()) == [
        "1001-label-2.zpl",
        "1001-label-3.zpl",
        "1001-label.zpl",
        "1001-slip.pdf",
    ]
    assert (folder / "1001-label.zpl").read_bytes() == b"first"
    assert (folder / "1001-label-2.zpl").read_bytes() == b"reprint"
    assert printer.check() == ""


def test_folder_printer_that_cannot_write_keeps_the_job(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    printer = FolderPrinter("labels", blocker / "print")
    with pytest.raises(PrinterUnavailable, match="cannot write to the folder"):
        printer.send("1001-label.zpl", "application/zpl", b"x")


def png_label(width: int = 812, height: int = 1218) -> bytes:
    image = Image.new("L", (width, height), 255)
    image.paste(0, (100, 100, 700, 300))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_escpos_png_label_is_scaled_to_the_profile_width(
    listener: Listener, capfd: pytest.CaptureFixture[str]
) -> None:
    printer = EscposPrinter("receipt", f"tcp://127.0.0.1:{listener.port}", {"profile": "TM-T20II"})
    printer.send("1001-label.png", "image/png", png_label())
    (received,) = listener.wait_for(1)
    assert received.startswith(b"\x1b@")
    at = received.index(b"\x1dv0")
    width_px = 8 * (received[at + 4] + 256 * received[at + 5])
    assert width_px == 576  # TM-T20II paper width in dots; the 812-dot label shrank
    assert capfd.readouterr().out == ""


def test_escpos_raw_slip_goes_out_unchanged_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "escpos.bin"
    printer = make_printer("receipt", "escpos", str(out), {})
    printer.send("1001-slip.bin", "application/escpos", b"\x1b@hello\n")
    assert out.read_bytes() == b"\x1b@hello\n"


def test_escpos_printer_that_is_off(capfd: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    printer = EscposPrinter("receipt", f"tcp://127.0.0.1:{port}")
    with pytest.raises(PrinterUnavailable) as raised:
        printer.send("1001-slip.bin", "application/escpos", b"\x1b@x")
    assert "Printer receipt at tcp://127.0.0.1:" in str(raised.value)
    assert "connection refused" in str(raised.value)
    assert capfd.readouterr().out == ""


def test_escpos_refuses_pdf() -> None:
    printer = EscposPrinter("receipt", "tcp://127.0.0.1:9")
    with pytest.raises(PrintRefused, match="PNG labels and ESC/POS slips"):
        printer.send("1001-label.pdf", "application/pdf", b"%PDF")


@pytest.mark.parametrize(
    ("kind", "target", "message"),
    [
        ("zpl", "usb://04b8:0202", "a zpl printer's target"),
        ("cups", "tcp://host:9100", "a cups printer's target"),
        ("escpos", "gopher://x", "not a printer target"),
        ("zpl", "tcp://:9100", "names no host"),
    ],
)
def test_bad_targets_are_sentences(kind: str, target: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_printer("p", kind, target, {})


def test_python_escpos_notices_go_to_the_log_not_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # The "default" profile has no paper width: python-escpos print()s a notice about it.
    out = tmp_path / "label.bin"
    printer = EscposPrinter("receipt", str(out), {"profile": "default"})
    with caplog.at_level("DEBUG", logger="packdesk.escpos"):
        printer.send("1001-label.png", "image/png", png_label(300, 200))
    assert out.read_bytes().startswith(b"\x1b@")
    assert capfd.readouterr().out == ""
    assert any("media.width.pixel" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("target", ["usb://04b8:0202", "serial:///dev/ttyUSB-not-there"])
def test_escpos_usb_or_serial_not_there_is_a_sentence(
    target: str, capfd: pytest.CaptureFixture[str]
) -> None:
    printer = EscposPrinter("receipt", target)
    with pytest.raises(PrinterUnavailable, match=f"^Printer receipt at {target} ") as raised:
        printer.send("1001-slip.bin", "application/escpos", b"\x1b@x")
    assert str(raised.value).endswith("the job waits in the queue.")
    del printer
    captured = capfd.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
