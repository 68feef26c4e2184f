"""The composition root: the only package that imports concrete adapters.

`Container` builds every adapter and service of a process once, from `Settings`; the CLI,
the TUI and the daemon take what they need from it, and tests build it with fakes in place
of adapters. The modules beside it build one concern each (store, Shopify, Shippo, printers,
email, the desk, the jobs).
"""

from __future__ import annotations

from packdesk.adapters.store import StoreError
from packdesk.bootstrap.container import Container
from packdesk.bootstrap.printers import default_logo_path
from packdesk.bootstrap.store import database_path
from packdesk.logs import setup_logging
from packdesk.settings import Settings


def start_logging(settings: Settings, *, verbose: bool = False) -> None:
    """Log to `<data_dir>/logs/packdesk.log` (and stderr with `verbose`), secrets redacted."""
    setup_logging(
        settings.station.resolved_data_dir(),
        settings.secrets(),
        level=settings.logging.level,
        verbose=verbose,
    )


__all__ = ["Container", "StoreError", "database_path", "default_logo_path", "start_logging"]
