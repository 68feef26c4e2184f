"""SQLite: every piece of the store that is SQLite's own.

- connecting: one file, WAL (readers never wait for the writer), `busy_timeout` (a writer
  waits for the one before it instead of failing), `synchronous = NORMAL`, foreign keys;
- placeholders: `?` is SQLite's own style, so statements pass unchanged;
- transactions: a write transaction starts with `BEGIN IMMEDIATE`, which takes the write
  lock at once, so two writers queue on `busy_timeout` instead of failing when a read lock
  would have to be upgraded; a read-only one with a plain `BEGIN` (one snapshot);
- the schema version lives in `PRAGMA user_version`;
- the migrations (`migrations/NNNN_name.sql`) are written in SQLite's DDL and type names.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from packdesk.adapters.store.db import Connection, StoreError

BUSY_TIMEOUT_MS = 10_000
MIN_VERSION = (3, 35, 0)
"""`RETURNING` and `ON CONFLICT ... DO UPDATE` with several conflict targets."""


class SqliteDialect:
    name = "sqlite"
    migrations_package = "packdesk.adapters.store.migrations"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        return str(self.path)

    def connect(self) -> sqlite3.Connection:
        if sqlite3.sqlite_version_info < MIN_VERSION:
            raise StoreError(
                f"packdesk needs SQLite {'.'.join(map(str, MIN_VERSION))} or newer; this Python"
                f" has {sqlite3.sqlite_version}. Install a newer Python."
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"Cannot open the database {self.path}: {exc}. "
                "Check [station].data_dir in the config and that the folder is writable."
            ) from exc
        return conn

    def sql(self, statement: str) -> str:
        return statement

    def begin(self, conn: Connection, *, write: bool) -> None:
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def commit(self, conn: Connection) -> None:
        conn.execute("COMMIT")

    def rollback(self, conn: Connection) -> None:
        assert isinstance(conn, sqlite3.Connection)
        if conn.in_transaction:  # SQLite may have rolled back by itself (e.g. disk full)
            conn.execute("ROLLBACK")

    def schema_version(self, conn: Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchall()[0][0])

    def set_schema_version(self, conn: Connection, version: int) -> None:
        # PRAGMA takes no parameters; the version is an int of ours.
        conn.execute(f"PRAGMA user_version = {int(version)}")
