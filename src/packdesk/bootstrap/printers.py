"""Printers: one driver per `[[printers]]` entry, the slip renderer the slip printer takes,
the logo, and the test print of `packdesk printers test`."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path

from packdesk.adapters.printers import (
    EscposSlipRenderer,
    PdfSlipRenderer,
    cups_queues,
    make_printer,
)
from packdesk.adapters.printers.testprint import printer_test_document
from packdesk.domain.models import PrintRole
from packdesk.domain.ports import Printer, SlipRenderer
from packdesk.settings import ConfigError, Settings


def default_logo_path() -> Path:
    """The shop logo packdesk ships with (assets/logo.png)."""
    return Path(str(resources.files("packdesk.assets").joinpath("logo.png")))


def logo_path(settings: Settings) -> Path:
    """[brand].logo, else the logo packdesk ships with."""
    return Path(settings.brand.logo).expanduser() if settings.brand.logo else default_logo_path()


def printer_drivers(settings: Settings) -> dict[str, Printer]:
    """One driver per `[[printers]]` entry, by name; ConfigError with a sentence on a bad one."""
    try:
        return {
            p.name: make_printer(p.name, p.kind, p.target, dict(p.options))
            for p in settings.printers
        }
    except ValueError as exc:
        raise _config_error(settings, exc) from None


def print_roles(settings: Settings) -> dict[PrintRole, str]:
    """The printer's name for each role: the first `[[printers]]` entry with that role."""
    return {PrintRole(p.role): p.name for p in reversed(settings.printers)}


def slip_renderer_for(settings: Settings, shop_name: str) -> SlipRenderer:
    """ESC/POS slips for an escpos slip printer, PDF slips for every other (cups, folder).

    Without a slip printer the PDF renderer is built all the same; the print queue refuses a
    slip with the sentence that says how to add the printer before it would render one.
    """
    printer = settings.printer_for("slip")
    logo = logo_path(settings)
    if printer is not None and printer.kind == "escpos":
        width = printer.options.get("width_px")
        return EscposSlipRenderer(
            shop_name,
            logo,
            profile=printer.options.get("profile", "TM-T88V"),
            width_px=int(width) if width else None,
        )
    if printer is not None and printer.kind == "zpl":
        raise _config_error(
            settings,
            ValueError(
                f"Printer {printer.name}: packing slips print as PDF or ESC/POS, not ZPL; give the"
                ' slip role to a cups, escpos or folder printer (role = "slip").'
            ),
        )
    page = printer.options.get("page", "letter") if printer is not None else "letter"
    try:
        return PdfSlipRenderer(shop_name, logo, page=page)
    except ValueError as exc:
        raise _config_error(settings, exc) from None


def list_cups_queues() -> list[tuple[str, str]]:
    """CUPS queues this machine knows, as (queue, device URI)."""
    return cups_queues()


def send_test_print(settings: Settings, name: str, at: datetime) -> Printer:
    """Print a test label or page (carrying the station's name) on printer `name` now,
    bypassing the queue so the person at the printer sees the answer at once."""
    entry = next((p for p in settings.printers if p.name == name), None)
    if entry is None:
        known = ", ".join(p.name for p in settings.printers) or "none configured"
        raise LookupError(f"No printer named {name!r} in the config (printers: {known}).")
    printer = printer_drivers(settings)[entry.name]
    document, content_type, data = printer_test_document(
        entry.kind, entry.role, entry.name, settings.station.name, at, dict(entry.options)
    )
    printer.send(document, content_type, data)
    return printer


def _config_error(settings: Settings, exc: ValueError) -> ConfigError:
    where = settings.source_path or "the config file"
    return ConfigError(f"{where}: {exc} Fix that [[printers]] entry.")
