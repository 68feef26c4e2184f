"""Customs declarations as Shippo and the carriers require them: the export exemption
(`eel_pfc`), lines without a SKU, and APO/FPO/DPO addresses; and what reaches Shippo."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.adapters.shippo import ShippoCarrier
from packdesk.bootstrap import Container
from packdesk.domain.customs import CustomsError, CustomsProduct, declaration_for, needs_customs
from packdesk.domain.models import Address, LineItem, Order, Variant
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings

from .helpers import add_order, make_order, seed_catalog, services

TORONTO = Address(
    name="Li Wei",
    address1="100 Queen St W",
    city="Toronto",
    province_code="ON",
    zip="M5H 2N2",
    country_code="CA",
)
LONDON = Address(
    name="Ada Byron", address1="10 Downing St", city="London", zip="SW1A 2AA", country_code="GB"
)
APO = Address(
    name="SGT Maya Chen",
    address1="Unit 2050 Box 4190",
    city="APO",
    province_code="AP",
    zip="96278",
    country_code="US",
)
CARDS = CustomsProduct(hs_code="4901.99.0093", value=Decimal("12.50"))
VARIANTS = {"V1": Variant(id="V1", product_id="P1", product_title="Flash Cards", weight_g=250)}


def order_to(address: Address, *lines: LineItem) -> Order:
    order = make_order(address=address)
    return order.model_copy(update={"line_items": lines or order.line_items})


def test_a_parcel_to_canada_claims_the_canada_exemption() -> None:
    customs = declaration_for(
        order_to(TORONTO), VARIANTS, {"BM-ABC-01": CARDS}, signer="Shipping Manager"
    )
    assert customs.eel_pfc == "NOEEI_30_36"


def test_elsewhere_lines_up_to_2500_dollars_claim_the_low_value_exemption() -> None:
    dear = CustomsProduct(hs_code="4901.99.0093", value=Decimal("1250"))
    customs = declaration_for(order_to(LONDON), VARIANTS, {"BM-ABC-01": dear}, signer="S")
    assert customs.eel_pfc == "NOEEI_30_37_a"
    assert customs.items[0].value_amount == Decimal("2500")  # two of them: at the limit


def test_a_line_above_2500_dollars_is_refused_with_what_to_do() -> None:
    dearer = CustomsProduct(hs_code="4901.99.0093", value=Decimal("1250.01"))
    with pytest.raises(CustomsError) as refused:
        declaration_for(order_to(LONDON), VARIANTS, {"BM-ABC-01": dearer}, signer="S")
    assert str(refused.value) == (
        "Order #1001 declares $2,500.02 under HS code 4901.99.0093, above the $2,500 a line "
        "that ships without an export filing: file the EEI in AESDirect and buy this label "
        "in Shippo's web app with its ITN, or hold the order."
    )


def test_lines_of_one_hs_code_count_together_against_the_limit() -> None:
    lines = (
        LineItem(id="L1", variant_id="V1", sku="BM-ABC-01", title="Flash Cards", quantity=1),
        LineItem(id="L2", variant_id="V1", sku="BM-ABC-02", title="More Cards", quantity=1),
    )
    products = {
        "BM-ABC-01": CustomsProduct(hs_code="4901.99.0093", value=Decimal("1500")),
        "BM-ABC-02": CustomsProduct(hs_code="4901.99.0093", value=Decimal("1500")),
    }
    with pytest.raises(CustomsError, match=r"\$3,000.00 under HS code 4901.99.0093"):
        declaration_for(order_to(LONDON, *lines), VARIANTS, products, signer="S")


def test_a_line_without_a_sku_is_declared_by_its_title_at_the_price_paid() -> None:
    custom = LineItem(
        id="L9", title="Engraved name plate", quantity=2, price=Decimal("18.00"), sku=""
    )
    products = {"Engraved name plate": CustomsProduct(hs_code="8310.00.0000", weight_g=90)}
    customs = declaration_for(order_to(LONDON, custom), {}, products, signer="S")
    [item] = customs.items
    assert (item.description, item.hs_code, item.sku) == (
        "Engraved name plate",
        "8310.00.0000",
        "",
    )
    assert (item.quantity, item.value_amount, item.net_weight_g) == (2, Decimal("36.00"), 180)


def test_a_line_without_a_sku_or_an_entry_names_the_key_to_add() -> None:
    custom = LineItem(id="L9", title="Engraved name plate", quantity=1, price=Decimal("18"))
    with pytest.raises(CustomsError) as refused:
        declaration_for(order_to(LONDON, custom), {}, {}, signer="S")
    assert str(refused.value) == (
        "Order #1001 ships to GB and its line 'Engraved name plate' has no SKU and no product "
        'in Shopify, so it is declared by its title: add [shipping.customs."Engraved name '
        'plate"] with hs_code, origin_country and weight_g to the config.'
    )


SHOPIFY_CARDS = Variant(
    id="V7",
    product_id="P7",
    product_title="Alphabet Flash Cards",
    weight_g=180,
    hs_code="4901990093",
    origin_country="US",
)


def test_a_line_without_a_sku_is_declared_from_its_product_in_shopify() -> None:
    line = LineItem(
        id="L7", variant_id="V7", title="Flash cards", quantity=3, price=Decimal("9.99"), sku=""
    )
    customs = declaration_for(order_to(LONDON, line), {"V7": SHOPIFY_CARDS}, {}, signer="S")
    [item] = customs.items
    assert (item.description, item.hs_code, item.origin_country, item.sku) == (
        "Alphabet Flash Cards",
        "4901990093",
        "US",
        "",
    )
    assert (item.quantity, item.value_amount, item.net_weight_g) == (3, Decimal("29.97"), 540)
    assert customs.eel_pfc == "NOEEI_30_37_a"


def test_the_config_entry_wins_over_shopify_and_shopify_fills_in_for_a_sku() -> None:
    line = LineItem(
        id="L7", variant_id="V7", sku="BM-ABC-01", title="Cards", quantity=1, price=Decimal("9")
    )
    order = order_to(TORONTO, line)
    from_config = declaration_for(order, {"V7": SHOPIFY_CARDS}, {"BM-ABC-01": CARDS}, signer="S")
    assert from_config.items[0].hs_code == "4901.99.0093"
    from_shopify = declaration_for(order, {"V7": SHOPIFY_CARDS}, {}, signer="S")
    assert from_shopify.items[0].hs_code == "4901990093"
    assert from_shopify.items[0].sku == "BM-ABC-01"


def test_a_product_without_customs_information_says_where_to_set_it() -> None:
    line = LineItem(
        id="L7", variant_id="V7", sku="", title="Crystal kit", quantity=1, price=Decimal("20")
    )
    bare = SHOPIFY_CARDS.model_copy(update={"hs_code": "", "origin_country": ""})
    with pytest.raises(CustomsError) as refused:
        declaration_for(order_to(LONDON, line), {"V7": bare}, {}, signer="S")
    assert str(refused.value) == (
        "Order #1001 ships to GB and its line 'Crystal kit' has no customs data: set the HS "
        "code and country of origin in the product's customs information in Shopify (then "
        '`packdesk sync --once`), or add [shipping.customs."Crystal kit"] with hs_code, '
        "origin_country and value to the config."
    )
    no_origin = SHOPIFY_CARDS.model_copy(update={"origin_country": ""})
    with pytest.raises(CustomsError, match="has an HS code in Shopify but no country of origin"):
        declaration_for(order_to(LONDON, line), {"V7": no_origin}, {}, signer="S")


@pytest.mark.parametrize(
    ("city", "state", "military"),
    [("APO", "AE", True), ("FPO", "AP", True), ("DPO", "AA", True), ("Oakland", "CA", False)],
)
def test_military_and_diplomatic_addresses_carry_customs(
    city: str, state: str, military: bool
) -> None:
    address = APO.model_copy(update={"city": city, "province_code": state})
    assert needs_customs(order_to(address)) is military


def test_an_apo_parcel_is_declared_with_the_low_value_exemption() -> None:
    customs = declaration_for(order_to(APO), VARIANTS, {"BM-ABC-01": CARDS}, signer="S")
    assert customs.eel_pfc == "NOEEI_30_37_a"
    with pytest.raises(CustomsError, match=r"ships to APO AP and SKU BM-ABC-01"):
        declaration_for(order_to(APO), VARIANTS, {}, signer="S")


@pytest.mark.parametrize(
    ("address", "eel_pfc"), [(APO, "NOEEI_30_37_a"), (TORONTO, "NOEEI_30_36")], ids=["apo", "ca"]
)
def test_shippo_gets_the_declaration_with_its_exemption(
    tmp_path: Path, sandbox: Any, address: Address, eel_pfc: str
) -> None:
    carrier = ShippoCarrier(sandbox.shippo_token, endpoint=sandbox.shippo_url, timeout_s=10)
    store, shipping, _labels, _bus = services(tmp_path / "c.db", carrier)
    seed_catalog(store)
    order = make_order(random.randrange(10**6, 10**9), address=address)
    add_order(store, order, StationState.PACKED)
    [(_parcel, rates, choice)] = shipping.rates(order)
    assert rates
    if address is APO:  # only USPS delivers to APO/FPO/DPO addresses
        assert {r.carrier for r in rates} == {"USPS"}
        assert choice.rate is not None
        assert choice.rate.carrier == "USPS"
    with httpx.Client(
        base_url=sandbox.shippo_url,
        headers={"Authorization": f"ShippoToken {sandbox.shippo_token}"},
        timeout=10,
    ) as client:
        shipment = client.get(f"/shipments/{rates[0].shipment_id}").json()
    declared = shipment["customs_declaration"]
    assert declared["eel_pfc"] == eel_pfc
    assert declared["certify"] is True
    assert declared["contents_type"] == "MERCHANDISE"


def test_a_line_without_a_sku_reaches_shippo_with_its_product_s_customs_from_shopify(
    tmp_path: Path, sandbox_server: SandboxServer, sandbox: Any
) -> None:
    config = tmp_path / "config.toml"
    sandbox_server.write_config(config, tmp_path / "data")
    with Container(load_settings(config)) as station:
        for resource in ("locations", "variants"):
            assert station.sync.run(resource).ok
        by_sku = {v.sku: v for v in station.store.catalog.variants()}
        cards, kit = by_sku["BM-ABC-01"], by_sku["BM-CRY-01"]
        assert (cards.hs_code, cards.origin_country) == ("4901990093", "US")
        assert (kit.hs_code, kit.origin_country) == ("", "")  # none entered in Shopify
        line = LineItem(
            id="L1", variant_id=cards.id, sku="", title="Flash cards", quantity=2,
            price=Decimal("9.99"),
        )  # fmt: skip
        order = make_order(random.randrange(10**6, 10**9), address=LONDON)
        order = order.model_copy(update={"line_items": (line,), "fulfillment_orders": ()})
        station.store.orders.save(order)
        [(_parcel, rates, _choice)] = station.shipping.rates(order)
    assert rates
    with httpx.Client(
        base_url=sandbox.shippo_url,
        headers={"Authorization": f"ShippoToken {sandbox.shippo_token}"},
        timeout=10,
    ) as client:
        declared = client.get(f"/shipments/{rates[0].shipment_id}").json()["customs_declaration"]
        [item] = [client.get(f"/customs/items/{item_id}").json() for item_id in declared["items"]]
    assert declared["eel_pfc"] == "NOEEI_30_37_a"
    assert (item["description"], item["hs_code"], item["origin_country"]) == (
        "Alphabet Flash Cards",
        "4901990093",
        "US",
    )
    assert (item["quantity"], item["value_amount"], item.get("sku_code")) == (2, "19.98", None)
