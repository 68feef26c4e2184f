"""SQLite store: schema, migrations and the repositories services use through the ports."""

from packdesk.adapters.store.db import Database, StoreError
from packdesk.adapters.store.sqlite_store import SqliteStore

__all__ = ["Database", "SqliteStore", "StoreError"]
