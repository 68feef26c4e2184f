"""How long the sandbox Shopify takes to run a bulk query over the whole order history, and
how much memory it holds meanwhile.

Starts `SandboxServer(orders=N)` in this process, runs `bulkOperationRunQuery` for every
order with its line items and fulfillment orders (two nested connections), polls
`currentBulkOperation` until it completes, then downloads the JSONL file streaming. Prints
the run's wall time, objects written, file size and this process's peak RSS.

    PYTHONPATH=src python bench/sandbox_bulk.py [--orders 100000]
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

import httpx

from packdesk.sandbox.server import SandboxServer

QUERY = """
{
  orders(query: "status:any") {
    edges {
      node {
        id name createdAt updatedAt displayFulfillmentStatus
        lineItems { edges { node { id sku quantity currentQuantity } } }
        fulfillmentOrders { edges { node { id status assignedLocation { location { id } } } } }
      }
    }
  }
}
"""
RUN = """
mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { message } }
}
"""
CURRENT = "{ currentBulkOperation { status objectCount rootObjectCount fileSize url } }"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    orders = parser.parse_args().orders
    started = time.monotonic()
    with SandboxServer(orders=orders) as server:
        info = server.info
        assert info is not None
        ready = time.monotonic() - started
        headers = {"X-Shopify-Access-Token": info.shopify_token}
        with httpx.Client(headers=headers, timeout=60) as client:
            t0 = time.monotonic()
            answer = client.post(
                info.shopify_url, json={"query": RUN, "variables": {"query": QUERY}}
            )
            assert not answer.json()["data"]["bulkOperationRunQuery"]["userErrors"]
            while True:
                op = client.post(info.shopify_url, json={"query": CURRENT}).json()["data"][
                    "currentBulkOperation"
                ]
                if op["status"] != "RUNNING" and op["status"] != "CREATED":
                    break
                time.sleep(0.2)
            ran = time.monotonic() - t0
            assert op["status"] == "COMPLETED", op
            t1 = time.monotonic()
            size = 0
            with client.stream("GET", op["url"]) as download:
                for chunk in download.iter_bytes():
                    size += len(chunk)
            fetched = time.monotonic() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{platform.python_implementation()} {platform.python_version()}, {orders:,} orders")
    print(f"sandbox ready in {ready:.1f} s")
    print(
        f"bulk run {ran:.1f} s: {int(op['objectCount']):,} objects "
        f"({int(op['rootObjectCount']):,} orders), {size / 1e6:.1f} MB; download {fetched:.1f} s"
    )
    print(f"peak RSS of this process {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
