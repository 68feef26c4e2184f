"""How many 50-order GraphQL pages a second the sandbox Shopify serves (throttling off).

Two figures: in-process (the endpoint's `run`, no HTTP) and over real HTTP (uvicorn in a
child process; the client is one keep-alive `http.client` connection, the lightest there is,
so the figure is the server's and not the client library's). Each pages through the whole order list once
from cold (orders built on demand), sorted by updatedAt as a sync does, then once more warm.

    PYTHONPATH=src python bench/sandbox_graphql.py [--orders 10000] [--pages 200]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import platform
import time
from datetime import UTC, datetime
from typing import Any

from packdesk.sandbox.shopify import ShopifySandbox

TOKEN = "sandbox-shopify-token"

# A sync-style page: everything the queue needs for 50 orders; requested cost 852 (< 1000).
PAGE = """
query OrdersPage($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name createdAt updatedAt processedAt cancelledAt closedAt
        displayFinancialStatus displayFulfillmentStatus email note tags
        customer { id displayName email }
        shippingAddress { name company address1 address2 city provinceCode zip countryCodeV2 phone }
        totalPriceSet { shopMoney { amount currencyCode } }
        lineItems(first: 5) { nodes { id sku title quantity currentQuantity variant { id } } }
      }
    }
  }
}
"""


def _sandbox(orders: int) -> ShopifySandbox:
    sandbox = ShopifySandbox(
        shop="bench",
        access_token=TOKEN,
        webhook_secret="s",
        orders=orders,
        now=lambda: datetime.now(UTC),
    )
    sandbox.bucket.configure(enabled=False)
    return sandbox


def _pages(fetch: Any, pages: int) -> tuple[float, float]:
    """(pages per wall-clock second, pages per CPU second of this process)."""
    after = None
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(pages):
        answer = fetch({"query": PAGE, "variables": {"first": 50, "after": after}})
        info = answer["data"]["orders"]["pageInfo"]
        assert len(answer["data"]["orders"]["edges"]) == 50 or not info["hasNextPage"]
        after = info["endCursor"] if info["hasNextPage"] else None
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return pages / wall, pages / max(cpu, 1e-9)


def _serve(orders: int, ports: Any) -> None:
    import asyncio

    import uvicorn
    from starlette.applications import Starlette

    sandbox = _sandbox(orders)
    config = uvicorn.Config(
        Starlette(routes=sandbox.routes()),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)

    async def main() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        ports.put(server.servers[0].sockets[0].getsockname()[1])
        await task

    asyncio.run(main())


def _in_process(orders: int, pages: int) -> None:
    started = time.perf_counter()
    sandbox = _sandbox(orders)
    print(f"generate {orders} orders: {time.perf_counter() - started:.2f} s")
    endpoint = sandbox.graphql

    def direct(body: dict[str, Any]) -> Any:
        return endpoint.run(body)[1]

    for label in ("cold", "warm"):
        wall, cpu = _pages(direct, pages)
        print(f"in-process, {label}: {wall:.0f} pages/s ({cpu:.0f} pages per CPU second)")
    sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    pages = min(args.pages, args.orders // 50)
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{multiprocessing.cpu_count()} cores, Python {platform.python_version()}"
    )

    _in_process(args.orders, pages)

    ports: Any = multiprocessing.Queue()
    child = multiprocessing.Process(target=_serve, args=(args.orders, ports), daemon=True)
    child.start()
    try:
        port = ports.get(timeout=60)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"X-Shopify-Access-Token": TOKEN, "Content-Type": "application/json"}

        def fetch(body: dict[str, Any]) -> Any:
            conn.request("POST", "/admin/api/2024-12/graphql.json", json.dumps(body), headers)
            return json.loads(conn.getresponse().read())

        for label in ("cold", "warm"):
            print(f"HTTP (uvicorn), {label}: {_pages(fetch, pages)[0]:.0f} pages/s")
        conn.close()
    finally:
        child.terminate()
        child.join()


if __name__ == "__main__":
    main()
