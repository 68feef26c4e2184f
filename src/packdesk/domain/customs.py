"""Customs declarations for parcels leaving the US, from product data kept in config.

Shopify's schema carries no HS codes the merchant keeps up to date, so packdesk reads them
from `[shipping.customs."SKU"]` (HS code, origin country, declared value, description).
A parcel abroad with a SKU missing there is refused with the key to add, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from packdesk.domain.models import Model, Order, Variant


class CustomsProduct(BaseModel):
    """Customs data of one SKU (`[shipping.customs."SKU"]` in config)."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    hs_code: str
    """Harmonized System tariff number, e.g. `9503.00.0073`."""
    origin_country: str = "US"
    """ISO country code where the item was made."""
    value: Decimal
    """Declared value of one unit, in `currency`."""
    currency: str = "USD"
    """Currency of `value`."""
    description: str = ""
    """What it is, in plain words (customs officers read it); empty uses the product title."""


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
    items: tuple[CustomsItem, ...]


class CustomsError(ValueError):
    """Product data is missing for a customs declaration; the message names the key."""


def needs_customs(order: Order) -> bool:
    address = order.shipping_address
    return address is not None and not address.is_domestic


def declaration_for(
    order: Order,
    variants: Mapping[str, Variant],
    products: Mapping[str, CustomsProduct],
    *,
    signer: str,
) -> CustomsDeclaration:
    """The declaration for the order's shippable items (one customs item per line)."""
    items: list[CustomsItem] = []
    for line in order.line_items:
        if not line.requires_shipping or line.quantity <= 0:
            continue
        data = products.get(line.sku)
        if data is None:
            raise CustomsError(
                f"Order {order.name} ships to {order.shipping_address.country_code if order.shipping_address else '?'}"
                f" and SKU {line.sku or '(none)'} ({line.title}) has no customs data: add "
                f'[shipping.customs."{line.sku}"] with hs_code, origin_country and value to the config.'
            )
        variant = variants.get(line.variant_id)
        weight = (variant.weight_g if variant else 0.0) * line.quantity
        items.append(
            CustomsItem(
                description=(data.description or line.title)[:100],
                quantity=line.quantity,
                net_weight_g=max(weight, 1.0),
                value_amount=data.value * line.quantity,
                value_currency=data.currency,
                origin_country=data.origin_country,
                hs_code=data.hs_code,
                sku=line.sku,
            )
        )
    if not items:
        raise CustomsError(f"Order {order.name} has nothing to declare: no shippable items.")
    return CustomsDeclaration(certify_signer=signer, items=tuple(items))
