"""The SQLite database of a station: where it lives and how it is opened."""

from __future__ import annotations

from pathlib import Path

from packdesk.adapters.store import Database, SqliteDialect, SqliteStore
from packdesk.settings import Settings


def database_path(settings: Settings) -> Path:
    """`<data_dir>/packdesk.db`."""
    return settings.station.resolved_data_dir() / "packdesk.db"


def open_store(settings: Settings) -> SqliteStore:
    """Open (creating and migrating as needed) the station's database; `StoreError` with a
    sentence when it cannot be."""
    return SqliteStore.open(database_path(settings))


def migrate_database(settings: Settings) -> tuple[Path, int, int]:
    """Migrate the database and close it again: (path, its version, the newest version)."""
    path = database_path(settings)
    database = Database(SqliteDialect(path))
    try:
        version = database.migrate()
        newest = database.latest_version()
    finally:
        database.close()
    return path, version, newest
