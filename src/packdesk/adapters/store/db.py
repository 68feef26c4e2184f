"""The store's execution layer: statements, transactions and migrations over a dialect.

Repositories write portable SQL (`?` placeholders; `INSERT ... ON CONFLICT ... DO UPDATE`
and `RETURNING`, which SQLite >= 3.35 and PostgreSQL share) against `Database`, whose whole
surface is `query`, `one`, `scalar`, `execute`, `execute_many` and `transaction`.
Everything a database engine does its own way (connecting, placeholders, how a write
transaction begins, where the schema version lives, the DDL of the migrations) is in its
`Dialect`: `sqlite.py` for SQLite.

A statement outside a transaction borrows a pooled connection for itself alone (and is a
transaction of its own). `transaction()` keeps one connection for the whole block, on the
thread that opened it; the transaction begins at its first statement, so work done in
Python before that (preparing a page of rows) does not hold the write lock. A
`transaction()` inside another one joins it, as a savepoint: a failure inside the inner
block undoes only what it did, if the outer block carries on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from packdesk.adapters.store.pool import ConnectionPool, PoolExhausted

POOL_SIZE = 8
"""Connections a store keeps at most: enough for the outbox's delivery threads, the
scheduler's jobs and the TUI's workers to run their statements side by side."""

Params = Sequence[Any]


class StoreError(RuntimeError):
    """The database cannot be opened, migrated or reached; the message says what to do."""


class Row(Protocol):
    """A result row: its columns by name."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> Sequence[str]: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, parameters: Params = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Any, /) -> Cursor: ...

    def close(self) -> None: ...


class Dialect(Protocol):
    """What differs between database engines; one implementation per engine."""

    name: str
    migrations_package: str
    """The package holding this engine's migrations (`NNNN_name.sql`, in its DDL)."""

    def describe(self) -> str:
        """Which database this is, for messages (a file path, a server)."""
        ...

    def connect(self) -> Connection:
        """A new connection, in autocommit mode, rows readable by column name."""
        ...

    def sql(self, statement: str) -> str:
        """A statement written with `?` placeholders, in this engine's placeholder style."""
        ...

    def begin(self, conn: Connection, *, write: bool) -> None:
        """Begin a transaction that writes (taking the write lock now) or only reads."""
        ...

    def commit(self, conn: Connection) -> None: ...

    def rollback(self, conn: Connection) -> None:
        """Roll back, if a transaction is open (the engine may have ended it already)."""
        ...

    def schema_version(self, conn: Connection) -> int: ...

    def set_schema_version(self, conn: Connection, version: int) -> None: ...


def migrations(package: str) -> list[tuple[int, str, str]]:
    """The migrations in `package` as (version, name, sql), in order.

    Files are `NNNN_name.sql`; the number is the schema version the file brings the
    database to.
    """
    found: list[tuple[int, str, str]] = []
    for entry in resources.files(package).iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)


@dataclass(slots=True)
class _Transaction:
    write: bool
    loan: tuple[int, Connection] | None = None
    """The pooled connection, borrowed at the first statement."""
    depth: int = 0


