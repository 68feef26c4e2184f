"""Printer drivers by kind (zpl, escpos, cups, folder) and the packing slip renderers."""

from __future__ import annotations

from packdesk.adapters.printers.cups import CupsPrinter, cups_queues
from packdesk.adapters.printers.escpos_printer import EscposPrinter
from packdesk.adapters.printers.folder import FolderPrinter
from packdesk.adapters.printers.slip_escpos import EscposSlipRenderer
from packdesk.adapters.printers.slip_pdf import PdfSlipRenderer
from packdesk.adapters.printers.zpl import ZplPrinter
from packdesk.domain.ports import Printer


def make_printer(name: str, kind: str, target: str, options: dict[str, str]) -> Printer:
    """The driver for one `[[printers]]` entry; ValueError with a sentence on a bad target."""
    if kind == "zpl":
        return ZplPrinter(name, target)
    if kind == "escpos":
        return EscposPrinter(name, target, options)
    if kind == "cups":
        return CupsPrinter(name, target, options)
    if kind == "folder":
        return FolderPrinter(name, target or ".")
    raise ValueError(f"Printer {name}: kind {kind!r} is not zpl, escpos, cups or folder.")


__all__ = [
    "CupsPrinter",
    "EscposPrinter",
    "EscposSlipRenderer",
    "FolderPrinter",
    "PdfSlipRenderer",
    "ZplPrinter",
    "cups_queues",
    "make_printer",
]
