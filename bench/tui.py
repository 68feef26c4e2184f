"""Packing station TUI benchmark: 100,000 orders in the database and a sync running.

The station is built as `packdesk run` builds it (bootstrap's Container: the store, the
desk, the label service, the print queue and folder printers), with only Shippo answered in
memory (`BenchCarrier`). Measures, headless (Textual's test driver, the real compositor):
- key-to-screen latency of a scan: from the scanner's Enter to the first frame written to the
  terminal whose pack screen already holds the tick (p50 / p99 over a few hundred scans; the
  frame is timestamped as it is written), while a thread upserts order pages like the sync
  does and publishes SyncFinished events that make the queue reload live;
- cold start to a rendered queue: a fresh process that imports packdesk, opens the database
  and shows the first queue page;
- peak RSS of each process.

Run: `PYTHONPATH=src python bench/tui.py [--orders 100000] [--scans 300]`
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

START = time.perf_counter()

CATALOG = 50
LINES_PER_ORDER = 2
WAREHOUSE = {
    "name": "CA Warehouse",
    "address1": "1 Harbor Way",
    "city": "Oakland",
    "province_code": "CA",
    "zip": "94607",
    "country_code": "US",
}


def build_database(data_dir: Path, orders: int) -> None:
    """Bulk-load `orders` orders: most shipped long ago, ~1% open at this station."""
    from packdesk.adapters.store import SqliteStore

    store = SqliteStore.open(data_dir / "packdesk.db")
    db = store.database
    now = datetime.now(UTC)
    with store.database.transaction():
        db.execute(
            "INSERT INTO locations (id, name, code, address) VALUES (?, ?, ?, ?)",
            ["LOC-CA", "CA Warehouse", "CA", json.dumps(WAREHOUSE)],
        )
        db.execute_many(
            "INSERT INTO products (id, title) VALUES (?, ?)",
            [(f"P{n}", f"Product {n}") for n in range(CATALOG)],
        )
        db.execute_many(
            "INSERT INTO variants (id, product_id, title, sku, barcode, weight_g, bin)"
            " VALUES (?, ?, 'Default Title', ?, ?, 200, 'A-01')",
            [(f"V{n}", f"P{n}", f"SKU-{n:03d}", f"07{n:011d}") for n in range(CATALOG)],
        )
    open_every = 100
    batch: list[tuple[object, ...]] = []
    lines: list[tuple[object, ...]] = []
    station: list[tuple[object, ...]] = []
    fos: list[tuple[object, ...]] = []
    fo_lines: list[tuple[object, ...]] = []
    for n in range(orders):
        oid = f"gid://shopify/Order/{n + 1}"
        created = (now - timedelta(minutes=orders - n)).isoformat()
        is_open = n % open_every == 0
        service = "Express" if n % 7 == 0 else "Standard"
        batch.append(
            (
                oid,
                f"#{n + 1001}",
                created,
                created,
                "" if is_open else "FULFILLED",
                json.dumps({"name": f"Customer {n}", "email": f"c{n}@example.com"}),
                json.dumps(
                    {
                        "name": f"Customer {n}",
                        "city": "Austin",
                        "province_code": "TX",
                        "zip": "78701",
                        "country_code": "US",
                        "address1": "1 Main St",
                    }
                ),
                json.dumps([{"title": service}]),
            )
        )
        for k in range(LINES_PER_ORDER):
            v = (n + k) % CATALOG
            lines.append((f"{oid}-L{k}", oid, k, f"V{v}", f"SKU-{v:03d}", f"Product {v}", 2))
        if is_open:
            fos.append((f"FO{n}", oid, "LOC-CA", "OPEN"))
            fo_lines += [
                (f"FOL{n}-{k}", f"FO{n}", f"{oid}-L{k}", 2, 2) for k in range(LINES_PER_ORDER)
            ]
            if n % 200 == 0:
                station.append((oid, "READY", created))
        else:
            station.append((oid, "DELIVERED" if n % 3 else "FULFILLED", created))
        if len(batch) >= 5000 or n == orders - 1:
            with db.transaction():
                db.execute_many(
                    "INSERT INTO orders (id, name, created_at, updated_at, fulfillment_status,"
                    " customer, shipping_address, shipping_lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    batch,
                )
                db.execute_many(
                    "INSERT INTO line_items (id, order_id, position, variant_id, sku, title,"
                    " quantity) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    lines,
                )
                db.execute_many(
                    "INSERT INTO station_orders (order_id, state, updated_at) VALUES (?, ?, ?)",
                    station,
                )
                db.execute_many(
                    "INSERT INTO fulfillment_orders (id, order_id, location_id, status)"
                    " VALUES (?, ?, ?, ?)",
                    fos,
                )
                db.execute_many(
                    "INSERT INTO fulfillment_order_lines (id, fulfillment_order_id, line_item_id,"
                    " total_quantity, remaining_quantity) VALUES (?, ?, ?, ?, ?)",
                    fo_lines,
                )
            batch, lines, station, fos, fo_lines = [], [], [], [], []
    db.execute("ANALYZE")
    store.close()


def make_settings(data_dir: Path) -> object:
    from packdesk.settings import Settings

    out = str(data_dir / "out")
    return Settings(
        station={"name": "CA-1", "location": "CA", "data_dir": str(data_dir)},
        printers=[
            {"name": "labels", "kind": "folder", "role": "label", "target": out},
            {"name": "slips", "kind": "folder", "role": "slip", "target": out},
        ],
        boxes=[{"name": "M", "length_cm": 30, "width_cm": 25, "height_cm": 15, "tare_g": 200}],
    )


class BenchCarrier:
    """The carrier port answered at once in memory: the bench measures the station, not the
    network. Everything else (the label service, the store, the print queue, the folder
    printers) is what the container builds for production."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.bought: dict[str, object] = {}

    def validate_address(self, address: object) -> object:
        from packdesk.domain.shipping import AddressCheck

        return AddressCheck(valid=True)

    def get_rates(self, shipment: object) -> list[object]:
        from packdesk.domain.models import Rate

        n = next(self.ids)
        now = datetime.now(UTC)
        return [
            Rate(
                id=f"rate_{n}_{token}", shipment_id=f"shp_{n}", carrier="USPS",
                service_token=token, service_name=name, amount=Decimal(amount),
                estimated_days=days, fetched_at=now,
            )
            for token, name, amount, days in (
                ("usps_ground_advantage", "Ground Advantage", "5.12", 5),
                ("usps_priority", "Priority Mail", "9.40", 2),
            )
        ]  # fmt: skip

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> object:
        from packdesk.domain.shipping import LabelResult

        n = next(self.ids)
        result = LabelResult(
            transaction_id=f"txn_{n}", status="SUCCESS", metadata=metadata_key, rate_id=rate_id,
            tracking_number=f"9400{n:018d}", label_url=f"bench://labels/txn_{n}",
            created_at=datetime.now(UTC),
        )  # fmt: skip
        self.bought[result.transaction_id] = result
        return result

    def find_transactions_by_key(self, key: str, *, rate_id: str, since: datetime) -> list[object]:
        return [t for t in self.bought.values() if t.metadata == key]  # type: ignore[attr-defined]

    def get_transaction(self, transaction_id: str) -> object:
        return self.bought[transaction_id]

    def download_label(self, label_url: str) -> bytes:
        return b"%PDF-1.4 bench label " + label_url.encode()

    def refund(self, transaction_id: str) -> object:
        raise NotImplementedError("the bench voids no label")

    def track(self, carrier: str, tracking_number: str) -> object:
        raise NotImplementedError("the bench tracks no parcel")


