"""Outbox throughput: effects delivered per second against the sandbox with 100 ms latency.

Usage: PYTHONPATH=src python bench/outbox.py [--orders 40] [--latency-ms 100] [--parallel 1,4,8]

Each packed order gives two effects: a fulfillment (two Shopify calls: the idempotency
read, then fulfillmentCreate) and a shipping email (one SendGrid call). With 100 ms on
every sandbox endpoint the worker is latency-bound, so the figure mostly shows what
`[outbox].parallel` buys. The sandbox runs in this process (uvicorn thread).
"""

from __future__ import annotations

import argparse
import platform
import random
import tempfile
import time
from pathlib import Path

import httpx

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.fulfillments import ShopifyFulfillments
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import SystemClock
from packdesk.domain.events import Event
from packdesk.domain.models import (
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LabelPurchase,
    LineItem,
    Order,
    OutboxState,
    PurchaseState,
)
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.services.comms import Comms, CommsPolicy
from packdesk.services.effects import fulfillment_effects
from packdesk.services.outbox import OutboxPolicy, OutboxService
from packdesk.services.station import StationService
from packdesk.services.upstream import FulfillmentHandler


class Bus:
    def publish(self, event: Event) -> None:
        pass


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def make_order(control: httpx.Client, n: int) -> Order:
    rest = control.post("/shopify/orders", json={"email": f"bench{n}@example.com"}).json()
    return Order(
        id=gid("Order", rest["id"]),
        name=rest["name"],
        created_at=rest["created_at"],
        updated_at=rest["updated_at"],
        email=f"bench{n}@example.com",
        customer=Customer(email=f"bench{n}@example.com", name="Bench"),
        line_items=tuple(
            LineItem(id=gid("LineItem", li["id"]), sku=li["sku"] or "", title=li["title"],
                     quantity=li["current_quantity"])
            for li in rest["line_items"]
        ),
        fulfillment_orders=tuple(
            FulfillmentOrder(
                id=gid("FulfillmentOrder", fo["id"]), order_id=gid("Order", rest["id"]),
                location_id=gid("Location", fo["assigned_location_id"]), status=fo["status"],
                lines=tuple(
                    FulfillmentOrderLine(id=gid("FulfillmentOrderLineItem", x["id"]),
                                         line_item_id=gid("LineItem", x["line_item_id"]),
                                         total_quantity=x["total_quantity"],
                                         remaining_quantity=x["remaining_quantity"])
                    for x in fo["line_items"]
                ),
            )
            for fo in rest["fulfillment_orders"]
        ),
    )  # fmt: skip


def pack(store: SqliteStore, order: Order, clock: SystemClock) -> None:
    store.orders.save(order)
    station = StationService(store, Bus(), clock)
    for state in (StationState.NEW, StationState.PACKING, StationState.PACKED):
        station.move(order.id, state, actor="bench")
    now = clock.now()
    purchase = LabelPurchase(
        key=LabelPurchase.make_key(order.id, 1, 1), order_id=order.id, package_no=1, attempt=1,
        state=PurchaseState.BOUGHT, tracking_number=f"9400{order.number}",
        tracking_url=f"https://tools.usps.com/go/TrackConfirmAction?tLabels=9400{order.number}",
        carrier="USPS", created_at=now, updated_at=now,
    )  # fmt: skip
    station.move(
        order.id,
        StationState.LABELED,
        actor="bench",
        outbox=fulfillment_effects(order, purchase, order.fulfillment_orders[0].location_id),
    )


def run(server: SandboxServer, orders: int, parallel: int, latency_ms: int) -> tuple[int, float]:
    info = server.info
    assert info is not None
    control = httpx.Client(base_url=info.control_url, timeout=30)
    control.delete("/faults")
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore.open(Path(tmp) / "bench.db")
        for n in range(orders):
            pack(store, make_order(control, n), clock)
        control.put("/faults", json={"*": {"latency_ms": latency_ms}})
        comms = Comms(
            store, TemplateRenderer(),
            SendGridSender(info.sendgrid_api_key, endpoint=info.sendgrid_url),
            clock, CommsPolicy(from_address="orders@example.com", shop_name="Bench Shop"),
        )  # fmt: skip
        shop = ShopifyFulfillments(
            ShopifyClient(info.shopify_url, info.shopify_token, timeout_s=10, max_attempts=1)
        )
        service = OutboxService(
            store,
            {"email": comms, "fulfillment": FulfillmentHandler(shop)},
            clock,
            policy=OutboxPolicy(batch=50, parallel=parallel, backoff_base_s=0.1),
            rng=random.Random(1),
        )
        started = time.perf_counter()
        service.run_until_idle()
        elapsed = time.perf_counter() - started
        delivered = store.outbox.counts()[OutboxState.DELIVERED]
        store.close()
    control.delete("/faults")
    control.close()
    return delivered, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--parallel", default="1,4,8")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {args.orders} orders, "
          f"{args.latency_ms} ms sandbox latency")  # fmt: skip
    with SandboxServer(orders=5) as server:
        for parallel in (int(p) for p in args.parallel.split(",")):
            delivered, elapsed = run(server, args.orders, parallel, args.latency_ms)
            print(f"parallel={parallel}: {delivered} effects in {elapsed:.2f} s = "
                  f"{delivered / elapsed:.1f} effects/s")  # fmt: skip


if __name__ == "__main__":
    main()
