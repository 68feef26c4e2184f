"""Analytics benchmark: every section's queries over 100,000 orders.

Builds a database of `--orders` orders over two years (about a fifth of the customers
ordering again, 1-3 lines each, a label for nine orders in ten with its package and rate,
200 items with costs, stock at two warehouses and a year of daily stock snapshots), then
times, for periods of 30 days, 90 days and 12 months:
- each report section (the SQL of the Analytics screen's tabs: sales, shipping, stock,
  customers), the whole report, and the PDF;
- the station's gauges (what a Prometheus scrape reads);
- the Analytics screen opened headless (Textual's test driver): the time until all four
  sections are shown, and the longest pause of its event loop meanwhile (the queries run
  in worker threads; the pause is what a key press could wait);
- `packdesk export` of every fact table as CSV.

Each figure is the best of `--repeat` runs: CPU milliseconds of the thread that runs the
queries, and wall milliseconds in brackets. Run:
`PYTHONPATH=src python bench/analytics.py [--orders 100000] [--repeat 3]`
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

ITEMS = 200
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LOCATIONS = (
    ("gid://shopify/Location/1", "CA Warehouse", "CA"),
    ("gid://shopify/Location/2", "PA Warehouse", "PA"),
)


def build(path: Path, orders: int) -> None:
    from packdesk.adapters.store import SqliteStore

    rng = random.Random(7)
    store = SqliteStore.open(path)
    db = store.database
    with db.transaction():
        db.execute_many("INSERT INTO locations (id, name, code) VALUES (?, ?, ?)", list(LOCATIONS))
        db.execute_many(
            "INSERT INTO products (id, title) VALUES (?, ?)",
            [(f"P{n}", f"Product {n}") for n in range(ITEMS)],
        )
        db.execute_many(
            "INSERT INTO variants (id, product_id, title, sku, inventory_item_id, price,"
            " unit_cost) VALUES (?, ?, 'Default Title', ?, ?, ?, ?)",
            [
                (f"V{n}", f"P{n}", f"SKU-{n:03d}", f"I{n}", f"{5 + n % 40}.99",
                 None if n % 50 == 0 else f"{2 + n % 16}.40")
                for n in range(ITEMS)
            ],
        )  # fmt: skip
        db.execute_many(
            "INSERT INTO inventory_levels (inventory_item_id, location_id, available, on_hand)"
            " VALUES (?, ?, ?, ?)",
            [
                (f"I{n}", loc[0], (n * 7) % 90, (n * 7) % 90 + 3)
                for n in range(ITEMS)
                for loc in LOCATIONS
            ],
        )
    customers = max(1, orders // 5)
    span_s = 2 * 365 * 86400
    rows: dict[str, list[tuple[object, ...]]] = {k: [] for k in ("o", "li", "fo", "lp", "pk", "r")}

    def flush() -> None:
        with db.transaction():
            db.execute_many(
                "INSERT INTO orders (id, name, created_at, updated_at, fulfillment_status,"
                " customer, shipping_lines, total_price, currency, subtotal_price,"
                " current_subtotal_price, total_discounts, total_tax, total_shipping,"
                " customer_key, shipping_title)"
                " VALUES (?, ?, ?, ?, 'FULFILLED', '{}', '[]', ?, 'USD', ?, ?, ?, ?, ?, ?, ?)",
                rows["o"],
            )
            db.execute_many(
                "INSERT INTO line_items (id, order_id, position, variant_id, sku, title, quantity,"
                " price) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows["li"],
            )
            db.execute_many(
                "INSERT INTO fulfillment_orders (id, order_id, location_id, status)"
                " VALUES (?, ?, ?, 'CLOSED')",
                rows["fo"],
            )
            db.execute_many(
                "INSERT INTO label_purchases (key, order_id, package_no, attempt, state, rate_id,"
                " carrier, service_name, cost, fee, currency, created_at, updated_at)"
                " VALUES (?, ?, 1, 1, 'BOUGHT', ?, ?, ?, ?, '0.05', 'USD', ?, ?)",
                rows["lp"],
            )
            db.execute_many(
                "INSERT INTO packages (order_id, package_no, box, length_cm, width_cm, height_cm,"
                " weight_g) VALUES (?, 1, 'M', 30, 25, 15, ?)",
                rows["pk"],
            )
            db.execute_many(
                "INSERT INTO rates (id, order_id, package_no, shipment_id, carrier, service_token,"
                " service_name, amount, fetched_at, chosen, zone)"
                " VALUES (?, ?, 1, 'S', ?, 'svc', ?, ?, ?, 1, ?)",
                rows["r"],
            )
        for batch in rows.values():
            batch.clear()

    for n in range(orders):
        oid = f"gid://shopify/Order/{n + 1}"
        created = NOW - timedelta(seconds=span_s * (orders - n) / orders)
        at = created.isoformat(timespec="microseconds")
        customer = rng.randrange(customers) if rng.random() < 0.4 else n % customers
        lines = []
        for k in range(1 + int(rng.random() ** 2 * 3)):
            v = int(rng.paretovariate(1.2)) % ITEMS
            qty = 1 if rng.random() < 0.8 else 2
            price = 5 + v % 40 + 0.99
            lines.append(
                (
                    f"{oid}-L{k}",
                    oid,
                    k,
                    f"V{v}",
                    f"SKU-{v:03d}",
                    f"Product {v}",
                    qty,
                    f"{price:.2f}",
                )
            )
        subtotal = sum(float(li[7]) * int(li[6]) for li in lines)  # type: ignore[arg-type]
        discount = round(subtotal * 0.1, 2) if n % 8 == 0 else 0.0
        returned = subtotal - discount if n % 40 == 0 else 0.0
        shipping = 0.0 if subtotal >= 50 else 5.99
        service = "Express" if n % 9 == 0 else "Standard"
        rows["o"].append((
            oid, f"#{n + 1001}", at, at, f"{subtotal - discount + shipping:.2f}",
            f"{subtotal - discount:.2f}", f"{subtotal - discount - returned:.2f}",
            f"{discount:.2f}", f"{(subtotal - discount) * 0.07:.2f}", f"{shipping:.2f}",
            f"gid://shopify/Customer/{customer}", service,
        ))  # fmt: skip
        rows["li"] += lines
        location = LOCATIONS[n % 2][0]
        rows["fo"].append((f"FO{n}", oid, location))
        if n % 10:
            carrier, name = ("UPS", "Ground") if n % 3 == 0 else ("USPS", "Ground Advantage")
            cost = f"{6 + (n % 11) * 0.73:.2f}"
            bought = (created + timedelta(hours=4 + n % 40)).isoformat(timespec="microseconds")
            key = f"order:{oid}:pkg:1:try:1"
            rows["lp"].append((key, oid, f"R{n}", carrier, name, cost, bought, bought))
            rows["pk"].append((oid, 300.0 + (n % 17) * 110))
            rows["r"].append((f"R{n}", oid, carrier, name, cost, bought, str(1 + n % 8)))
        if len(rows["o"]) >= 5000:
            flush()
    flush()
    snapshot_days = [NOW.date() - timedelta(days=d) for d in range(365)]
    with db.transaction():
        db.execute_many(
            "INSERT INTO stock_snapshots (day, inventory_item_id, location_id, on_hand, available,"
            " unit_cost, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (day.isoformat(), f"I{n}", loc[0], (n * 7 + day.toordinal()) % 90,
                 (n * 7 + day.toordinal()) % 90, None if n % 50 == 0 else f"{2 + n % 16}.40",
                 NOW.isoformat())
                for day in snapshot_days for n in range(ITEMS) for loc in LOCATIONS
            ],
        )  # fmt: skip
    db.execute("ANALYZE")
    store.close()


def best(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The fastest of `repeat` runs: (CPU milliseconds of this thread, wall milliseconds).

    SQLite runs in the calling thread, so its CPU time is the query's cost whatever else the
    machine is doing; wall time also counts waiting for a core."""
    runs = []
    for _ in range(repeat):
        cpu, wall = time.thread_time(), time.perf_counter()
        run()
        runs.append(((time.thread_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
    return min(runs)


def cells(figures: list[tuple[float, float]]) -> str:
    return " | ".join(f"{cpu:,.0f} ms ({wall:,.0f})" for cpu, wall in figures)


def tick(ticks: list[float]) -> None:
    ticks.append(time.perf_counter())


async def screen_latency(service: object, repeat: int) -> tuple[float, float]:
    """The Analytics screen opened headless on the database: (seconds until all four
    sections are shown, the longest the event loop went without running a 10 ms timer)."""
    from textual.app import App

    from packdesk.tui.screens.analytics import AnalyticsScreen
    from packdesk.tui.widgets.analytics_section import SectionView

    shown, stall = [], []
    for _ in range(repeat):
        app: App[None] = App()
        ticks: list[float] = []
        async with app.run_test(size=(160, 50)) as pilot:
            app.set_interval(0.01, partial(tick, ticks))
            await pilot.pause(0.05)
            started = time.perf_counter()
            await app.push_screen(AnalyticsScreen(service))  # type: ignore[arg-type]
            while True:
                await pilot.pause(0.01)
                views = app.screen.query(SectionView)
                if views and all(not v.query(".analytics-loading") for v in views):
                    break
            shown.append(time.perf_counter() - started)
            during = [t for t in ticks if t >= started]
            gaps = [b - a for a, b in pairwise([started, *during])]
            stall.append(max(gaps, default=0.0) * 1000)
    return min(shown), min(stall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from packdesk.adapters.reports import FactFiles, ReportFiles
    from packdesk.adapters.store import SqliteStore
    from packdesk.adapters.store.analytics import SqlAnalytics
    from packdesk.domain.analytics.formulas import A_SHARE
    from packdesk.domain.analytics.periods import Period
    from packdesk.domain.clock import FixedClock
    from packdesk.domain.monitoring import GaugeQuery
    from packdesk.services.analytics import SECTIONS, AnalyticsService
    from packdesk.services.export import ExportService

    with tempfile.TemporaryDirectory(prefix="packdesk-bench-") as folder:
        path = Path(folder) / "packdesk.db"
        started = time.perf_counter()
        build(path, args.orders)
        print(
            f"built {args.orders:,} orders in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        store = SqliteStore.open(path)
        analytics = SqlAnalytics(store.database)
        service = AnalyticsService(analytics, FixedClock(NOW), ZoneInfo("UTC"))
        today = NOW.date()
        periods = {
            "30 days": Period(today - timedelta(days=29), today, ZoneInfo("UTC")),
            "90 days": Period(today - timedelta(days=89), today, ZoneInfo("UTC")),
            "12 months": Period(
                date(today.year - 1, today.month + 1, 1)
                if today.month < 12
                else date(today.year, 1, 1),
                today,
                ZoneInfo("UTC"),
            ),
        }
        print(f"| what ({args.orders:,} orders), CPU ms (wall ms) | " + " | ".join(periods) + " |")
        print("|---|" + "---:|" * len(periods))
        for key, title in SECTIONS.items():
            found = [best(partial(service.section, key, p), args.repeat) for p in periods.values()]
            print(f"| section: {title} | {cells(found)} |")
        found = [best(partial(service.report, p), args.repeat) for p in periods.values()]
        print(f"| whole report (4 sections) | {cells(found)} |")
        writer = ReportFiles()
        reports = [service.report(p) for p in periods.values()]
        found = [best(partial(writer.pdf, r), args.repeat) for r in reports]
        print(f"| its PDF (reportlab) | {cells(found)} |")
        query = GaugeQuery(
            now=NOW, location_id=LOCATIONS[0][0], window_start=NOW - timedelta(days=30),
            window_days=30, a_share=A_SHARE, lead_days=14,
        )  # fmt: skip
        gauges = best(partial(analytics.readings.gauges, query), args.repeat)
        print(f"| station gauges (one scrape) | {cells([gauges])} | | |")
        seconds, pause = asyncio.run(screen_latency(service, args.repeat))
        print(
            f"| Analytics screen: all four sections shown (30 days) | {seconds * 1000:,.0f} ms"
            f" wall; the event loop's longest pause {pause:,.0f} ms | | |"
        )
        export = ExportService(analytics.facts, FactFiles())
        exported = best(partial(export.export, Path(folder) / "export", "csv"), 1)
        print(f"| export, every fact table as CSV | {cells([exported])} | | |")
        store.close()


if __name__ == "__main__":
    main()
