"""The store: repositories per aggregate on SQL, the execution layer under them, and the
SQLite dialect with its migrations."""

from packdesk.adapters.store.db import Database, StoreError
from packdesk.adapters.store.sqlite import SqliteDialect
from packdesk.adapters.store.store import SqliteStore, SqlStore

__all__ = ["Database", "SqlStore", "SqliteDialect", "SqliteStore", "StoreError"]