def open_container(data_dir: Path) -> Any:
    """The station as `packdesk run` builds it, with the bench's carrier for Shippo."""
    from packdesk.bootstrap import Container

    return Container(make_settings(data_dir), carrier=BenchCarrier())  # type: ignore[arg-type]


def sync_writer(data_dir: Path, bus: object, stop: threading.Event, pages: list[int]) -> None:
    """Upsert pages of 100 shipped orders every 200 ms through the store call the real sync
    uses (`store_orders_page`: the page and its cursor in one transaction)."""
    from packdesk.adapters.store import SqliteStore
    from packdesk.domain.events import SyncFinished

    store = SqliteStore.open(data_dir / "packdesk.db")
    n = 0
    while not stop.is_set():
        orders = [
            store.orders.get(f"gid://shopify/Order/{(n * 100 + k) % 90000 + 2}") for k in range(100)
        ]
        now = datetime.now(UTC)
        page = [o.model_copy(update={"updated_at": now}) for o in orders if o is not None]
        # As the real sync does (OrderSync.sync_orders): a page and its cursor, one transaction.
        status = store.sync.status("orders").model_copy(update={"cursor": now.isoformat()})
        with store.transaction():
            store.orders.save_many(page)
            store.sync.save(status)
        n += 1
        pages.append(n)
        bus.publish(SyncFinished(at=datetime.now(UTC), resource="orders", count=100, ok=True))  # type: ignore[attr-defined]
        stop.wait(0.2)
    store.close()


