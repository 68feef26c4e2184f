"""`SqliteStore`: every repository of packdesk over one `Database`.

Each concern keeps its SQL in its own module as a mixin (orders, station, ...); this class
only puts them together so that one object satisfies all the store ports.
"""

from __future__ import annotations

from pathlib import Path

from packdesk.adapters.store.catalog import CatalogRows
from packdesk.adapters.store.db import Database
from packdesk.adapters.store.orders import OrderRows
from packdesk.adapters.store.outbox import OutboxRows
from packdesk.adapters.store.packing import PackingRows, StationNoteRows
from packdesk.adapters.store.print_jobs import PrintJobRows
from packdesk.adapters.store.queue import QueueRows
from packdesk.adapters.store.shipping import ShippingRows
from packdesk.adapters.store.station import StationRows
from packdesk.adapters.store.sync_state import SyncStateRows
from packdesk.adapters.store.webhooks import WebhookRows


class SqliteStore(
    OrderRows,
    StationRows,
    CatalogRows,
    SyncStateRows,
    WebhookRows,
    PrintJobRows,
    ShippingRows,
    OutboxRows,
    PackingRows,
    StationNoteRows,
    QueueRows,
):
    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, path: Path | str) -> SqliteStore:
        """Open (creating if needed) and migrate the database at `path`."""
        database = Database(path)
        database.migrate()
        return cls(database)

    def close(self) -> None:
        self.database.close()
