"""Inventory at store scale: 100,000 variants at CA and PA and FBA, 100,000 orders.

Measures, on a real SQLite file:
- `fba import` of a Manage FBA Inventory report with a row per variant (parse + store);
- the whole stock view made cold (every variant's levels, 30 days of sales and stock
  history, supplier, open POs, alerts: read, then assembled with a reorder plan per
  location), and the store's part of it;
- Stock screen queries on the made view: a page of LOW SKUs at CA by days of cover, a
  vendor, a search, all SKUs by velocity;
- the reorder plans due, and a low-stock check that raises every alert (then one that
  raises none);
- peak RSS after the first view, and at the end (a fresh view is made while the one it
  replaces still exists).

Run: `PYTHONPATH=src python bench/inventory.py [--variants 100000] [--orders 100000]`
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from packdesk.adapters.amazon.report import parse_report
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock
from packdesk.domain.events import Event
from packdesk.domain.inventory.reorder import ReorderPolicy
from packdesk.domain.inventory.stock import StockStatus
from packdesk.domain.inventory.view import StockQuery
from packdesk.services.inventory.alerts import DigestPolicy, StockAlerts
from packdesk.services.inventory.stock import StockService

T = TypeVar("T")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
VENDORS = (
    "Cardworks Press",
    "Puzzle Forge",
    "LabBox Science",
    "Maple Leaf Publishing",
    "Classroom Direct",
    "Kidsmart Toys",
    "Northwind Books",
    "Atlas Learning",
)
COLUMNS = (
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
)


class Bus:
    def publish(self, event: Event) -> None:
        pass


def timed(what: str, run: Callable[[], T], figures: list[tuple[str, float, float]]) -> T:
    """Run and keep (what, wall seconds, CPU seconds): on a shared machine the CPU time is the
    steadier figure."""
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    figures.append((what, time.perf_counter() - start, time.process_time() - cpu))
    return result


def build(store: SqliteStore, variants: int, orders: int, rng: random.Random) -> None:
    db = store.database
    ca, pa = "gid://shopify/Location/1", "gid://shopify/Location/2"
    with db.transaction():
        db.execute_many(
            "INSERT INTO locations (id, name, code) VALUES (?, ?, ?)",
            [(ca, "CA Warehouse", "CA"), (pa, "PA Warehouse", "PA")],
        )
        db.execute_many(
            "INSERT INTO products (id, title, vendor) VALUES (?, ?, ?)",
            [(f"P{n}", f"Product {n}", VENDORS[n % len(VENDORS)]) for n in range(variants)],
        )
        db.execute_many(
            "INSERT INTO variants (id, product_id, title, sku, barcode, inventory_item_id)"
            " VALUES (?, ?, 'Default Title', ?, ?, ?)",
            [(f"V{n}", f"P{n}", f"BM-{n:06d}", f"07{n:011d}", f"I{n}") for n in range(variants)],
        )
        levels = []
        days = []
        for n in range(variants):
            for loc in (ca, pa):
                available = rng.choice((0, 1, 2, 3, 5, 8)) if n % 20 == 0 else rng.randint(10, 200)
                levels.append((f"I{n}", loc, available, available, 0, 0, NOW.isoformat()))
                days.append(
                    (
                        f"I{n}",
                        loc,
                        (NOW - timedelta(days=200)).date().isoformat(),
                        available,
                        available,
                    )
                )
                if available == 0:
                    out = (NOW - timedelta(days=rng.randint(1, 20))).date().isoformat()
                    days.append((f"I{n}", loc, out, 0, 0))
        db.execute_many(
            "INSERT INTO inventory_levels (inventory_item_id, location_id, available, on_hand,"
            " committed, incoming, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            levels,
        )
        db.execute_many(
            "INSERT OR REPLACE INTO stock_days (inventory_item_id, location_id, day,"
            " min_available, last_available) VALUES (?, ?, ?, ?, ?)",
            days,
        )
        suppliers = [
            (
                f"Supplier {n}",
                f"po{n}@example.com",
                7 + n % 30,
                "USD",
                NOW.isoformat(),
                NOW.isoformat(),
            )
            for n in range(40)
        ]
        db.execute_many(
            "INSERT INTO suppliers (name, email, lead_time_days, currency, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            suppliers,
        )
        db.execute_many(
            "INSERT INTO supplier_items (variant_id, supplier_id, case_pack, min_order, unit_cost)"
            " VALUES (?, ?, ?, ?, '2.50')",
            [(f"V{n}", 1 + n % 40, (1, 6, 12, 24)[n % 4], 0) for n in range(variants)],
        )
    for start in range(0, orders, 5000):
        heads, lines, fos, fo_lines = [], [], [], []
        for o in range(start, min(start + 5000, orders)):
            created = NOW - timedelta(days=90 * rng.random())
            oid = f"O{o}"
            loc = ca if o % 3 else pa
            heads.append((oid, f"#{1000 + o}", created.isoformat(), created.isoformat()))
            fos.append((f"F{o}", oid, loc, "CLOSED", created.isoformat()))
            for j in range(1 + int(rng.random() ** 2 * 3)):
                v = int(rng.paretovariate(1.2)) % variants
                lid = f"L{o}-{j}"
                qty = 1 if rng.random() < 0.8 else rng.randint(2, 3)
                lines.append((lid, oid, f"V{v}", f"BM-{v:06d}", "x", qty))
                fo_lines.append((f"FL{o}-{j}", f"F{o}", lid, qty, 0))
        with db.transaction():
            db.execute_many(
                "INSERT INTO orders (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", heads
            )
            db.execute_many(
                "INSERT INTO line_items (id, order_id, variant_id, sku, title,"
                " quantity) VALUES (?, ?, ?, ?, ?, ?)",
                lines,
            )
            db.execute_many(
                "INSERT INTO fulfillment_orders (id, order_id, location_id, status,"
                " updated_at) VALUES (?, ?, ?, ?, ?)",
                fos,
            )
            db.execute_many(
                "INSERT INTO fulfillment_order_lines (id, fulfillment_order_id,"
                " line_item_id, total_quantity, remaining_quantity)"
                " VALUES (?, ?, ?, ?, ?)",
                fo_lines,
            )


def report(variants: int, rng: random.Random) -> bytes:
    rows = ["\t".join(COLUMNS)]
    for n in range(variants):
        f = rng.randint(0, 120)
        rows.append(
            "\t".join(
                map(
                    str,
                    (
                        f"BM-{n:06d}",
                        f"X{n:09d}",
                        f"B{n:09d}",
                        f"Product {n} ®",
                        "New",
                        "9.99",
                        f + 3,
                        f,
                        1,
                        2,
                        f + 3 + n % 7,
                        n % 7,
                        0,
                        0,
                    ),
                )
            )
        )
    return "\r\n".join(rows).encode("cp1252")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(17)
    figures: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore.open(Path(tmp) / "packdesk.db")
        timed(
            "load the database (setup, not a figure)",
            lambda: build(store, args.variants, args.orders, rng),
            figures,
        )
        data = report(args.variants, rng)
        snapshot = timed(
            "fba import: parse the report",
            lambda: parse_report(data, name="report.txt", as_of=NOW),
            figures,
        )
        done = timed(
            "fba import: store it (one transaction)",
            lambda: store.inventory.save_fba_import(snapshot, NOW),
            figures,
        )
        assert done.matched == args.variants
        clock = FixedClock(NOW)
        stock = StockService(store, clock, ReorderPolicy())
        timed(
            "stock view, reads of every variant (levels, FBA, sales)",
            lambda: (
                store.inventory.variant_stock(),
                store.inventory.daily_sales(
                    NOW.date() - timedelta(days=30), NOW.date() - timedelta(days=1)
                ),
            ),
            figures,
        )
        rows = len(
            timed(
                "stock view, whole (cold: reads + assembly)",
                lambda: stock.rows(fresh=True),
                figures,
            )
        )
        view_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        low = StockQuery(
            statuses=frozenset({StockStatus.LOW, StockStatus.OUT}),
            location="CA",
            sort="cover",
            limit=200,
        )
        page = timed("page: LOW/OUT at CA by days of cover", lambda: stock.page(low), figures)
        timed(
            "page: a vendor, by SKU",
            lambda: stock.page(StockQuery(vendor="labbox", sort="sku")),
            figures,
        )
        timed("page: search 'BM-0999'", lambda: stock.page(StockQuery(search="BM-0999")), figures)
        timed(
            "page: all by velocity, descending",
            lambda: stock.page(StockQuery(sort="velocity", descending=True)),
            figures,
        )
        plans = timed("reorder plans due", lambda: stock.plans(), figures)
        alerts = StockAlerts(store, stock, clock, Bus(), DigestPolicy())
        first = timed("low-stock check raising every alert", alerts.check, figures)
        timed("low-stock check again (nothing new)", alerts.check, figures)
        store.close()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}; {args.variants:,} variants, {args.orders:,} orders"
    )
    print(
        f"view: {rows:,} rows, {page.total:,} LOW/OUT at CA; {len(plans):,} plans due; "
        f"{len(first.raised):,} alerts raised"
    )
    print(f"{'':<56} {'wall':>9} {'CPU':>9}  (load average {os.getloadavg()[0]:.1f})")
    for what, seconds, cpu in figures:
        print(f"{what:<56} {seconds * 1000:>7.0f}ms {cpu * 1000:>7.0f}ms")
    print(
        f"peak RSS {view_rss:.0f} MB after the first view, "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB at the end"
    )


if __name__ == "__main__":
    main()
