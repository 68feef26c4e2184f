"""What `packdesk printers test NAME` prints: a small label or page carrying the station's
name and the time, in the format the printer's kind takes."""

from __future__ import annotations

import io
from datetime import datetime

from escpos.printer import Dummy
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import LETTER, inch
from reportlab.pdfgen.canvas import Canvas

from packdesk.adapters.printers.quiet import quiet_escpos
from packdesk.adapters.printers.slip_escpos import DEFAULT_PROFILE, ESCPOS_TYPE


def zpl_test_label(printer: str, station: str, at: datetime) -> bytes:
    """A 4x6 ZPL label (203 dpi) with the printer and station names and a Code128."""
    stamp = f"{at:%Y-%m-%d %H:%M} UTC"
    return (
        "^XA\n^CI28\n^PW812\n^LL1218\n"
        "^FO50,60^A0N,60,60^FDpackdesk test label^FS\n"
        f"^FO50,160^A0N,40,40^FDPrinter: {_zpl_text(printer)}^FS\n"
        f"^FO50,220^A0N,40,40^FDStation: {_zpl_text(station)}^FS\n"
        f"^FO50,280^A0N,32,32^FD{stamp}^FS\n"
        f"^FO50,360^BY3^BCN,120,Y,N,N^FD{_zpl_text(station)}^FS\n"
        "^XZ\n"
    ).encode()


def pdf_test_page(printer: str, station: str, at: datetime, *, label: bool) -> bytes:
    """A one-page PDF: 4x6 for label printers, Letter for slip printers."""
    size = (4 * inch, 6 * inch) if label else LETTER
    out = io.BytesIO()
    c = Canvas(out, pagesize=size)
    c.setTitle("packdesk test page")
    left, top = 0.3 * inch, size[1] - 0.5 * inch
    c.setFont("Helvetica-Bold", 16)
    c.drawString(left, top, "packdesk test page")
    c.setFont("Helvetica", 11)
    c.drawString(left, top - 24, f"Printer: {printer}")
    c.drawString(left, top - 40, f"Station: {station}")
    c.drawString(left, top - 56, f"{at:%Y-%m-%d %H:%M} UTC")
    Code128(station, barWidth=1.2, barHeight=0.5 * inch).drawOn(c, left, top - 120)
    c.showPage()
    c.save()
    return out.getvalue()


def escpos_test_page(
    printer: str, station: str, at: datetime, profile: str = DEFAULT_PROFILE
) -> bytes:
    with quiet_escpos():
        p = Dummy(profile=profile)
        p.hw("INIT")
        p.set(align="center", bold=True, double_height=True, double_width=True)
        p.textln("packdesk test")
        p.set(normal_textsize=True, align="left")
        p.textln(f"Printer: {printer}")
        p.textln(f"Station: {station}")
        p.textln(f"{at:%Y-%m-%d %H:%M} UTC")
        p.barcode("{B" + station, "CODE128", height=60, width=2)
        p.cut()
        return bytes(p.output)


def printer_test_document(
    kind: str, role: str, printer: str, station: str, at: datetime, options: dict[str, str]
) -> tuple[str, str, bytes]:
    """(document name, content type, bytes) of the test print for a printer."""
    if kind == "zpl":
        return "test-label.zpl", "application/zpl", zpl_test_label(printer, station, at)
    if kind == "escpos":
        profile = options.get("profile", DEFAULT_PROFILE)
        return "test-page.bin", ESCPOS_TYPE, escpos_test_page(printer, station, at, profile)
    return (
        "test-page.pdf",
        "application/pdf",
        pdf_test_page(printer, station, at, label=role == "label"),
    )


def _zpl_text(text: str) -> str:
    """Field data without ZPL's command characters."""
    return text.replace("^", " ").replace("~", " ")
