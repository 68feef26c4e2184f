"""The webhook receiver alone in a process, for tests that measure its memory.

Run as `python receiver_process.py DB SECRET SHOP`: it prints its base URL, then answers
each line read on stdin with its peak resident set size in bytes, and stops at end of input.
"""

from __future__ import annotations

import resource
import sys
from datetime import UTC, datetime
from pathlib import Path

from packdesk.adapters.shopify.receiver import build_receiver
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.store import SqliteStore


def peak_rss() -> int:
    """Peak resident set size of this process in bytes (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def main(db: str, secret: str, shop: str) -> None:
    store = SqliteStore.open(Path(db))
    app = build_receiver(store.webhooks, secret, shop, lambda d: None, lambda: datetime.now(UTC))
    server = ReceiverServer(app, "127.0.0.1", 0)
    print(server.start(), flush=True)
    for _ in sys.stdin:
        print(peak_rss(), flush=True)
    server.stop()
    store.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
