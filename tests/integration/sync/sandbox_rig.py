"""Helpers of the over-HTTP sync tests: a station configured for a running sandbox, and a
field-by-field comparison of the local copy with the sandbox's own view (its control API)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from packdesk.bootstrap import Container
from packdesk.domain.models import Order
from packdesk.settings import load_settings


def local_station(server: Any, tmp_path: Path) -> Container:
    """A packdesk station (config, data dir, sync services) pointing at `server`."""
    config = tmp_path / "config.toml"
    server.write_config(config, tmp_path / "data")
    return Container(load_settings(config))


def control(server: Any) -> str:
    return str(server.info.control_url) + "/shopify"


def sandbox_order(server: Any, number: int | str) -> dict[str, Any]:
    answer = httpx.get(f"{control(server)}/orders/{str(number).lstrip('#')}", timeout=10)
    answer.raise_for_status()
    return dict(answer.json())


def sandbox_orders(server: Any) -> list[dict[str, Any]]:
    """Every order of the sandbox, from its control API's order list."""
    found: list[dict[str, Any]] = []
    page: int | None = 1
    while page is not None:
        answer = httpx.get(f"{control(server)}/orders", params={"page": page}, timeout=30)
        answer.raise_for_status()
        found.extend(answer.json()["orders"])
        page = answer.json()["next_page"]
    return found


def _num(gid: str) -> int:
    return int(gid.rsplit("/", 1)[-1])


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def assert_same_order(local: Order, rest: dict[str, Any]) -> None:
    """The local copy says what the sandbox says, field by field."""
    where = f"order {rest['name']}"
    assert _num(local.id) == rest["id"], where
    assert local.name == rest["name"], where
    assert local.created_at == _time(rest["created_at"]), where
    assert local.updated_at == _time(rest["updated_at"]), where
    assert local.cancelled_at == _time(rest["cancelled_at"]), where
    assert local.cancel_reason.lower() == (rest["cancel_reason"] or ""), where
    assert local.closed_at == _time(rest["closed_at"]), where
    assert local.email == (rest["email"] or ""), where
    assert local.note == (rest["note"] or ""), where
    tags = [t.strip() for t in (rest["tags"] or "").split(",") if t.strip()]
    assert list(local.tags) == tags, where
    assert local.total_price == Decimal(rest["total_price"]), where
    assert local.sales is not None, where
    assert (
        local.sales.subtotal,
        local.sales.current_subtotal,
        local.sales.discounts,
        local.sales.tax,
    ) == (
        Decimal(rest["subtotal_price"]),
        Decimal(rest["current_subtotal_price"]),
        Decimal(rest["total_discounts"]),
        Decimal(rest["total_tax"]),
    ), where
    assert local.currency == rest["currency"], where
    address = rest["shipping_address"]
    if address is None:
        assert local.shipping_address is None, where
    else:
        a = local.shipping_address
        assert a is not None, where
        assert (a.name, a.address1, a.address2, a.city, a.province_code, a.zip, a.country_code) == (
            address["name"] or "",
            address["address1"] or "",
            address["address2"] or "",
            address["city"] or "",
            address["province_code"] or "",
            address["zip"] or "",
            address["country_code"] or "",
        ), where
    assert [
        (_num(li.id), li.sku, li.quantity, li.price, li.requires_shipping)
        for li in local.line_items
    ] == [
        (
            li["id"],
            li["sku"] or "",
            li["current_quantity"],
            Decimal(li["price"]),
            li["requires_shipping"],
        )
        for li in rest["line_items"]
    ], where
    assert [(s.title, s.code, s.price) for s in local.shipping_lines] == [
        (s["title"], s["code"] or "", Decimal(s["price"])) for s in rest["shipping_lines"]
    ], where
    assert sorted(
        (
            _num(fo.id),
            fo.status,
            _num(fo.location_id),
            sorted(
                (_num(ln.line_item_id), ln.total_quantity, ln.remaining_quantity) for ln in fo.lines
            ),
        )
        for fo in local.fulfillment_orders
    ) == sorted(
        (
            fo["id"],
            fo["status"],
            fo["assigned_location_id"],
            sorted(
                (ln["line_item_id"], ln["total_quantity"], ln["remaining_quantity"])
                for ln in fo["line_items"]
            ),
        )
        for fo in rest["fulfillment_orders"]
    ), where
    if rest["fulfillment_status"] == "partial":  # read alone, with the parcels that left
        assert sorted(
            (
                _num(f.id),
                f.status.lower(),
                f.tracking_numbers,
                sorted((_num(ln.line_item_id), ln.quantity) for ln in f.lines),
            )
            for f in local.fulfillments or ()
        ) == sorted(
            (
                f["id"],
                f["status"],
                tuple(f["tracking_numbers"]),
                sorted((ln["id"], ln["quantity"]) for ln in f["line_items"]),
            )
            for f in rest["fulfillments"]
        ), where


def assert_store_equals_sandbox(local: Container, server: Any) -> list[dict[str, Any]]:
    """Same number of orders, and every one equal field by field; returns the sandbox's."""
    store = local.store
    upstream = sandbox_orders(server)
    assert store.orders.count() == len(upstream)
    for rest in upstream:
        mine = store.orders.by_name(rest["name"])
        assert mine is not None, f"order {rest['name']} is missing locally"
        assert_same_order(mine, rest)
    return upstream


CATALOG_QUERY = """
query TestCatalog($after: String) {
  productVariants(first: 25, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id sku barcode
      inventoryItem {
        id
        measurement { weight { unit value } }
        inventoryLevels(first: 5) {
          nodes { location { id } quantities(names: ["available", "on_hand"]) { name quantity } }
        }
      }
      dims: metafield(namespace: "packdesk", key: "dimensions_cm") { value }
      bin: metafield(namespace: "packdesk", key: "bin") { value }
    }
  }
}
"""
"""The test's own read of the sandbox catalog (not packdesk's operation files)."""


def assert_catalog_equals_sandbox(local: Container, server: Any) -> None:
    """Every variant's codes, weight, dimensions, bin and stock match the sandbox's."""
    info = server.info
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        answer = httpx.post(
            info.shopify_url,
            json={"query": CATALOG_QUERY, "variables": {"after": after}},
            headers={"X-Shopify-Access-Token": info.shopify_token},
            timeout=30,
        )
        answer.raise_for_status()
        page = answer.json()["data"]["productVariants"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    store = local.store
    assert store.catalog.count_variants() == len(nodes)
    for node in nodes:
        mine = store.catalog.variant(node["id"])
        assert mine is not None, node["sku"]
        weight = node["inventoryItem"]["measurement"]["weight"]
        assert weight["unit"] == "GRAMS"
        dims = [float(x) for x in node["dims"]["value"].split("x")]
        assert (mine.sku, mine.barcode, mine.weight_g, mine.bin) == (
            node["sku"],
            node["barcode"],
            float(weight["value"]),
            node["bin"]["value"],
        )
        assert [mine.length_cm, mine.width_cm, mine.height_cm] == dims
        levels = {
            (lv["location"]["id"]): {q["name"]: q["quantity"] for q in lv["quantities"]}
            for lv in node["inventoryItem"]["inventoryLevels"]["nodes"]
        }
        stored = {
            s.location_id: {"available": s.available, "on_hand": s.on_hand}
            for s in store.catalog.stock_levels(node["inventoryItem"]["id"])
        }
        assert stored == levels, node["sku"]
