"""The packing slip as a PDF drawn with reportlab, on Letter paper (laser printers) or a
4x6 in label (thermal printers with a CUPS driver): logo, order name and date, a Code128 of
the order name that packdesk's scanner opens, the ship-to, every item with SKU, title,
quantity and bin, and the order's note (often a gift message)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import LETTER, inch
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from packdesk.domain.slip import PackingSlip, SlipLine

PDF_TYPE = "application/pdf"
PageName = Literal["letter", "4x6"]
FONT = "Helvetica"
BOLD = "Helvetica-Bold"


@dataclass(frozen=True)
class Layout:
    size: tuple[float, float]
    margin: float
    logo_h: float
    title_pt: float
    body_pt: float
    small_pt: float
    bar_width: float
    bar_height: float
    # item columns as fractions of the text width: qty, sku, title, bin
    columns: tuple[float, float, float, float]


LAYOUTS: dict[str, Layout] = {
    "letter": Layout(
        size=LETTER,
        margin=0.6 * inch,
        logo_h=0.75 * inch,
        title_pt=18,
        body_pt=10,
        small_pt=8.5,
        bar_width=1.2,
        bar_height=0.5 * inch,
        columns=(0.07, 0.20, 0.58, 0.15),
    ),
    "4x6": Layout(
        size=(4 * inch, 6 * inch),
        margin=0.18 * inch,
        logo_h=0.45 * inch,
        title_pt=12,
        body_pt=8,
        small_pt=7,
        bar_width=1.0,
        bar_height=0.4 * inch,
        columns=(0.09, 0.27, 0.48, 0.16),
    ),
}


class PdfSlipRenderer:
    content_type = PDF_TYPE

    def __init__(self, shop_name: str, logo: Path | None = None, *, page: str = "letter") -> None:
        if page not in LAYOUTS:
            raise ValueError(f"Slip page {page!r} is not known: use letter or 4x6.")
        self.shop_name = shop_name
        self.layout = LAYOUTS[page]
        self.page = page
        self._logo = ImageReader(str(logo)) if logo and Path(logo).is_file() else None

    def render(self, slip: PackingSlip) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=self.layout.size, pageCompression=1)
        canvas.setTitle(f"Packing slip {slip.order_name}")
        canvas.setAuthor(self.shop_name)
        _Page(canvas, self.layout, self.shop_name, self._logo, slip).draw()
        canvas.save()
        return out.getvalue()


class _Page:
    """Draws one slip top to bottom, starting a new page when the items run over."""

    def __init__(
        self,
        canvas: Canvas,
        layout: Layout,
        shop_name: str,
        logo: ImageReader | None,
        slip: PackingSlip,
    ) -> None:
        self.c = canvas
        self.lay = layout
        self.shop_name = shop_name
        self.logo = logo
        self.slip = slip
        self.width, self.height = layout.size
        self.left = layout.margin
        self.right = self.width - layout.margin
        self.y = self.height - layout.margin

    def draw(self) -> None:
        self.header()
        self.ship_to()
        self.items()
        self.note()
        self.footer()

    def header(self) -> None:
        c, lay = self.c, self.lay
        top = self.y
        x = self.left
        if self.logo is not None:
            iw, ih = self.logo.getSize()
            w = lay.logo_h * iw / ih
            c.drawImage(self.logo, x, top - lay.logo_h, w, lay.logo_h, mask="auto")
            x += w + 0.1 * inch
        c.setFont(BOLD, lay.title_pt)
        c.drawString(x, top - lay.title_pt, self.shop_name)
        c.setFont(FONT, lay.body_pt)
        c.drawString(x, top - lay.title_pt - lay.body_pt * 1.6, "Packing slip")
        # order name, date and barcode on the right
        barcode = Code128(
            self.slip.order_name, barWidth=lay.bar_width, barHeight=lay.bar_height, quiet=True
        )
        bx = self.right - barcode.width
        by = top - lay.bar_height
        barcode.drawOn(c, bx, by)
        c.setFont(BOLD, lay.body_pt + 2)
        c.drawRightString(self.right, by - lay.body_pt - 4, f"Order {self.slip.order_name}")
        c.setFont(FONT, lay.small_pt)
        c.drawRightString(
            self.right, by - lay.body_pt - lay.small_pt - 8, f"{self.slip.ordered_at:%B %d, %Y}"
        )
        self.y = min(top - lay.logo_h, by - lay.body_pt - lay.small_pt - 8) - lay.body_pt * 1.5
        self.rule()

    def ship_to(self) -> None:
        a = self.slip.ship_to
        if a is None:
            return
        c, lay = self.c, self.lay
        c.setFont(BOLD, lay.body_pt)
        c.drawString(self.left, self.y, "Ship to")
        if self.slip.shipping:
            c.setFont(FONT, lay.small_pt)
            c.drawRightString(self.right, self.y, f"Shipping: {self.slip.shipping}")
        self.y -= lay.body_pt * 1.4
        c.setFont(FONT, lay.body_pt)
        city = " ".join(p for p in (f"{a.city}," if a.city else "", a.province_code, a.zip) if p)
        lines = [a.name, a.company, a.address1, a.address2, city]
        if not a.is_domestic:
            lines.append(a.country_code)
        for line in (x for x in lines if x.strip()):
            c.drawString(self.left, self.y, line)
            self.y -= lay.body_pt * 1.25
        self.y -= lay.body_pt * 0.5
        self.rule()

    def _column_x(self) -> list[float]:
        span = self.right - self.left
        xs, x = [], self.left
        for fraction in self.lay.columns:
            xs.append(x)
            x += fraction * span
        return xs

    def items_heading(self) -> None:
        c, lay = self.c, self.lay
        qx, sx, tx, bx = self._column_x()
        c.setFont(BOLD, lay.body_pt)
        c.drawString(qx, self.y, "Qty")
        c.drawString(sx, self.y, "SKU")
        c.drawString(tx, self.y, "Item")
        c.drawString(bx, self.y, "Bin")
        self.y -= lay.body_pt * 0.6
        self.rule(0.5)

    def items(self) -> None:
        self.items_heading()
        for line in self.slip.lines:
            self.item(line)
        self.y -= self.lay.body_pt * 0.4
        self.rule()

    def item(self, line: SlipLine) -> None:
        c, lay = self.c, self.lay
        qx, sx, tx, bx = self._column_x()
        title_width = bx - tx - 4
        title = simpleSplit(line.title, FONT, lay.body_pt, title_width) or [""]
        needed = lay.body_pt * 1.3 * len(title)
        if self.y - needed < self.lay.margin + lay.body_pt * 3:
            self.new_page()
        c.setFont(BOLD, lay.body_pt)
        c.drawString(qx, self.y, str(line.quantity))
        c.setFont(FONT, lay.body_pt)
        for part in simpleSplit(line.sku, FONT, lay.body_pt, tx - sx - 4)[:1]:
            c.drawString(sx, self.y, part)
        c.drawString(bx, self.y, line.bin)
        for part in title:
            c.drawString(tx, self.y, part)
            self.y -= lay.body_pt * 1.3

    def note(self) -> None:
        if not self.slip.note.strip():
            return
        c, lay = self.c, self.lay
        lines = simpleSplit(self.slip.note, FONT, lay.body_pt, self.right - self.left)
        if self.y - lay.body_pt * 1.3 * (len(lines) + 2) < lay.margin:
            self.new_page()
        c.setFont(BOLD, lay.body_pt)
        c.drawString(self.left, self.y, "Note")
        self.y -= lay.body_pt * 1.4
        c.setFont(FONT, lay.body_pt)
        for part in lines:
            c.drawString(self.left, self.y, part)
            self.y -= lay.body_pt * 1.3

    def footer(self) -> None:
        c, lay = self.c, self.lay
        c.setFont(FONT, lay.small_pt)
        c.drawCentredString(
            self.width / 2, lay.margin / 2, f"Thank you for your order · {self.shop_name}"
        )

    def new_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.y = self.height - self.lay.margin
        self.c.setFont(BOLD, self.lay.body_pt)
        self.c.drawString(self.left, self.y, f"Order {self.slip.order_name} (continued)")
        self.y -= self.lay.body_pt * 2
        self.items_heading()

    def rule(self, width: float = 0.8) -> None:
        self.c.setLineWidth(width)
        self.c.line(self.left, self.y, self.right, self.y)
        self.y -= self.lay.body_pt * 1.4
