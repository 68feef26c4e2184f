"""Label purchase: from a completed pack to label bytes stored, and a batch of labels.

Usage: PYTHONPATH=src python bench/labels.py [--orders 100] [--batch 500] [--workers 8]
       [--limited 60]

1. Pack -> label: orders are READY with rates already fetched (the background job's work),
   then marked PACKED and `LabelService.buy` runs; its wall time is split into the Shippo
   purchase call (POST /transactions), the label download, and what is left: local overhead
   (SQLite rows before and after the call, the one-transaction store of label + state +
   outbox + print job). Sandbox latency 0 ms and 300 ms on every Shippo endpoint.
2. Batch: `buy_batch` over `--batch` orders (rates fetched in the batch) with 300 ms latency,
   without rate limits (live-mode like), then `--limited` orders under Shippo's test-mode
   limits (POST 50/min, list 10/min), which bind: 429s are waited out.
The sandbox runs in this process (uvicorn thread); every purchase is checked against the
sandbox's own list of transactions afterwards (one live label per order).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from packdesk.adapters.shippo import ShippoCarrier
from packdesk.adapters.store import SqliteStore
from packdesk.adapters.store.rows import dumps
from packdesk.domain.boxes import DEFAULT_BOXES
from packdesk.domain.clock import SystemClock
from packdesk.domain.events import Event
from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Order,
    ShippingLine,
    Transition,
)
from packdesk.domain.shipping import LabelResult
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.services.label_batch import buy_batch
from packdesk.services.labels import LabelService
from packdesk.services.shipping import ShippingConfig, ShippingService

S = StationState
LOCATION = "gid://shopify/Location/bench-ca"
HOME = Address(
    name="CA Warehouse",
    address1="2100 Livingston St",
    city="Oakland",
    province_code="CA",
    zip="94606",
)


class Quiet:
    def publish(self, event: Event) -> None:
        pass


class TimedCarrier:
    """The Shippo adapter, timing the purchase call and the label download."""

    def __init__(self, inner: ShippoCarrier) -> None:
        self.inner = inner
        self.buy_s: list[float] = []
        self.download_s: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        started = time.perf_counter()
        try:
            return self.inner.buy_label(rate_id, label_format, metadata_key)
        finally:
            self.buy_s.append(time.perf_counter() - started)

    def download_label(self, label_url: str) -> bytes:
        started = time.perf_counter()
        try:
            return self.inner.download_label(label_url)
        finally:
            self.download_s.append(time.perf_counter() - started)


def station(path: Path, carrier: Any) -> tuple[SqliteStore, ShippingService, LabelService]:
    store = SqliteStore.open(path)
    db = store.database
    with db.transaction():
        db.execute(
            "INSERT OR REPLACE INTO locations (id, name, code, address) VALUES (?, ?, ?, ?)",
            [LOCATION, "CA Warehouse", "CA", dumps(HOME.model_dump())],
        )
        db.execute("INSERT OR REPLACE INTO products (id, title) VALUES ('P1', 'Flash Cards')")
        db.execute(
            "INSERT OR REPLACE INTO variants (id, product_id, sku, weight_g, length_cm,"
            " width_cm, height_cm) VALUES ('V1', 'P1', 'BM-ABC-01', 250, 15, 10, 3)"
        )
    config = ShippingConfig(
        boxes=DEFAULT_BOXES, label_printer="labels", label_printer_kind="folder"
    )
    shipping = ShippingService(store, carrier, Quiet(), SystemClock(), config)
    return store, shipping, LabelService(shipping)


def order(number: int) -> Order:
    oid = f"gid://shopify/Order/{number}"
    now = SystemClock().now()
    return Order(
        id=oid,
        name=f"#{number}",
        created_at=now,
        updated_at=now,
        email="b@example.com",
        customer=Customer(name="Bench"),
        shipping_address=Address(
            name="Bench Buyer", address1="12 Elm St", city="Austin", province_code="TX", zip="78701"
        ),
        shipping_lines=(ShippingLine(title="Standard"),),
        line_items=(
            LineItem(
                id=f"LI{number}", variant_id="V1", sku="BM-ABC-01", title="Flash Cards", quantity=2
            ),
        ),
        fulfillment_orders=(
            FulfillmentOrder(
                id=f"FO{number}",
                order_id=oid,
                location_id=LOCATION,
                status="OPEN",
                lines=(
                    FulfillmentOrderLine(
                        id=f"FOL{number}",
                        line_item_id=f"LI{number}",
                        total_quantity=2,
                        remaining_quantity=2,
                    ),
                ),
            ),
        ),
    )


def enqueue(store: SqliteStore, o: Order, path: list[StationState]) -> None:
    store.orders.save(o)
    before = None
    for state in path:
        store.station.apply(
            Transition(
                order_id=o.id,
                from_state=before,
                to_state=state,
                actor="bench",
                at=SystemClock().now(),
            )
        )
        before = state


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def pack_to_label(
    info: Any, control: httpx.Client, tmp: Path, n: int, latency: int, base: int
) -> str:
    control.put("/faults", json={"shippo": {"latency_ms": latency}}).raise_for_status()
    carrier = TimedCarrier(ShippoCarrier(info.shippo_token, endpoint=info.shippo_url))
    store, shipping, labels = station(tmp / f"pack{latency}.db", carrier)
    orders = [order(base + i) for i in range(n)]
    for o in orders:
        enqueue(store, o, [S.NEW])
        shipping.prepare(o)  # READY with rates, as the background job leaves it
        enqueue_packed(store, o)
    totals = []
    for o in orders:
        started = time.perf_counter()
        labels.buy(o.id, actor="bench")
        totals.append(time.perf_counter() - started)
    local = [t - b - d for t, b, d in zip(totals, carrier.buy_s, carrier.download_s, strict=True)]
    control.delete("/faults")
    store.close()
    return (
        f"| {latency} ms | {n} | {pct(totals, 0.5):.0f} / {pct(totals, 0.95):.0f} ms | "
        f"{pct(carrier.buy_s, 0.5):.0f} / {pct(carrier.buy_s, 0.95):.0f} ms | "
        f"{pct(carrier.download_s, 0.5):.0f} / {pct(carrier.download_s, 0.95):.0f} ms | "
        f"{pct(local, 0.5):.1f} / {pct(local, 0.95):.1f} ms |"
    )


def enqueue_packed(store: SqliteStore, o: Order) -> None:
    for before, after in ((S.READY, S.PACKING), (S.PACKING, S.PACKED)):
        store.station.apply(
            Transition(
                order_id=o.id,
                from_state=before,
                to_state=after,
                actor="bench",
                at=SystemClock().now(),
            )
        )


def batch(
    info: Any, control: httpx.Client, tmp: Path, n: int, workers: int, base: int, *, limited: bool
) -> str:
    control.put("/faults", json={"shippo": {"latency_ms": 300}}).raise_for_status()
    if limited:
        control.put("/shippo/rate_limits", json={"post": 50, "list": 10, "get": 400})
    carrier = ShippoCarrier(info.shippo_token, endpoint=info.shippo_url)
    store, _shipping, labels = station(tmp / f"batch{n}{limited}.db", carrier)
    orders = [order(base + i) for i in range(n)]
    for o in orders:
        enqueue(store, o, [S.NEW, S.READY])
    result = buy_batch(labels, orders, actor="bench", workers=workers)
    control.delete("/faults")
    control.delete("/shippo/rate_limits")
    sold = [t for t in control.get("/shippo/transactions").json() if ours(t, base, n)]
    live = sum(1 for t in sold if t["status"] == "SUCCESS")
    store.close()
    limits = "test-mode limits (POST 50/min)" if limited else "no rate limits"
    per_min = len(result.bought) / result.seconds * 60
    return (
        f"| {n} | {limits} | {workers} | {len(result.bought)} bought, "
        f"{len(result.failed)} not | {live} live | {result.seconds:.1f} s | "
        f"{per_min:.0f}/min |"
    )


def ours(transaction: dict[str, Any], base: int, n: int) -> bool:
    parts = str(transaction.get("metadata", "")).split(":")
    return len(parts) > 1 and parts[1].isdigit() and base <= int(parts[1]) < base + n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--limited", type=int, default=60)
    args = parser.parse_args()
    print(
        f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {sys.platform}"
    )
    with tempfile.TemporaryDirectory() as d, SandboxServer(seed=7, orders=4) as server:
        info = server.info
        assert info is not None
        tmp = Path(d)
        with httpx.Client(base_url=info.control_url, timeout=30) as control:
            print(
                "| latency | orders | pack -> label stored p50/p95 | purchase call p50/p95 "
                "| label download p50/p95 | local overhead p50/p95 |"
            )
            print("|---|---|---|---|---|---|")
            for n, latency in enumerate((0, 300)):
                print(
                    pack_to_label(info, control, tmp, args.orders, latency, (71 + n) * 10**6),
                    flush=True,
                )
            print()
            print("| labels | limits | workers | result | Shippo says | time | rate |")
            print("|---|---|---|---|---|---|---|")
            print(
                batch(info, control, tmp, args.batch, args.workers, 8 * 10**7, limited=False),
                flush=True,
            )
            if args.limited:
                print(
                    batch(info, control, tmp, args.limited, args.workers, 9 * 10**7, limited=True),
                    flush=True,
                )


if __name__ == "__main__":
    main()
