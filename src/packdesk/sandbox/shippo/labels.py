"""Shipping labels rendered locally: PDF_4x6 / PDF (reportlab), PNG (Pillow), ZPLII by hand.

Every label carries the tracking number as a Code 128 barcode and as text, the two
addresses and the service, and says SANDBOX so nobody mistakes it for postage.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from barcode import Code128
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.barcode.code128 import Code128 as PdfCode128
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

CONTENT_TYPES = {
    "PDF_4x6": "application/pdf",
    "PDF": "application/pdf",
    "PNG": "image/png",
    "ZPLII": "application/zpl",
}
EXTENSIONS = {"PDF_4x6": "pdf", "PDF": "pdf", "PNG": "png", "ZPLII": "zpl"}


@dataclass(frozen=True)
class LabelData:
    """What a label shows."""

    tracking_number: str
    carrier: str
    service: str
    ship_from: list[str]
    ship_to: list[str]
    weight: str


def render(label_file_type: str, data: LabelData) -> bytes:
    if label_file_type == "ZPLII":
        return render_zpl(data)
    if label_file_type == "PNG":
        return render_png(data)
    return render_pdf(data, page_4x6=label_file_type != "PDF")


def render_pdf(data: LabelData, *, page_4x6: bool = True) -> bytes:
    """A 4x6 in page (PDF_4x6), or a letter page with the 4x6 label in its top left (PDF)."""
    buffer = io.BytesIO()
    size = (4 * inch, 6 * inch) if page_4x6 else letter
    canvas = Canvas(buffer, pagesize=size)
    canvas.setTitle(f"{data.carrier} label {data.tracking_number}")
    top = size[1] - 0.25 * inch
    left = 0.25 * inch
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(left, top - 18, f"{data.carrier}  {data.service}")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(left, top - 32, "SANDBOX LABEL - NOT VALID FOR POSTAGE")
    y = top - 52
    canvas.setFont("Helvetica", 9)
    for line in ["FROM:", *data.ship_from]:
        canvas.drawString(left, y, line)
        y -= 11
    y -= 8
    canvas.setFont("Helvetica-Bold", 12)
    for line in ["SHIP TO:", *data.ship_to]:
        canvas.drawString(left, y, line)
        y -= 15
    canvas.setFont("Helvetica", 9)
    canvas.drawString(left, y - 4, f"Weight: {data.weight}")
    # Modules of exactly three dots of a 203 dpi label printer, starting on a dot, so every
    # bar keeps its width when the page is printed or rasterised at the printer's resolution.
    dot = inch / 203
    barcode = PdfCode128(data.tracking_number, barHeight=0.9 * inch, barWidth=3 * dot)
    barcode.drawOn(canvas, round(left / dot) * dot, top - 5.2 * inch)
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(left, top - 5.4 * inch, f"TRACKING # {data.tracking_number}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_png(data: LabelData) -> bytes:
    """A 4x6 in label at 203 dpi (812 x 1218 px), black on white."""
    image = Image.new("L", (812, 1218), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    small = ImageFont.load_default(size=20)
    draw.text((30, 30), f"{data.carrier}  {data.service}", fill=0, font=font)
    draw.text((30, 70), "SANDBOX LABEL - NOT VALID FOR POSTAGE", fill=0, font=small)
    y = 120
    for line in ["FROM:", *data.ship_from]:
        draw.text((30, y), line, fill=0, font=small)
        y += 26
    y += 20
    for line in ["SHIP TO:", *data.ship_to]:
        draw.text((30, y), line, fill=0, font=font)
        y += 36
    draw.text((30, y + 10), f"Weight: {data.weight}", fill=0, font=small)
    out = io.BytesIO()
    Code128(data.tracking_number, writer=ImageWriter()).write(
        out,
        options={
            "module_width": 0.33,
            "module_height": 22.0,
            "quiet_zone": 4.0,
            "write_text": False,
            "dpi": 203,
        },
    )
    bars = Image.open(io.BytesIO(out.getvalue())).convert("L")
    if bars.width > 780:
        bars = bars.resize((780, bars.height))
    image.paste(bars, ((812 - bars.width) // 2, 820))
    draw.text((30, 820 + bars.height + 10), f"TRACKING # {data.tracking_number}", fill=0, font=font)
    png = io.BytesIO()
    image.convert("1").save(png, format="PNG", dpi=(203, 203))
    return png.getvalue()


def _zpl_text(value: str) -> str:
    """Field data without the characters ZPL treats as commands."""
    return value.replace("^", " ").replace("~", " ")


def render_zpl(data: LabelData) -> bytes:
    """ZPL II for a 4x6 in label at 203 dpi; label content only, no printer setup commands."""
    lines = ["^XA", "^CI28", "^PW812", "^LL1218", "^LH0,0"]
    lines.append(f"^FO30,30^A0N,40,40^FD{_zpl_text(data.carrier + '  ' + data.service)}^FS")
    lines.append("^FO30,80^A0N,22,22^FDSANDBOX LABEL - NOT VALID FOR POSTAGE^FS")
    y = 130
    for line in ["FROM:", *data.ship_from]:
        lines.append(f"^FO30,{y}^A0N,24,24^FD{_zpl_text(line)}^FS")
        y += 30
    y += 20
    for line in ["SHIP TO:", *data.ship_to]:
        lines.append(f"^FO30,{y}^A0N,36,36^FD{_zpl_text(line)}^FS")
        y += 42
    lines.append(f"^FO30,{y + 10}^A0N,24,24^FDWeight: {_zpl_text(data.weight)}^FS")
    lines.append("^FO20,780^GB772,4,4^FS")
    lines.append(f"^FO60,820^BY3,3,180^BCN,180,N,N,N,A^FD{data.tracking_number}^FS")
    lines.append(f"^FO60,1030^A0N,34,34^FDTRACKING # {data.tracking_number}^FS")
    lines.append("^XZ")
    return ("\n".join(lines) + "\n").encode()
