"""Customs declarations for parcels leaving the US, from product data kept in config.

Each line is declared from `[shipping.customs."SKU"]` in config (HS code, origin country,
declared value, description) when there is one, for a line without a SKU
`[shipping.customs."Title"]`; else from its product's customs information in Shopify (the
HS code and country of origin on the product page), under the product's title at the price
paid. A custom item (no product in Shopify) has only the config. A parcel with a line that
has neither is refused with what to set, never guessed.

Declared here as Shippo and the carriers require:

- every declaration names its export exemption (`eel_pfc`): `NOEEI_30_36` to Canada, else
  `NOEEI_30_37_a`, which covers lines (per HS code) up to $2,500; a parcel with a line above
  that needs an export filing (EEI in AESDirect, then `AES_ITN`) that packdesk does not make,
  so it is refused with that sentence;
- military and diplomatic addresses (APO, FPO, DPO; states AA, AE, AP) are in the US for the
  address but are customs mail all the same: USPS requires a customs form for every parcel
  of goods sent to them, so they are declared like a parcel abroad.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from packdesk.domain.models import Address, LineItem, Model, Order, Variant


class CustomsProduct(BaseModel):
    """Customs data of one SKU (`[shipping.customs."SKU"]` in config)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    hs_code: str
    """Harmonized System tariff number, e.g. `9503.00.0073`."""
    origin_country: str = "US"
    """ISO country code where the item was made."""
    value: Decimal | None = None
    """Declared value of one unit, in `currency`; empty uses the price on the order line."""
    currency: str = "USD"
    """Currency of `value`."""
    description: str = ""
    """What it is, in plain words (customs officers read it); empty uses the product title."""
    weight_g: float | None = None
    """Net weight of one unit in grams; empty uses the product's weight from Shopify (set it
    for custom items, which have none)."""


class CustomsItem(Model):
    description: str
    quantity: int
    net_weight_g: float
    value_amount: Decimal
    value_currency: str
    origin_country: str
    hs_code: str
    sku: str


class CustomsDeclaration(Model):
    """What the carrier's customs form says about one shipment."""

    contents_type: str = "MERCHANDISE"
    non_delivery_option: str = "RETURN"
    certify: bool = True
    certify_signer: str
    incoterm: str = "DDU"
    eel_pfc: str = "NOEEI_30_37_a"
    """The export exemption (Shippo's `eel_pfc`)."""
    items: tuple[CustomsItem, ...]


class CustomsError(ValueError):
    """Product data is missing for a customs declaration; the message names the key."""


MILITARY_STATES = frozenset({"AA", "AE", "AP"})
"""The "states" of overseas military and diplomatic mail: Americas, Europe, Pacific."""
MILITARY_CITIES = frozenset({"APO", "FPO", "DPO"})
LOW_VALUE_LIMIT = Decimal("2500")
"""Largest value (USD) of one HS code's lines that ships without an export filing."""


def is_military(address: Address) -> bool:
    """An APO, FPO or DPO address (country US, state AA/AE/AP or city APO/FPO/DPO)."""
    if not address.is_domestic:
        return False
    return (
        address.province_code.strip().upper() in MILITARY_STATES
        or address.city.strip().upper() in MILITARY_CITIES
    )


def needs_customs(order: Order) -> bool:
    """Whether the order's parcels carry a customs declaration: abroad, or APO/FPO/DPO."""
    address = order.shipping_address
    return address is not None and (not address.is_domestic or is_military(address))


def declaration_for(
    order: Order,
    variants: Mapping[str, Variant],
    products: Mapping[str, CustomsProduct],
    *,
    signer: str,
) -> CustomsDeclaration:
    """The declaration for the order's shippable items (one customs item per line)."""
    items = tuple(
        _item(order, line, variants.get(line.variant_id), products)
        for line in order.line_items
        if line.requires_shipping and line.quantity > 0
    )
    if not items:
        raise CustomsError(f"Order {order.name} has nothing to declare: no shippable items.")
    country = order.shipping_address.country_code.upper() if order.shipping_address else ""
    return CustomsDeclaration(
        certify_signer=signer, items=items, eel_pfc=_exemption(order, country, items)
    )


