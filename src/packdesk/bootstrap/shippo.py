"""Shippo: the carrier adapter and the shipping services' view of the config."""

from __future__ import annotations

from datetime import timedelta

from packdesk.adapters.shippo import ShippoCarrier
from packdesk.domain.boxes import DEFAULT_BOXES
from packdesk.domain.ports import Carrier, CarrierAccounts
from packdesk.domain.rating import RateRules
from packdesk.services.shipping import ShippingConfig
from packdesk.settings import Settings


def shippo_configured(settings: Settings) -> bool:
    """Whether [shippo] has an API token (without one there is nothing to ask)."""
    return bool(settings.shippo.api_token.get_secret_value())


def carrier_for(settings: Settings) -> Carrier:
    """Shippo through its SDK, with the token, endpoint and timeout of [shippo]."""
    return ShippoCarrier(
        settings.shippo.api_token.get_secret_value(),
        endpoint=settings.shippo.endpoint,
        timeout_s=settings.shippo.timeout_s,
    )


def carrier_accounts_for(settings: Settings) -> CarrierAccounts:
    """The carrier accounts of the Shippo account [shippo] names."""
    return ShippoCarrier(
        settings.shippo.api_token.get_secret_value(),
        endpoint=settings.shippo.endpoint,
        timeout_s=settings.shippo.timeout_s,
    )


def shipping_config(settings: Settings) -> ShippingConfig:
    """The shipping services' view of [shipping], [[boxes]], [shippo] and the label printer."""
    s = settings.shipping
    printer = settings.printer_for("label")
    return ShippingConfig(
        rules=RateRules(
            promise_days=dict(s.promise_days),
            allowed_carriers=tuple(s.allowed_carriers),
            excluded_carriers=tuple(s.excluded_carriers),
            allowed_services=tuple(s.allowed_services),
            excluded_services=tuple(s.excluded_services),
            max_cost=s.max_cost,
            carrier_preference=tuple(s.carrier_preference),
        ),
        boxes=tuple(settings.boxes) or DEFAULT_BOXES,
        location_code=settings.station.location,
        label_printer=printer.name if printer else "",
        label_printer_kind=printer.kind if printer else "folder",
        label_fee=settings.shippo.label_fee,
        rate_max_age=timedelta(hours=s.rate_max_age_h),
        customs=dict(s.customs),
        customs_signer=s.customs_signer,
        batch_workers=s.batch_workers,
        batch_per_minute=s.batch_per_minute,
        settle_grace=timedelta(seconds=settings.shippo.grace_s),
        sweep_for=timedelta(minutes=settings.shippo.sweep_min),
    )
