"""Initial order sync from the sandbox Shopify: orders/s, throttled and raw.

Throttled: the sandbox's bucket is a Standard store's (2000 points, restore 100/s). The
ceiling is what the restore rate allows for the cost the orders really have:
`restore_rate / (actual cost per order)` orders/s (the first 2000 points of burst make a run
slightly faster than that; the figure printed as "ceiling incl. burst" accounts for it).
Raw: throttling off; how fast packdesk reads, maps and stores orders (and queues the open
ones) when only the sandbox and SQLite limit it.

    PYTHONPATH=src python bench/sync.py --orders 10000 --mode raw
    PYTHONPATH=src python bench/sync.py --orders 10000 --mode throttled
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from packdesk.bootstrap import Container
from packdesk.settings import load_settings


def start_sandbox(orders: int, tmp: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """`packdesk sandbox` in its own process (so that it does not share our GIL)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "packdesk",
            "sandbox",
            "--orders",
            str(orders),
            "--write-config",
            str(tmp / "config.toml"),
            "--data-dir",
            str(tmp / "data"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(orders: int, mode: str, bucket: float, restore: float, page_size: int) -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        sandbox, info = start_sandbox(orders, tmp)
        control = f"{info['control_url']}/shopify"
        try:
            throttle = {
                "enabled": mode == "throttled",
                "bucket_size": bucket,
                "restore_rate": restore,
            }
            httpx.put(f"{control}/throttle", json=throttle).raise_for_status()
            settings = load_settings(tmp / "config.toml")
            settings.sync.page_size = page_size
            station = Container(settings)
            station.sync.run("locations")
            stats = station.sync_client.stats
            cost0, requests0, waited0 = stats.cost_used, stats.requests, stats.waited_s
            before = httpx.get(f"{control}/stats").json()
            load_before = os.getloadavg()[0]
            started = time.monotonic()
            cpu = time.process_time()
            sandbox_cpu = cpu_seconds(sandbox.pid)
            result = station.sync.run("orders")
            seconds = time.monotonic() - started
            cpu = time.process_time() - cpu
            sandbox_cpu = cpu_seconds(sandbox.pid) - sandbox_cpu
            after = httpx.get(f"{control}/stats").json()
            assert result.ok, result.error
            stored = station.store.orders.count()
            cost = stats.cost_used - cost0
            rate = result.count / seconds
            per_order = cost / max(1, result.count)
            print(f"mode {mode}: {result.count:,} orders read, {stored:,} stored, {seconds:.1f}s")
            print(
                f"  {rate:,.1f} orders/s; {stats.requests - requests0} requests; pages of "
                f"{station.sync.orders.shop._caps.get('Orders', page_size)}"
            )
            print(
                f"  CPU: packdesk {cpu:.1f}s ({result.count / cpu:,.0f} orders per CPU-second), "
                f"sandbox {sandbox_cpu:.1f}s; "
                f"load average before/after {load_before:.1f}/{os.getloadavg()[0]:.1f}"
            )
            print(
                f"  cost used {cost:,.0f} points, {per_order:.1f} per order; "
                f"waited {stats.waited_s - waited0:.1f}s for the bucket"
            )
            print(
                f"  THROTTLED answers: sandbox {after['throttled'] - before['throttled']}, "
                f"seen by the client {stats.throttled} (retried), errors to the caller 0"
            )
            if mode == "throttled":
                ceiling = restore / per_order
                burst = result.count / max(1e-9, (cost - bucket) / restore)
                print(
                    f"  ceiling {ceiling:.2f} orders/s (restore {restore:.0f}/s ÷ "
                    f"{per_order:.1f} points/order); with the {bucket:.0f}-point burst "
                    f"{burst:.2f} orders/s"
                )
                print(
                    f"  achieved {100 * rate / ceiling:.0f}% of the ceiling, "
                    f"{100 * rate / burst:.0f}% of the ceiling incl. burst"
                )
            station.close()
        finally:
            sandbox.send_signal(signal.SIGTERM)
            sandbox.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--mode", choices=["raw", "throttled"], default="raw")
    parser.add_argument("--bucket", type=float, default=2000.0)
    parser.add_argument("--restore", type=float, default=100.0)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    run(args.orders, args.mode, args.bucket, args.restore, args.page_size)


if __name__ == "__main__":
    main()
