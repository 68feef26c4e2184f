"""One SQLite file, one connection per thread, WAL, and forward-only migrations.

The TUI's workers, APScheduler's pool and the webhook receiver all touch the database from
their own threads. SQLite connections must not be shared across threads, so each thread gets
its own, opened lazily. Write transactions start with `BEGIN IMMEDIATE` so that two writers
queue on `busy_timeout` instead of failing when a read lock would have to be upgraded.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


class StoreError(RuntimeError):
    """The database cannot be opened or migrated; the message says what to do."""


def migrations() -> list[tuple[int, str, str]]:
    """The schema's migrations as (version, name, sql), in order.

    Files are `NNNN_name.sql` in this package's `migrations/` folder; the number is the
    schema version the file brings the database to.
    """
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("packdesk.adapters.store.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)


def latest_version() -> int:
    return migrations()[-1][0]


class Database:
    """The packdesk database file; hands each thread its own sqlite-utils connection."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connect(self) -> sqlite_utils.Database:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"Cannot open the database {self.path}: {exc}. "
                "Check [station].data_dir in the config and that the folder is writable."
            ) from exc
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        with self._lock:
            self._all.append(conn)
        return sqlite_utils.Database(conn)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction (`BEGIN IMMEDIATE`); nested calls become savepoints."""
        db = self.db
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()  # a no-op when SQLite already ended the transaction
            raise
        else:
            db.conn.execute("COMMIT")

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int | None = None) -> int:
        """Bring the schema forward to `target` (default: latest); return the new version.

        Each migration runs in its own transaction together with its `user_version` bump, so
        a crash leaves the database at the last version that finished.
        """
        current = self.version
        newest = latest_version()
        if current > newest:
            raise StoreError(
                f"The database {self.path} is at schema version {current}, newer than this "
                f"packdesk knows ({newest}). Upgrade packdesk, or point [station].data_dir "
                "at another folder."
            )
        for number, _name, sql in migrations():
            if number <= current or (target is not None and number > target):
                continue
            with self.transaction() as db:
                for statement in _statements(sql):
                    db.conn.execute(statement)
                db.conn.execute(f"PRAGMA user_version = {number}")
            current = number
        return current

    def close(self) -> None:
        """Close every thread's connection (at shutdown, after workers stopped)."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (our files have no `;` inside literals)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
