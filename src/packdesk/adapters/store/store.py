"""The store: every repository of packdesk over one `Database`, and its unit of work.

`SqlStore` holds one repository per aggregate (what the `Store` port names) on a database of
any dialect; `SqliteStore.open` opens the embedded SQLite file and migrates it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from packdesk.adapters.store.catalog import SqlCatalog
from packdesk.adapters.store.db import POOL_SIZE, Database
from packdesk.adapters.store.inventory import SqlInventory
from packdesk.adapters.store.labels import SqlLabels
from packdesk.adapters.store.orders import SqlOrders
from packdesk.adapters.store.outbox import SqlOutbox
from packdesk.adapters.store.print_jobs import SqlPrintJobs
from packdesk.adapters.store.purchasing import SqlPurchasing
from packdesk.adapters.store.shipments import SqlShipments
from packdesk.adapters.store.sqlite import SqliteDialect
from packdesk.adapters.store.station import SqlStation
from packdesk.adapters.store.sync_state import SqlSyncState
from packdesk.adapters.store.views import SqlDeskViews
from packdesk.adapters.store.webhooks import SqlWebhookInbox


class SqlStore:
    """The `Store` port on a SQL database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.orders = SqlOrders(database)
        self.catalog = SqlCatalog(database)
        self.station = SqlStation(database)
        self.shipments = SqlShipments(database)
        self.labels = SqlLabels(database)
        self.print_jobs = SqlPrintJobs(database)
        self.outbox = SqlOutbox(database)
        self.sync = SqlSyncState(database)
        self.webhooks = SqlWebhookInbox(database)
        self.views = SqlDeskViews(database)
        self.inventory = SqlInventory(database)
        self.purchasing = SqlPurchasing(database)

    def transaction(self) -> AbstractContextManager[None]:
        return self.database.transaction()

    def close(self) -> None:
        self.database.close()


class SqliteStore(SqlStore):
    """The store in one SQLite file (a single station)."""

    @classmethod
    def open(cls, path: Path | str, *, pool_size: int = POOL_SIZE) -> SqliteStore:
        """Open (creating if needed) and migrate the database at `path`."""
        database = Database(SqliteDialect(path), pool_size=pool_size)
        database.migrate()
        return cls(database)
