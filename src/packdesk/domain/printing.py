"""Which label file format each kind of label printer needs (DESIGN.md, "Printing"), and
the file name each print job prints as."""

from __future__ import annotations

from typing import Literal

from packdesk.domain.models import PrintRole

LabelFormat = Literal["ZPLII", "PNG", "PDF_4x6"]

LABEL_FORMATS: dict[str, LabelFormat] = {
    "zpl": "ZPLII",
    "escpos": "PNG",
    "cups": "PDF_4x6",
    "folder": "PDF_4x6",
}

CONTENT_TYPES: dict[str, str] = {
    "ZPLII": "application/zpl",
    "PNG": "image/png",
    "PDF_4x6": "application/pdf",
    "PDF": "application/pdf",
}

EXTENSIONS: dict[str, str] = {
    "application/zpl": "zpl",
    "image/png": "png",
    "application/pdf": "pdf",
    "application/escpos": "bin",
}


def label_format_for(printer_kind: str) -> LabelFormat:
    """The Shippo `label_file_type` to ask for, given the label printer's kind."""
    return LABEL_FORMATS.get(printer_kind, "PDF_4x6")


def document_name(
    order_name: str, role: PrintRole, content_type: str, *, package_no: int = 1, packages: int = 1
) -> str:
    """The file name a job prints as: `1001-slip.pdf`, `1001-label.zpl`, and for an order
    shipped in several packages `1001-label-p1.zpl`, `1001-label-p2.zpl`, ... (a folder
    printer names a second copy `1001-label-2.zpl`, so package numbers carry a `p`)."""
    number = order_name.lstrip("#") or "job"
    suffix = f"-p{package_no}" if packages > 1 else ""
    return f"{number}-{role.value}{suffix}.{EXTENSIONS.get(content_type, 'bin')}"
