"""Domain values to Shippo SDK requests and Shippo answers back to domain values.

packdesk keeps grams and centimetres; they go to Shippo as `g` and `cm`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from shippo.models import components

from packdesk.domain.carriers import CarrierAccount
from packdesk.domain.customs import CustomsDeclaration
from packdesk.domain.models import Address, Parcel, Rate
from packdesk.domain.shipping import LabelResult

CARRIER_SLUGS = {"usps": "usps", "ups": "ups", "fedex": "fedex", "dhl express": "dhl_express"}


def address_request(address: Address, *, validate: bool = False) -> components.AddressCreateRequest:
    return components.AddressCreateRequest(
        country=address.country_code or "US",
        name=address.name or address.company or "Customer",
        company=address.company or None,
        street1=address.address1,
        street2=address.address2 or None,
        city=address.city,
        state=address.province_code or None,
        zip=address.zip,
        phone=address.phone or None,
        email=address.email or None,
        validate=True if validate else None,
    )


def parcel_request(parcel: Parcel) -> components.ParcelCreateRequest:
    return components.ParcelCreateRequest(
        mass_unit=components.WeightUnitEnum.G,
        weight=f"{parcel.weight_g:.0f}",
        distance_unit=components.DistanceUnitEnum.CM,
        length=f"{parcel.length_cm:.1f}",
        width=f"{parcel.width_cm:.1f}",
        height=f"{parcel.height_cm:.1f}",
    )


def customs_request(customs: CustomsDeclaration) -> components.CustomsDeclarationCreateRequest:
    return components.CustomsDeclarationCreateRequest(
        certify=customs.certify,
        certify_signer=customs.certify_signer,
        contents_type=components.CustomsDeclarationContentsTypeEnum(customs.contents_type),
        non_delivery_option=components.CustomsDeclarationNonDeliveryOptionEnum(
            customs.non_delivery_option
        ),
        incoterm=components.CustomsDeclarationIncotermEnum(customs.incoterm),
        eel_pfc=components.CustomsDeclarationEelPfcEnum(customs.eel_pfc),
        items=[
            components.CustomsItemCreateRequest(
                description=item.description,
                mass_unit=components.WeightUnitEnum.G,
                net_weight=f"{item.net_weight_g:.0f}",
                origin_country=item.origin_country,
                quantity=item.quantity,
                value_amount=f"{item.value_amount:.2f}",
                value_currency=item.value_currency,
                hs_code=item.hs_code,
                sku_code=item.sku or None,
            )
            for item in customs.items
        ],
    )


def rate_from(rate: Any, fetched_at: datetime) -> Rate:
    attributes = tuple(str(getattr(a, "value", a)) for a in (rate.attributes or []))
    return Rate(
        id=rate.object_id,
        shipment_id=rate.shipment,
        carrier=rate.provider,
        service_token=rate.servicelevel.token or "",
        service_name=rate.servicelevel.name or "",
        amount=Decimal(rate.amount),
        currency=rate.currency,
        estimated_days=rate.estimated_days,
        attributes=attributes,
        fetched_at=fetched_at,
        zone=str(getattr(rate, "zone", None) or ""),
    )


def _enum_text(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def label_from(transaction: Any) -> LabelResult:
    rate = transaction.rate
    rate_id = rate if isinstance(rate, str) else getattr(rate, "object_id", "") or ""
    messages = tuple(str(getattr(m, "text", "") or m) for m in (transaction.messages or []) if m)
    return LabelResult(
        transaction_id=transaction.object_id or "",
        status=_enum_text(transaction.status),
        metadata=transaction.metadata or "",
        rate_id=rate_id,
        tracking_number=transaction.tracking_number or "",
        tracking_url=transaction.tracking_url_provider or "",
        label_url=transaction.label_url or "",
        messages=messages,
        created_at=transaction.object_created,
    )


def account_from(account: Any) -> CarrierAccount:
    name = account.carrier_name
    return CarrierAccount(
        object_id=account.object_id or "",
        carrier=account.carrier or "",
        carrier_name=str(getattr(name, "value", name) or ""),
        account_id=account.account_id or "",
        active=account.active is not False,
        is_shippo_account=bool(account.is_shippo_account),
        test=bool(account.test),
    )


def carrier_slug(carrier: str) -> str:
    """Shippo's carrier token for tracking (`USPS` -> `usps`)."""
    return CARRIER_SLUGS.get(carrier.strip().lower(), carrier.strip().lower().replace(" ", "_"))
