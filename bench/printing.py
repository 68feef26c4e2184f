"""Printing benchmark: packing slip render time (PDF Letter, PDF 4x6, ESC/POS) and
job-to-socket latency (a queued ZPL label, from `run_once` to its last byte at a loopback
port-9100 listener), p50/p95 over N runs.

    PYTHONPATH=src python bench/printing.py [--runs 200]

Target: slip render p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import platform
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from packdesk.adapters.printers import EscposSlipRenderer, PdfSlipRenderer, ZplPrinter
from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap import default_logo_path
from packdesk.domain.clock import SystemClock
from packdesk.domain.events import Event
from packdesk.domain.models import Address, LineItem, NewPrintJob, Order, PrintRole
from packdesk.domain.slip import PackingSlip
from packdesk.services.printing import PrintService
from packdesk.services.station import StationService

LABEL = (
    b"^XA\n^PW812\n^LL1218\n^FO50,50^A0N,40,40^FDUSPS Ground Advantage^FS\n"
    b"^FO60,300^BY2^BCN,200,Y,N,N^FD9400111899223100001234^FS\n^XZ\n"
) * 4  # about the size of a real carrier label without graphics


def order(items: int) -> Order:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    return Order(
        id="gid://shopify/Order/1001",
        name="#1001",
        created_at=at,
        updated_at=at,
        shipping_address=Address(
            name="Maya Chen",
            address1="1420 Harrison St",
            city="Oakland",
            province_code="CA",
            zip="94612",
        ),
        line_items=tuple(
            LineItem(
                id=f"li-{n}",
                variant_id=f"v-{n}",
                sku=f"BM-SKU-{n:03d}",
                title=f"Counting bears activity set number {n}",
                quantity=n % 3 + 1,
                price=Decimal("9.99"),
            )
            for n in range(items)
        ),
        note="Happy birthday, Leo! Love, Grandma",
    )


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm up (fonts, profiles)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


class Sink:
    """A loopback printer that notes when each job's last byte arrived."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.done: list[float] = []
        self.arrived = threading.Semaphore(0)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                while conn.recv(65536):
                    pass
            self.done.append(time.perf_counter())
            self.arrived.release()


class Quiet:
    def publish(self, event: Event) -> None:
        pass


def job_to_socket(runs: int) -> list[float]:
    sink = Sink()
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore.open(Path(folder) / "bench.db")
        store.orders.save(order(3))
        clock = SystemClock()
        printing = PrintService(
            store,
            {"zebra": ZplPrinter("zebra", f"tcp://127.0.0.1:{sink.port}")},
            {PrintRole.LABEL: "zebra"},
            slips=None,
            station=StationService(store, Quiet(), clock),
            bus=Quiet(),
            clock=clock,
            rng=random.Random(1),
        )
        samples = []
        for n in range(runs + 1):
            store.print_jobs.add(
                NewPrintJob(
                    printer="zebra",
                    role=PrintRole.LABEL,
                    order_id="gid://shopify/Order/1001",
                    document="1001-label.zpl",
                    content_type="application/zpl",
                    data=LABEL,
                ),
                clock.now(),
            )
            start = time.perf_counter()
            printing.run_once()
            sink.arrived.acquire(timeout=5)
            if n:  # the first run warms up
                samples.append((sink.done[-1] - start) * 1000)
        store.close()
    sink.server.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    logo = default_logo_path()
    slip = PackingSlip.for_order(order(6), {})
    big = PackingSlip.for_order(order(60), {})
    cases: list[tuple[str, Callable[[], object]]] = [
        (
            "slip PDF letter, 6 items",
            lambda: PdfSlipRenderer("Bright Minds Learning", logo).render(slip),
        ),
        (
            "slip PDF 4x6, 6 items",
            lambda: PdfSlipRenderer("Bright Minds Learning", logo, page="4x6").render(slip),
        ),
        (
            "slip PDF letter, 60 items",
            lambda: PdfSlipRenderer("Bright Minds Learning", logo).render(big),
        ),
        (
            "slip ESC/POS, 6 items",
            lambda: EscposSlipRenderer("Bright Minds Learning", logo).render(slip),
        ),
    ]
    print(
        f"{platform.node()} · {platform.python_implementation()} {platform.python_version()} · runs={args.runs}"
    )
    print(f"{'case':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, fn in cases:
        p50, p95 = percentiles(timed(fn, args.runs))
        print(f"{name:<34} {p50:>8.2f} {p95:>8.2f}")
    p50, p95 = percentiles(job_to_socket(args.runs))
    print(f"{'queued ZPL job -> loopback socket':<34} {p50:>8.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
