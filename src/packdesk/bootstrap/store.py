"""The SQLite database of a station: where it lives and how it is opened."""

from __future__ import annotations

from pathlib import Path

from packdesk.adapters.store import Database, SqliteDialect, SqliteStore, StoreError
from packdesk.adapters.store.db import migrations
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


def newest_schema_version() -> int:
    """The schema version this packdesk brings a database to."""
    return migrations(SqliteDialect.migrations_package)[-1][0]


def database_schema_version(settings: Settings) -> tuple[Path, int | None]:
    """The station's database and its schema version, read without migrating it; None when
    there is no database yet (or it cannot be read)."""
    path = database_path(settings)
    if not path.exists():
        return path, None
    database = Database(SqliteDialect(path))
    try:
        return path, database.version
    except StoreError:
        return path, None
    finally:
        database.close()
