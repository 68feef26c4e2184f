"""A purchase order as a Letter PDF drawn with reportlab — PO number with its Code128 (the
Receive screen opens the PO from it), supplier, ship-to warehouse, dates, every line with
SKU, title, quantity, unit cost and total, and the order's total — and as CSV with the same
lines, for a supplier's system."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import LETTER, inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from packdesk.domain.inventory.purchasing import PurchaseOrder

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MARGIN = 0.6 * inch
COLUMNS = (("SKU", 0.0), ("Item", 0.2), ("Qty", 0.66), ("Unit cost", 0.76), ("Total", 0.89))
"""Column heads and their left edge as a fraction of the text width."""
CSV_HEADER = (
    "po_number",
    "sku",
    "title",
    "barcode",
    "quantity",
    "unit_cost",
    "line_total",
    "currency",
)


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


class PurchaseOrderDocuments:
    def pdf(self, po: PurchaseOrder, ship_to: str, shop_name: str) -> bytes:
        out = io.BytesIO()
        c = Canvas(out, pagesize=LETTER, pageCompression=1)
        c.setTitle(f"Purchase order {po.number}")
        c.setAuthor(shop_name)
        width, height = LETTER
        text_w = width - 2 * MARGIN
        y = height - MARGIN
        c.setFont(BOLD, 18)
        c.drawString(MARGIN, y - 14, f"Purchase order {po.number}")
        bar = Code128(po.number, barWidth=1.2, barHeight=0.45 * inch, humanReadable=True)
        bar.drawOn(c, width - MARGIN - bar.width, y - 0.5 * inch)
        y -= 0.85 * inch
        c.setFont(FONT, 10)
        dates = [f"Date: {(po.ordered_at or po.created_at):%Y-%m-%d}", f"Status: {po.status.value}"]
        if po.expected_on:
            dates.append(f"Expected: {po.expected_on:%Y-%m-%d}")
        c.drawString(MARGIN, y, "   ".join(dates))
        y -= 0.3 * inch
        top = y
        for x, head, body in (
            (MARGIN, "Supplier", "\n".join(p for p in (po.supplier.name, po.supplier.email) if p)),
            (MARGIN + text_w / 2, "Ship to", ship_to),
        ):
            yy = top
            c.setFont(BOLD, 10)
            c.drawString(x, yy, head)
            c.setFont(FONT, 10)
            for text in body.splitlines():
                yy -= 13
                c.drawString(x, yy, text)
            y = min(y, yy)
        y -= 0.35 * inch
        y = self._head(c, y, text_w)
        for line in po.lines:
            title = simpleSplit(line.title, FONT, 9, text_w * 0.45) or [""]
            if y - 12 * len(title) < MARGIN + 0.8 * inch:
                c.showPage()
                y = self._head(c, height - MARGIN, text_w)
            c.setFont(FONT, 9)
            c.drawString(MARGIN, y, line.sku)
            for n, part in enumerate(title):
                c.drawString(MARGIN + text_w * 0.2, y - 12 * n, part)
            for (_, left), value in zip(
                COLUMNS[2:],
                (str(line.quantity), f"{line.unit_cost:,.2f}", f"{line.total:,.2f}"),
                strict=True,
            ):
                c.drawRightString(MARGIN + text_w * left + text_w * 0.09, y, value)
            y -= 12 * len(title) + 4
        c.line(MARGIN, y + 2, width - MARGIN, y + 2)
        c.setFont(BOLD, 10)
        y -= 12
        c.drawString(MARGIN, y, f"{po.units} units in {len(po.lines)} line(s)")
        c.drawRightString(width - MARGIN, y, f"Total {_money(po.total, po.currency)}")
        if po.note:
            c.setFont(FONT, 9)
            for part in simpleSplit(po.note, FONT, 9, text_w):
                y -= 14
                c.drawString(MARGIN, y, part)
        c.setFont(FONT, 8)
        c.drawString(
            MARGIN, MARGIN / 2, f"{shop_name} · {po.number} · quote it on the packing list"
        )
        c.save()
        return out.getvalue()

    @staticmethod
    def _head(c: Canvas, y: float, text_w: float) -> float:
        c.setFont(BOLD, 9)
        for head, left in COLUMNS:
            if left >= 0.66:
                c.drawRightString(MARGIN + text_w * left + text_w * 0.09, y, head)
            else:
                c.drawString(MARGIN + text_w * left, y, head)
        c.line(MARGIN, y - 4, MARGIN + text_w, y - 4)
        return y - 16

    def csv(self, po: PurchaseOrder) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for line in po.lines:
            writer.writerow(
                (
                    po.number,
                    line.sku,
                    line.title,
                    line.barcode,
                    line.quantity,
                    f"{line.unit_cost:.2f}",
                    f"{line.total:.2f}",
                    po.currency,
                )
            )
        return out.getvalue().encode("utf-8")
