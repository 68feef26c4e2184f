"""The demo shop: deterministic, realistic, with the problem orders the demo needs."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from packdesk.sandbox.shopify.catalog import HEAVY_SKU, OUT_OF_STOCK_SKU
from packdesk.sandbox.shopify.order_heads import OrderHead
from packdesk.sandbox.shopify.store import ShopState

from .conftest import START, Shop, make_shop


def _head(state: ShopState, name: object) -> OrderHead:
    head = state.head_by_name(str(name))
    assert head is not None, name
    return head


def _gs1_valid(code: str) -> bool:
    """Check digit by the GS1 rule, written here independently of the sandbox."""
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    weights = [3 if (len(body) - i) % 2 == 1 else 1 for i in range(len(body))]
    return (10 - sum(d * w for d, w in zip(body, weights, strict=True)) % 10) % 10 == check


def test_gs1_checker_agrees_with_known_codes() -> None:
    assert _gs1_valid("036000291452")  # UPC-A from GS1's documentation
    assert _gs1_valid("4006381333931")  # EAN-13 (Stabilo)
    assert not _gs1_valid("4006381333932")


def test_catalog_barcodes_skus_weights(shop_ro: Shop) -> None:
    cat = shop_ro.sandbox.state.catalog
    assert 40 <= len(cat.products) <= 45
    barcodes = [v["barcode"] for v in cat.variants]
    assert len(set(barcodes)) == len(barcodes)
    assert all(_gs1_valid(b) and len(b) in (12, 13) for b in barcodes)
    assert {len(b) for b in barcodes} == {12, 13}
    assert all(re.fullmatch(r"BM-[A-Z]{3}-\d\d", v["sku"]) for v in cat.variants)
    assert all(v["inventoryItem"]["measurement"]["weight"]["unit"] == "GRAMS" for v in cat.variants)
    assert cat.by_sku[HEAVY_SKU]["_grams"] >= 4000


def test_stock_low_and_out_at_ca(shop_ro: Shop) -> None:
    cat = shop_ro.sandbox.state.catalog
    ca, pa = cat.locations["CA"]["id"], cat.locations["PA"]["id"]
    oos = cat.by_sku[OUT_OF_STOCK_SKU]["inventoryItem"]["_levels"]
    assert oos[ca]["_q"]["available"] == 0
    assert oos[pa]["_q"]["available"] > 0
    low = [v for v in cat.variants if 0 < v["inventoryItem"]["_levels"][ca]["_q"]["available"] <= 3]
    assert len(low) >= 3


def test_every_state_and_problem_orders(shop_ro: Shop) -> None:
    state = shop_ro.sandbox.state
    kinds = {h.kind for h in state.heads}
    assert kinds == {"open", "partial", "fulfilled", "closed", "cancelled"}
    assert sum(h.loc == "PA" for h in state.heads) > 20
    assert sum(h.loc == "CA" for h in state.heads) > 150
    demo = shop_ro.sandbox.demo()
    order = {
        k: state.order(_head(state, demo[k]))
        for k in ("simple", "bad_address", "express", "gift", "multi_box", "canada", "out_of_stock")
    }
    simple = order["simple"]["lineItems"]
    assert len(simple) == 2
    assert sum(li["quantity"] for li in simple) == 3
    assert order["bad_address"]["shippingAddress"]["zip"] == "9021"
    assert order["express"]["shippingLines"][0]["title"] == "Express"
    assert order["gift"]["note"].startswith("Gift: ")
    assert int(order["multi_box"]["totalWeight"]) > 10_000
    assert order["canada"]["shippingAddress"]["countryCodeV2"] == "CA"
    assert re.fullmatch(r"[A-Z]\d[A-Z] \d[A-Z]\d", order["canada"]["shippingAddress"]["zip"])
    assert OUT_OF_STOCK_SKU in [li["sku"] for li in order["out_of_stock"]["lineItems"]]
    for o in order.values():
        loc = o["fulfillmentOrders"][0]["assignedLocation"]["location"]["_key"]
        assert loc == "CA"
        assert o["displayFulfillmentStatus"] == "UNFULFILLED"


def test_same_seed_same_shop_other_seed_other_shop() -> None:
    a, b, c = make_shop(orders=50), make_shop(orders=50), make_shop(orders=50, seed=8)
    sa, sb, sc = (s.sandbox.state for s in (a, b, c))
    assert [v["barcode"] for v in sa.catalog.variants] == [
        v["barcode"] for v in sb.catalog.variants
    ]
    assert (
        sa.order(sa.heads[10])["lineItems"][0]["sku"]
        == sb.order(sb.heads[10])["lineItems"][0]["sku"]
    )
    assert [h.created for h in sa.heads] == [h.created for h in sb.heads]
    assert [v["barcode"] for v in sa.catalog.variants] != [
        v["barcode"] for v in sc.catalog.variants
    ]


def test_hundred_thousand_orders_are_generated_lazily() -> None:
    state = ShopState(shop="big", seed=7, orders=100_000, now=lambda: START)
    assert len(state.heads) == 100_000
    assert all(h.full is None for h in state.heads[:100])
    last = state.order(state.heads[-1])
    assert last["name"] == "#101000"
    first_time = datetime.fromtimestamp(state.heads[0].created, UTC)
    assert (START - first_time).days == 89
