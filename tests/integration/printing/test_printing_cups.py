"""A slip PDF through a real (private) CUPS server: `lp` to the `slips` queue, out comes a
PDF whose text is intact. Skips with the reason when CUPS is not installed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from packdesk.adapters.printers import CupsPrinter, PdfSlipRenderer, ZplPrinter, cups_queues
from packdesk.domain.ports import PrinterUnavailable
from packdesk.domain.slip import PackingSlip

from .cups_peer import PrivateCups
from .printing_peers import ITEMS, Listener, need, sample_order

pytestmark = pytest.mark.timeout(120)


def test_slip_pdf_printed_to_the_cups_queue_comes_out_with_its_text(
    private_cups: PrivateCups, tmp_path: Path
) -> None:
    bins = {variant: bin_ for _li, variant, _sku, _t, _q, bin_ in ITEMS}
    pdf = PdfSlipRenderer("Bright Minds Learning").render(
        PackingSlip.for_order(sample_order(), bins)
    )
    printer = CupsPrinter("laser", "cups://slips")
    assert printer.check() == ""
    private_cups.expect_slip()
    printer.send("1001-slip.pdf", "application/pdf", pdf)

    out = tmp_path / "printed.pdf"
    out.write_bytes(private_cups.printed_slip())
    text = subprocess.run(
        [need("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "#1001" in text
    for _li, _v, sku, _title, qty, _bin in ITEMS:
        row = next(line for line in text.splitlines() if sku in line)
        assert row.split()[0] == str(qty)
    queues = dict(cups_queues())  # what `packdesk printers list` shows
    assert queues["slips"].endswith("/out/slips.pdf")


def test_zpl_through_a_cups_raw_queue_arrives_unchanged(private_cups: PrivateCups) -> None:
    listener = Listener().start()
    try:
        subprocess.run(
            [
                "lpadmin",
                "-p",
                "rawtest",
                "-E",
                "-v",
                f"socket://127.0.0.1:{listener.port}",
                "-m",
                "raw",
            ],
            check=True,
            capture_output=True,
        )
        label = b"^XA^FO50,50^A0N,40,40^FDcups raw^FS^XZ\n"
        ZplPrinter("zebra", "cups://rawtest").send("1001-label.zpl", "application/zpl", label)
        assert listener.wait_for(1, timeout=30) == [label]
    finally:
        listener.stop()


def test_an_unknown_queue_is_a_sentence(private_cups: PrivateCups) -> None:
    printer = CupsPrinter("laser", "cups://nosuchqueue")
    assert "not ready" in printer.check()
    with pytest.raises(PrinterUnavailable, match="CUPS refused the job for printer laser"):
        printer.send("1001-slip.pdf", "application/pdf", b"%PDF-1.4\n")


def test_an_ipp_target_reaches_the_server_without_cups_server_set(
    private_cups: PrivateCups, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CUPS_SERVER")
    printer = CupsPrinter("laser", f"ipp://127.0.0.1:{private_cups.port}/printers/slips")
    assert printer.check() == ""
    pdf = PdfSlipRenderer("Bright Minds Learning").render(
        PackingSlip.for_order(sample_order("#1077"), {})
    )
    private_cups.expect_slip()
    printer.send("1077-slip.pdf", "application/pdf", pdf)
    printed = private_cups.printed_slip()
    assert b"%PDF-" in printed  # the generic PDF queue wraps it in PJL
    assert b"1077-slip.pdf" in printed
