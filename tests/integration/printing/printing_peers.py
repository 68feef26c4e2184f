"""Helpers for the printing tests: a loopback printer, sample orders and labels."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import zplkit
import zplkit.rendering
import zxingcpp
from PIL import Image

from packdesk.adapters.store import SqliteStore
from packdesk.domain.events import Event
from packdesk.domain.models import Address, LineItem, Order

REPO = Path(__file__).resolve().parents[3]


class Listener:
    """A raw TCP printer on 127.0.0.1: keeps the bytes of each connection it receives."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.jobs: list[bytes] = []
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._arrived = threading.Condition()

    def start(self) -> Listener:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        self.port = server.getsockname()[1]
        self._server = server
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        assert self._server is not None
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
            with self._arrived:
                self.jobs.append(b"".join(chunks))
                self._arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[bytes]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.jobs) >= count, timeout)
        return list(self.jobs)

    def stop(self) -> None:
        """Stop accepting and wait for the serving thread: shutdown() wakes its accept(),
        which close() alone would leave blocked."""
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)  # a client that never hangs up cannot hold the suite
            self._thread = None


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


ITEMS = [
    (
        "gid://shopify/LineItem/1",
        "gid://shopify/ProductVariant/11",
        "BM-ABC-01",
        "Alphabet Flash Cards",
        2,
        "A-03",
    ),
    (
        "gid://shopify/LineItem/2",
        "gid://shopify/ProductVariant/12",
        "BM-GEO-07",
        "Magnetic Geoboard",
        1,
        "B-11",
    ),
    (
        "gid://shopify/LineItem/3",
        "gid://shopify/ProductVariant/13",
        "BM-STEM-42",
        "Junior Circuit Kit",
        3,
        "C-02",
    ),
]


def sample_order(name: str = "#1001", note: str = "Happy birthday, Leo! Love, Grandma") -> Order:
    number = name.lstrip("#")
    return Order(
        id=f"gid://shopify/Order/{number}",
        name=name,
        created_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        updated_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        email="maya@example.com",
        shipping_address=Address(
            name="Maya Chen",
            address1="1420 Harrison St",
            city="Oakland",
            province_code="CA",
            zip="94612",
        ),
        line_items=tuple(
            LineItem(
                id=f"{li_id}-{number}",
                variant_id=variant,
                sku=sku,
                title=title,
                quantity=qty,
                price=Decimal("12.50"),
            )
            for li_id, variant, sku, title, qty, _bin in ITEMS
        ),
        note=note,
        total_price=Decimal("75.00"),
    )


def add_order(store: SqliteStore, order: Order) -> Order:
    store.orders.save(order)
    store.database.execute_many(
        "INSERT INTO variants (id, product_id, title, sku, bin) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id,"
        " title = excluded.title, sku = excluded.sku, bin = excluded.bin",
        [(variant, f"p-{sku}", title, sku, bin_) for _li, variant, sku, title, _qty, bin_ in ITEMS],
    )
    return order


def add_label(
    store: SqliteStore,
    order_id: str,
    data: bytes,
    content_type: str,
    *,
    package_no: int = 1,
    attempt: int = 1,
    state: str = "BOUGHT",
) -> None:
    """A bought label as the shipping service stores it (label_purchases + labels)."""
    key = f"order:{order_id}:pkg:{package_no}:try:{attempt}"
    at = "2026-11-24T14:00:00.000000+00:00"
    store.database.execute(
        "INSERT INTO label_purchases (key, order_id, package_no, attempt, state,"
        " tracking_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [key, order_id, package_no, attempt, state, "9400111899223100001234", at, at],
    )
    store.database.execute(
        "INSERT INTO labels (purchase_key, format, content_type, data, created_at)"
        " VALUES (?, 'ZPLII', ?, ?, ?)",
        [key, content_type, data, at],
    )


TRACKING = "9400111899223100001234"
ZPL_LABEL = (
    "^XA\n^PW812\n^LL1218\n^FO50,50^A0N,40,40^FDUSPS Ground Advantage^FS\n"
    "^FO50,120^A0N,30,30^FDMaya Chen, 1420 Harrison St, Oakland CA 94612^FS\n"
    f"^FO60,300^BY2^BCN,200,Y,N,N^FD{TRACKING}^FS\n^XZ\n"
).encode()


def need(binary: str) -> str:
    found = shutil.which(binary)
    if found is None:
        pytest.skip(f"{binary} is not installed (apt-get install poppler-utils / cups); CI has it")
    return found


def zpl_barcodes(zpl: bytes) -> list[str]:
    doc = zplkit.render(
        zpl.decode(),
        zplkit.Options(dpi=203),
        limits=zplkit.rendering.Limits(graphic_bytes=10_000_000),
    )
    surface = doc.labels[0].rasterize()
    image = Image.frombytes("L", (surface.width, surface.height), surface.pixels)
    return [b.text for b in zxingcpp.read_barcodes(image)]