def _item(
    order: Order,
    line: LineItem,
    variant: Variant | None,
    products: Mapping[str, CustomsProduct],
) -> CustomsItem:
    data = products.get(line.sku) if line.sku else products.get(line.title)
    if data is None and variant is not None and variant.hs_code:
        data = _from_shopify(order, line, variant)
    if data is None:
        raise CustomsError(_missing(order, line, variant))
    unit_value = data.value if data.value is not None else line.price
    if unit_value <= 0:
        raise CustomsError(
            f"Order {order.name}: {line.title} has no price to declare: set value in its "
            "[shipping.customs] entry."
        )
    unit_weight = (
        data.weight_g if data.weight_g is not None else (variant.weight_g if variant else 0)
    )
    return CustomsItem(
        description=(data.description or line.title)[:100],
        quantity=line.quantity,
        net_weight_g=max(unit_weight * line.quantity, 1.0),
        value_amount=unit_value * line.quantity,
        value_currency=data.currency,
        origin_country=data.origin_country,
        hs_code=data.hs_code,
        sku=line.sku,
    )


def _from_shopify(order: Order, line: LineItem, variant: Variant) -> CustomsProduct:
    """The customs information of the line's product in Shopify: its HS code and country of
    origin, declared under the product's title at the price paid."""
    if not variant.origin_country:
        raise CustomsError(
            f"Order {order.name} ships to {_where(order)} and {line.title} has an HS code in "
            "Shopify but no country of origin: set it in the product's customs information "
            "in Shopify (then `packdesk sync --once`), or add "
            f"[shipping.customs.{_key(line)}] with hs_code and origin_country to the config."
        )
    return CustomsProduct(
        hs_code=variant.hs_code,
        origin_country=variant.origin_country,
        description=variant.product_title or line.title,
    )


def _missing(order: Order, line: LineItem, variant: Variant | None) -> str:
    """What to do about a line without customs data, in one sentence."""
    what = f"SKU {line.sku} ({line.title})" if line.sku else f"its line {line.title!r}"
    if variant is not None:
        return (
            f"Order {order.name} ships to {_where(order)} and {what} has no customs data: set "
            "the HS code and country of origin in the product's customs information in "
            "Shopify (then `packdesk sync --once`), or add "
            f"[shipping.customs.{_key(line)}] with hs_code, origin_country and value to the "
            "config."
        )
    if line.sku:
        return (
            f"Order {order.name} ships to {_where(order)} and {what} has no customs data: add "
            f"[shipping.customs.{_key(line)}] with hs_code, origin_country and value to the "
            "config."
        )
    return (
        f"Order {order.name} ships to {_where(order)} and {what} has no SKU and no product in "
        f"Shopify, so it is declared by its title: add [shipping.customs.{_key(line)}] with "
        "hs_code, origin_country and weight_g to the config."
    )


def _key(line: LineItem) -> str:
    """The `[shipping.customs."..."]` key of a line: its SKU, else its title."""
    return f'"{line.sku or line.title}"'


def _where(order: Order) -> str:
    address = order.shipping_address
    if address is None:
        return "?"
    if is_military(address):
        return f"{address.city} {address.province_code}".strip()
    return address.country_code


def _exemption(order: Order, country: str, items: tuple[CustomsItem, ...]) -> str:
    """The `eel_pfc` of a parcel from the US; CustomsError when it needs an export filing."""
    if country == "CA":
        return "NOEEI_30_36"
    by_code: dict[str, Decimal] = {}
    for item in items:
        if item.value_currency.upper() != "USD":
            raise CustomsError(
                f"Order {order.name}: {item.description} is declared in {item.value_currency}, "
                "but the $2,500 export filing limit is in dollars: declare its value in USD "
                "(currency and value in its [shipping.customs] entry)."
            )
        by_code[item.hs_code] = by_code.get(item.hs_code, Decimal(0)) + item.value_amount
    over = {code: total for code, total in by_code.items() if total > LOW_VALUE_LIMIT}
    if over:
        code, total = next(iter(over.items()))
        raise CustomsError(
            f"Order {order.name} declares ${total:,.2f} under HS code {code}, above the "
            "$2,500 a line that ships without an export filing: file the EEI in AESDirect "
            "and buy this label in Shippo's web app with its ITN, or hold the order."
        )
    return "NOEEI_30_37_a"