def scanned_on(screen: object) -> int:
    """Items the pack screen's model counts as scanned (-1 on another screen)."""
    session = getattr(screen, "session", None)
    return -1 if session is None else sum(ln.scanned for ln in session.lines)


async def enter_to_screen(app: object, screen: object, painted: list[tuple[float, int]]) -> float:
    """Send the scanner's Enter as the terminal driver would, and time until a frame has been
    written whose screen model already holds the tick (ms). Frames are stamped as they are
    written, so the time is the frame's own, not when this coroutine next gets to run."""
    from textual import events

    before = scanned_on(screen)
    first = len(painted)
    t0 = time.perf_counter()
    app._driver.send_message(events.Key("enter", None))  # type: ignore[attr-defined]
    while True:
        await asyncio.sleep(0.0005)
        shown = next((t for t, n in painted[first:] if n > before), None)
        if shown is not None:
            return (shown - t0) * 1000
        if time.perf_counter() - t0 > 5:
            raise TimeoutError("the scan never showed")


async def measure_scans(data_dir: Path, scans: int) -> dict[str, float]:
    from packdesk.tui.app import PackdeskApp
    from packdesk.tui.screens.pack import PackScreen

    station = open_container(data_dir)
    desk = station.desk
    stop = threading.Event()
    pages: list[int] = []
    writer = threading.Thread(target=sync_writer, args=(data_dir, station.bus, stop, pages))
    if not os.environ.get("BENCH_NO_SYNC"):
        writer.start()
    latencies: list[float] = []
    app = PackdeskApp(desk, status_every_s=2)  # the status bar reloads more often than in use
    painted: list[tuple[float, int]] = []
    display = app._display

    def timed_display(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        painted.append((time.perf_counter(), scanned_on(screen)))

    app._display = timed_display  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            while len(latencies) < scans:
                rows = [r for r in desk.queue_rows() if r.state.value in ("NEW", "READY")]
                await pilot.press(*rows[0].name, "enter")
                while not isinstance(app.screen, PackScreen):  # opened by a worker
                    await pilot.pause()
                screen = app.screen
                assert isinstance(screen, PackScreen), screen
                for line in list(screen.session.lines):
                    for _ in range(line.expected):
                        await pilot.press(*line.barcode)
                        latencies.append(await enter_to_screen(app, screen, painted))
                while screen.session.outcome is None:
                    await asyncio.sleep(0.005)
                outcome = screen.session.outcome
                assert outcome.ok, (outcome.label_error, outcome.print_error)
                await pilot.press("escape")
                await pilot.pause()
    finally:
        stop.set()
        if writer.is_alive():
            writer.join()
        station.close()
    latencies.sort()
    return {
        "scans": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "max_ms": latencies[-1],
        "sync_pages_during_run": len(pages),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


async def cold_start(data_dir: Path) -> dict[str, float]:
    from packdesk.tui.app import PackdeskApp
    from packdesk.tui.widgets.queue_table import QueueTable

    station = open_container(data_dir)
    app = PackdeskApp(station.desk, status_every_s=0)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            await pilot.pause()
            tables = app.screen.query(QueueTable)
            if tables and tables.first().row_count > 0:
                break
        elapsed = time.perf_counter() - START
        rows = tables.first().row_count
    station.close()
    return {
        "start_s": elapsed,
        "rows": rows,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--cold-start", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_start:
        print(json.dumps(asyncio.run(cold_start(args.data_dir))))
        return
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="packdesk-bench-"))
    t = time.perf_counter()
    if (data_dir / "packdesk.db").exists():
        print(f"reusing the database at {data_dir}")
    else:
        build_database(data_dir, args.orders)
        print(f"built {args.orders} orders in {time.perf_counter() - t:.1f}s at {data_dir}")
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, __file__, "--cold-start", "--data-dir", str(data_dir)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        print("cold start:", out.stdout.strip().splitlines()[-1])
    print("scan latency:", json.dumps(asyncio.run(measure_scans(data_dir, args.scans))))


if __name__ == "__main__":
    main()
