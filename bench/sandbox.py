"""How fast the sandbox answers: GraphQL 50-order pages, Shippo shipments and labels.

Usage: PYTHONPATH=src python bench/sandbox.py [--seconds 5] [--orders 2000]

The sandbox must not be the bottleneck of sync benchmarks (target >= 300 pages/s with
throttling off). One client, one keep-alive connection, sequential requests: the figure is
the server's latency-bound rate on this machine. Shopify figures appear only when
packdesk.sandbox.shopify is installed.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import httpx

from packdesk.sandbox.server import SandboxServer

ORDERS_PAGE = """
query OrdersPage($after: String) {
  orders(first: 50, after: $after, sortKey: UPDATED_AT) {
    edges {
      cursor
      node {
        id
        name
        updatedAt
        displayFulfillmentStatus
        lineItems(first: 10) { edges { node { id sku quantity } } }
        shippingAddress { address1 city zip countryCodeV2 }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ADDRESS_FROM = {
    "name": "CA Warehouse",
    "street1": "2100 Livingston St",
    "city": "Oakland",
    "state": "CA",
    "zip": "94606",
    "country": "US",
}
ADDRESS_TO = {
    "name": "Ana Ruiz",
    "street1": "12 Elm St",
    "city": "Austin",
    "state": "TX",
    "zip": "78701",
    "country": "US",
}
PARCEL = {
    "length": "20",
    "width": "15",
    "height": "10",
    "distance_unit": "cm",
    "weight": "800",
    "mass_unit": "g",
}


def rate_of(name: str, seconds: float, call: Callable[[], None]) -> float:
    call()  # warm up
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        count += 1
    per_second = count / (time.perf_counter() - started)
    print(f"{name:<42} {per_second:8.1f}/s  ({count} in {seconds:.0f} s)")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--orders", type=int, default=2000)
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    server = SandboxServer(orders=args.orders, bucket_size=1e12, restore_rate=1e12)
    info = server.start()
    try:
        with httpx.Client(timeout=30) as client:
            if server.shopify is not None:
                cursor: list[str | None] = [None]

                def page() -> None:
                    answer = client.post(
                        info.shopify_url,
                        json={"query": ORDERS_PAGE, "variables": {"after": cursor[0]}},
                        headers={"X-Shopify-Access-Token": info.shopify_token},
                    )
                    answer.raise_for_status()
                    body = answer.json()
                    if "errors" in body:
                        raise SystemExit(f"GraphQL errors: {body['errors']}")
                    orders = body["data"]["orders"]
                    more = orders["pageInfo"]["hasNextPage"]
                    cursor[0] = orders["pageInfo"]["endCursor"] if more else None

                rate_of("shopify: orders page of 50 (GraphQL)", args.seconds, page)
            else:
                print("shopify: packdesk.sandbox.shopify is not installed; no GraphQL figure")
            auth = {"Authorization": f"ShippoToken {info.shippo_token}"}

            def shipment() -> None:
                client.post(
                    f"{info.shippo_url}/shipments",
                    json={
                        "address_from": ADDRESS_FROM,
                        "address_to": ADDRESS_TO,
                        "parcels": [PARCEL],
                    },
                    headers=auth,
                ).raise_for_status()

            rate_of("shippo: shipment with 9 rates", args.seconds, shipment)
            rates = client.post(
                f"{info.shippo_url}/shipments",
                json={"address_from": ADDRESS_FROM, "address_to": ADDRESS_TO, "parcels": [PARCEL]},
                headers=auth,
            ).json()["rates"]
            for label in ("ZPLII", "PDF_4x6", "PNG"):

                def buy(label: str = label) -> None:
                    client.post(
                        f"{info.shippo_url}/transactions",
                        json={
                            "rate": rates[0]["object_id"],
                            "label_file_type": label,
                            "async": False,
                        },
                        headers=auth,
                    ).raise_for_status()

                rate_of(f"shippo: label purchase {label}", args.seconds, buy)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