class Database:
    """A database reached through a dialect and a small connection pool."""

    def __init__(self, dialect: Dialect, *, pool_size: int = POOL_SIZE, wait_s: float = 30.0):
        self.dialect = dialect
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            dialect.connect, size=pool_size, wait_s=wait_s
        )
        self._local = threading.local()

    @property
    def open_connections(self) -> int:
        """Connections open now (at most `pool_size`)."""
        return self._pool.open_connections

    @property
    def pool_size(self) -> int:
        return self._pool.size

    # -- statements ---------------------------------------------------------------------

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        rows: list[Row] = self._cursor(sql, params).fetchall()
        return rows

    def one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row, or None (every row is read, so the statement is finished)."""
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (None when there is no row)."""
        rows: list[Any] = self._cursor(sql, params).fetchall()
        return rows[0][0] if rows else None

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement that returns no rows; returns how many rows it changed."""
        return self._cursor(sql, params).rowcount

    def execute_many(self, sql: str, rows: Sequence[Params]) -> int:
        if not rows:
            return 0
        statement = self.dialect.sql(sql)
        tx = self._current()
        if tx is not None:
            return self._begun(tx).executemany(statement, rows).rowcount
        loan = self._lend()
        try:
            return loan[1].executemany(statement, rows).rowcount
        finally:
            self._pool.give_back(loan)

    def _cursor(self, sql: str, params: Params) -> Cursor:
        statement = self.dialect.sql(sql)
        tx = self._current()
        if tx is not None:
            return self._begun(tx).execute(statement, params)
        loan = self._lend()
        try:
            cursor = loan[1].execute(statement, params)
            rows = cursor.fetchall()
            return _Fetched(cursor.rowcount, rows)
        finally:
            self._pool.give_back(loan)

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        """One transaction around the block (see the module's docstring)."""
        tx = self._current()
        if tx is not None:
            if not write:
                yield  # reads inside a transaction see it; there is nothing to undo
                return
            if not tx.write:
                raise RuntimeError("A write transaction cannot start inside a read-only one.")
            yield from self._savepoint(tx)
            return
        tx = _Transaction(write=write)
        self._local.tx = tx
        try:
            yield
        except BaseException:
            if tx.loan is not None:
                self.dialect.rollback(tx.loan[1])
            raise
        else:
            if tx.loan is not None:
                try:
                    self.dialect.commit(tx.loan[1])
                except BaseException:
                    self.dialect.rollback(tx.loan[1])
                    raise
        finally:
            self._local.tx = None
            if tx.loan is not None:
                self._pool.give_back(tx.loan)

    def _savepoint(self, tx: _Transaction) -> Iterator[None]:
        conn = self._begun(tx)
        tx.depth += 1
        name = f"packdesk_{tx.depth}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # The engine may have ended the whole transaction already (disk full); the
            # outer block rolls back then, and the first error is the one to report.
            with suppress(Exception):
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        finally:
            tx.depth -= 1

    def _current(self) -> _Transaction | None:
        tx: _Transaction | None = getattr(self._local, "tx", None)
        return tx

    def _begun(self, tx: _Transaction) -> Connection:
        """The transaction's connection, borrowed and begun at its first statement."""
        if tx.loan is None:
            loan = self._lend()
            try:
                self.dialect.begin(loan[1], write=tx.write)
            except BaseException:
                self._pool.give_back(loan)
                raise
            tx.loan = loan
        return tx.loan[1]

    def _lend(self) -> tuple[int, Connection]:
        try:
            return self._pool.lend()
        except PoolExhausted as exc:
            raise StoreError(
                f"{exc} Something holds the database of {self.dialect.describe()} for long; "
                "see the log for a slow job."
            ) from exc

    # -- schema -------------------------------------------------------------------------

    @property
    def version(self) -> int:
        loan = self._lend()
        try:
            return self.dialect.schema_version(loan[1])
        finally:
            self._pool.give_back(loan)

    def latest_version(self) -> int:
        return migrations(self.dialect.migrations_package)[-1][0]

    def migrate(self, target: int | None = None) -> int:
        """Bring the schema forward to `target` (default: latest); return the new version.

        Each migration runs in its own transaction together with its version bump, so a
        crash leaves the database at the last version that finished.
        """
        current = self.version
        newest = self.latest_version()
        if current > newest:
            raise StoreError(
                f"The database {self.dialect.describe()} is at schema version {current}, "
                f"newer than this packdesk knows ({newest}). Upgrade packdesk, or point "
                "[station].data_dir at another folder."
            )
        for number, _name, sql in migrations(self.dialect.migrations_package):
            if number <= current or (target is not None and number > target):
                continue
            with self.transaction():
                for statement in _statements(sql):
                    self.execute(statement)
                tx = self._current()
                assert tx is not None
                self.dialect.set_schema_version(self._begun(tx), number)
            current = number
        return current

    def close(self) -> None:
        """Close the pooled connections (at shutdown, after workers stopped)."""
        self._pool.close()


@dataclass(frozen=True)
class _Fetched:
    """A cursor's results, read before its connection went back to the pool."""

    rowcount: int
    rows: list[Any]

    def fetchall(self) -> list[Any]:
        return self.rows


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (our files have no `;` inside literals)."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
