"""Which label file format each kind of label printer needs (DESIGN.md, "Printing")."""

from __future__ import annotations

from typing import Literal

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
