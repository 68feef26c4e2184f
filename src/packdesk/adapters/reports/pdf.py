"""The report as a PDF: each section's figures with their change, its charts, its tables and
the notes a reader must see, on Letter pages."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from packdesk.adapters.reports.charts import draw_chart
from packdesk.domain.analytics.report import Report, Section, Table, show, show_change

MARGIN = 0.6 * inch
GRID = colors.HexColor("#D0D5D2")
HEAD = colors.HexColor("#E8EFEB")


def render_pdf(report: Report) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=letter,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=report.title,
        author="packdesk",
    )
    width = letter[0] - 2 * MARGIN
    styles = getSampleStyleSheet()
    story: list[Flowable] = [
        Paragraph(report.title, styles["Title"]),
        Paragraph(
            f"{report.first} to {report.last}, compared with {report.previous_first} to "
            f"{report.previous_last}. Amounts in {report.currency}. Made "
            f"{report.generated_at:%Y-%m-%d %H:%M} UTC.",
            styles["Normal"],
        ),
        Spacer(1, 10),
    ]
    for section in report.sections:
        story += _section(section, report.currency, width, styles)
    document.build(story, onLaterPages=_page_number, onFirstPage=_page_number)
    return buffer.getvalue()


def _section(section: Section, currency: str, width: float, styles: Any) -> list[Flowable]:
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8, leading=10)
    note = ParagraphStyle("note", parent=small, textColor=colors.HexColor("#5A4A1A"))
    title = ParagraphStyle("section", parent=styles["Heading1"], keepWithNext=1)
    flow: list[Flowable] = [Paragraph(section.title, title)]
    figures = [["", "this period", "period before", "change"]] + [
        [
            f.label,
            show(f.value, f.unit, currency),
            show(f.previous, f.unit, currency),
            show_change(f.change, f.unit),
        ]
        for f in section.figures
    ]
    flow.append(_grid(figures, [width * 0.4, width * 0.2, width * 0.2, width * 0.2], align=1))
    flow += [Paragraph(f"• {n}", note) for n in section.notes]
    flow.append(Spacer(1, 6))
    for chart in section.charts:
        if any(v for values in chart.series.values() for v in values):
            flow.append(KeepTogether([draw_chart(chart, width), Spacer(1, 6)]))
        else:
            flow.append(Paragraph(f"{chart.title}: nothing in this period.", small))
    heading = ParagraphStyle("table", parent=styles["Heading3"], keepWithNext=1)
    for table in section.tables:
        flow.append(Paragraph(table.title, heading))
        flow.append(_table(table, currency, width, small))
        flow.append(Spacer(1, 8))
    return flow


def _table(table: Table, currency: str, width: float, small: Any) -> Flowable:
    """Columns as wide as their longest text (header or cell), within the page; long text
    wraps."""
    shown = [
        [show(v, u, currency) for v, u in zip(row, table.units, strict=False)] for row in table.rows
    ]
    headers = [c.replace("_", " ") for c in table.columns]
    lengths = [
        max([len(h) * 0.8, *(len(row[n]) for row in shown if n < len(row))], default=4)
        for n, h in enumerate(headers)
    ]
    lengths = [min(max(n, 4.0), 40.0) for n in lengths]
    widths = [width * n / sum(lengths) for n in lengths]
    rows: list[list[Any]] = [headers]
    for row in shown:
        rows.append(
            [
                Paragraph(text, small) if len(text) * 4.2 > widths[n] else text
                for n, text in enumerate(row)
            ]
        )
    if not table.rows:
        rows.append(["nothing in this period"] + [""] * (len(table.columns) - 1))
    text_columns = [n for n, unit in enumerate(table.units) if unit == "text"]
    first_number = next((n for n in range(len(table.units)) if n not in text_columns), 0)
    grid = _grid(rows, widths, align=first_number, font=6.5 if len(widths) > 8 else 7.5)
    grid.setStyle(TableStyle([("ALIGN", (n, 0), (n, -1), "LEFT") for n in text_columns]))
    return grid


def _grid(rows: list[list[Any]], widths: list[float], *, align: int, font: float = 8) -> LongTable:
    grid = LongTable(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), font),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ("ALIGN", (align, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return grid


def _page_number(canvas: Any, document: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawRightString(letter[0] - MARGIN, MARGIN / 2, f"packdesk · page {document.page}")
    canvas.restoreState()
