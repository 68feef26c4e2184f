"""The execution layer on SQLite: migrations, the connection pool, and transactions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from packdesk.adapters.store import Database, SqliteDialect, SqliteStore, SqlStore, StoreError
from packdesk.domain.models import OutboxState

from .store_data import make_order


class CountingDialect(SqliteDialect):
    """SQLite that remembers every connection it opened."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.opened: list[sqlite3.Connection] = []

    def connect(self) -> sqlite3.Connection:
        conn = super().connect()
        self.opened.append(conn)
        return conn


def is_open(conn: sqlite3.Connection) -> bool:
    try:
        conn.total_changes  # noqa: B018  (reading it is the check)
    except sqlite3.ProgrammingError:
        return False
    return True


def tables(database: Database) -> set[str]:
    return {
        r["name"] for r in database.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def write_lock_is_free(path: Path) -> bool:
    """Whether another process could start writing now (without waiting for anyone)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


# -- schema ---------------------------------------------------------------------------------


def test_new_database_is_at_latest_version_in_wal_mode(store: SqliteStore) -> None:
    assert store.database.version == store.database.latest_version() >= 2
    assert store.database.scalar("PRAGMA journal_mode") == "wal"
    assert store.database.scalar("PRAGMA busy_timeout") >= 1000


def test_version_1_database_migrates_forward_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(SqliteDialect(path))
    assert old.migrate(target=1) == 1
    old.execute(
        "INSERT INTO variants (id, product_id, title, sku, barcode) VALUES (?, ?, ?, ?, ?)",
        ["v1", "p1", "Default Title", "BM-ABC-01", "0850001234561"],
    )
    assert "pack_scans" not in tables(old)
    old.close()

    migrated = Database(SqliteDialect(path))
    assert migrated.migrate() == migrated.latest_version()
    assert "pack_scans" in tables(migrated)
    row = migrated.one("SELECT sku, bin FROM variants WHERE id = 'v1'")
    assert row is not None
    assert dict(row) == {"sku": "BM-ABC-01", "bin": ""}
    assert migrated.migrate() == migrated.latest_version()  # running again changes nothing
    migrated.close()


def test_a_voided_labels_dead_fulfillment_stays_dead_after_the_upgrade(tmp_path: Path) -> None:
    """Rows a packdesk of schema 51 stopped when a label was voided are never revived."""
    path = tmp_path / "old.db"
    old = Database(SqliteDialect(path))
    old.migrate(target=51)
    key = "order:1001:pkg:1:try:1"
    old.execute(
        "INSERT INTO label_purchases (key, order_id, package_no, attempt, state, created_at,"
        " updated_at) VALUES (?, 'o1', 1, 1, 'VOIDED', '2026-11-02', '2026-11-03')",
        [key],
    )
    old.execute_many(
        "INSERT INTO outbox (kind, dedupe_key, order_id, payload, state, created_at,"
        " next_attempt_at) VALUES (?, ?, 'o1', '{}', 'DEAD', '2026-11-02', '2026-11-02')",
        [("fulfillment", f"fulfillment:{key}"), ("email", "email:review_request:o1")],
    )
    old.close()

    store = SqliteStore.open(path)
    assert store.outbox.retry_all(store.outbox.items()[0].created_at) == 1  # the email only
    assert [(i.kind, i.state) for i in store.outbox.items()] == [
        ("fulfillment", OutboxState.DEAD),
        ("email", OutboxState.PENDING),
    ]
    store.close()


def test_variants_synced_before_customs_data_are_read_again_at_the_next_sync(
    tmp_path: Path,
) -> None:
    """A database from before variants carried Shopify's customs data reads every variant
    again (the cursor is cleared); other resources keep their place."""
    path = tmp_path / "old.db"
    old = Database(SqliteDialect(path))
    old.migrate(target=86)
    old.execute_many(
        "INSERT INTO sync_state (resource, cursor, page_cursor) VALUES (?, ?, ?)",
        [("variants", "2026-11-30T10:00:00+00:00", '{"after": "abc"}'),
         ("orders", "2026-11-30T10:00:00+00:00", "")],
    )  # fmt: skip
    old.close()

    migrated = Database(SqliteDialect(path))
    assert migrated.migrate(target=91) == 91
    cursors = {
        r["resource"]: (r["cursor"], r["page_cursor"])
        for r in migrated.query("SELECT resource, cursor, page_cursor FROM sync_state")
    }
    migrated.close()
    assert cursors["variants"] == ("", "")
    assert cursors["orders"] == ("2026-11-30T10:00:00+00:00", "")


def test_orders_and_variants_stored_before_sales_and_costs_are_read_again(
    tmp_path: Path,
) -> None:
    """A database from before packdesk kept each order's sales breakdown and each variant's
    unit cost reads both again at the next sync; what it can fill in from what it has (the
    customer and the chosen service) it fills in at once, and every sum says which orders
    still lack a breakdown."""
    path = tmp_path / "old.db"
    old = Database(SqliteDialect(path))
    old.migrate(target=91)
    old.execute_many(
        "INSERT INTO sync_state (resource, cursor, page_cursor) VALUES (?, ?, ?)",
        [("variants", "2026-11-30T10:00:00+00:00", ""),
         ("orders", "2026-11-30T10:00:00+00:00", '{"after": "abc"}'),
         ("inventory", "2026-11-30T10:00:00+00:00", "")],
    )  # fmt: skip
    old.execute(
        "INSERT INTO orders (id, name, created_at, updated_at, email, customer, shipping_lines)"
        " VALUES ('o1', '#1001', '2026-11-02', '2026-11-02', 'Ana@Example.com',"
        ' \'{"id": "", "name": "Ana"}\', \'[{"title": "Express"}]\')'
    )
    old.close()

    store = SqliteStore.open(path)
    status = {r: store.sync.status(r) for r in ("variants", "orders", "inventory")}
    assert (status["orders"].cursor, status["orders"].page_cursor) == ("", "")
    assert status["variants"].cursor == ""
    assert status["inventory"].cursor == "2026-11-30T10:00:00+00:00"
    order = store.orders.get("o1")
    assert order is not None
    assert order.sales is None  # unknown until the sync reads it, never zero
    row = store.database.one("SELECT customer_key, shipping_title FROM orders WHERE id = 'o1'")
    assert row is not None
    assert (row["customer_key"], row["shipping_title"]) == ("ana@example.com", "Express")
    store.close()


def test_database_newer_than_packdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    newest = Database(SqliteDialect(path)).latest_version()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {newest + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this packdesk knows"):
        Database(SqliteDialect(path)).migrate()


def test_a_database_that_cannot_be_opened_says_what_to_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match=r"Check \[station\].data_dir"):
        SqliteStore.open(blocker / "packdesk.db")


# -- connections ----------------------------------------------------------------------------


def test_500_short_threads_reading_leave_at_most_the_pools_connections(tmp_path: Path) -> None:
    """Workers come and go on fresh threads; connections do not pile up with them."""
    dialect = CountingDialect(tmp_path / "packdesk.db")
    database = Database(dialect, pool_size=4)
    database.migrate()
    store = SqlStore(database)
    order = make_order()
    store.orders.save(order)
    together = threading.Barrier(50)  # fifty threads at a time ask for a connection at once
    read: list[bool] = []

    def worker() -> None:
        together.wait()
        read.append(store.orders.get(order.id) == order)

    threads = [threading.Thread(target=worker) for _ in range(500)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert read == [True] * 500
    assert len(dialect.opened) <= 4
    assert sum(is_open(c) for c in dialect.opened) == database.open_connections <= 4
    store.close()
    assert not any(is_open(c) for c in dialect.opened)


def test_a_connection_held_too_long_by_another_thread_is_a_clear_error(tmp_path: Path) -> None:
    database = Database(SqliteDialect(tmp_path / "packdesk.db"), pool_size=1, wait_s=0.05)
    database.migrate()
    store = SqlStore(database)
    holding, done = threading.Event(), threading.Event()

    def hold_the_only_connection() -> None:
        with store.transaction():
            store.orders.count()
            holding.set()
            done.wait()

    holder = threading.Thread(target=hold_the_only_connection)
    holder.start()
    holding.wait()
    try:
        with pytest.raises(StoreError, match="All 1 database connections stayed busy"):
            store.orders.count()
    finally:
        done.set()
        holder.join()
    assert store.orders.count() == 0  # given back once the transaction ended
    store.close()


def test_a_statement_returns_its_connection_to_the_pool(store: SqliteStore) -> None:
    for _ in range(20):
        store.orders.count()
    assert store.database.open_connections == 1


# -- transactions ---------------------------------------------------------------------------


def test_a_transaction_takes_the_write_lock_at_its_first_statement(
    store: SqliteStore, tmp_path: Path
) -> None:
    path = tmp_path / "packdesk.db"
    with store.transaction():
        order = make_order()  # preparing rows holds no lock
        assert write_lock_is_free(path)
        store.orders.get(order.id)  # even a read begins the write transaction
        assert not write_lock_is_free(path)
        store.orders.save(order)
    assert write_lock_is_free(path)
    assert store.orders.get(order.id) == order


def save_then_fail(store: SqliteStore, *numbers: int) -> None:
    with store.transaction():
        for number in numbers:
            store.orders.save(make_order(number))
        raise RuntimeError(f"power cut with {store.orders.count()} orders written")


def test_an_error_in_a_transaction_undoes_all_of_it(store: SqliteStore) -> None:
    with pytest.raises(RuntimeError, match="power cut with 2 orders written"):
        save_then_fail(store, 1001, 1002)
    assert store.orders.count() == 0


def test_a_nested_transaction_joins_the_outer_one_and_undoes_only_itself(
    store: SqliteStore,
) -> None:
    with store.transaction():
        store.orders.save(make_order(1001))
        # the inner block sees the outer one's rows and its own
        with pytest.raises(RuntimeError, match="with 2 orders written"):
            save_then_fail(store, 1002)
        store.orders.save(make_order(1003))
    assert store.orders.by_name("#1002") is None
    assert store.orders.count() == 2


def test_writing_inside_a_read_only_transaction_is_refused(store: SqliteStore) -> None:
    with store.database.transaction(write=False):
        assert store.orders.count() == 0
        with pytest.raises(RuntimeError, match="cannot start inside a read-only one"):
            store.orders.save(make_order())
    assert store.orders.count() == 0
