"""The composition root: builds adapters from Settings and wires the services.

This is the only module that imports concrete adapters; the CLI asks it for a ready
`Station` and everything else receives its dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from packdesk.adapters.shippo import ShippoCarrier
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.ports import Carrier
from packdesk.domain.rating import RateRules
from packdesk.jobs.bus import EventBus
from packdesk.logs import setup_logging
from packdesk.services.labels import LabelService
from packdesk.services.shipping import ShippingConfig, ShippingService
from packdesk.services.tracking import TrackingService
from packdesk.settings import Settings


@dataclass
class Station:
    """Everything one packdesk process runs on, built once from Settings."""

    settings: Settings
    store: SqliteStore
    bus: EventBus
    clock: Clock = field(default_factory=SystemClock)
    demo: bool = False

    @property
    def data_dir(self) -> Path:
        return self.settings.station.resolved_data_dir()

    def close(self) -> None:
        self.store.close()


def database_path(settings: Settings) -> Path:
    return settings.station.resolved_data_dir() / "packdesk.db"


def build_station(settings: Settings, *, verbose: bool = False, demo: bool = False) -> Station:
    """Open the database and logging for `settings`."""
    data_dir = settings.station.resolved_data_dir()
    setup_logging(data_dir, settings.secrets(), level=settings.logging.level, verbose=verbose)
    store = SqliteStore.open(database_path(settings))
    return Station(settings=settings, store=store, bus=EventBus(), demo=demo)


# --- Shipping (issue 5) --------------------------------------------------------------------


@dataclass
class ShippingServices:
    """Address checks, rates, labels and tracking, wired to Shippo."""

    shipping: ShippingService
    labels: LabelService
    tracking: TrackingService


def shipping_config(settings: Settings) -> ShippingConfig:
    """The shipping services' view of `[shipping]`, `[[boxes]]`, `[shippo]`, `[[printers]]`."""
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
        boxes=tuple(settings.boxes),
        location_code=settings.station.location,
        label_printer=printer.name if printer else "",
        label_printer_kind=printer.kind if printer else "folder",
        label_fee=settings.shippo.label_fee,
        rate_max_age=timedelta(hours=s.rate_max_age_h),
        customs=dict(s.customs),
        customs_signer=s.customs_signer,
        batch_workers=s.batch_workers,
        batch_per_minute=s.batch_per_minute,
    )


def build_carrier(settings: Settings) -> Carrier:
    return ShippoCarrier(
        settings.shippo.api_token.get_secret_value(),
        endpoint=settings.shippo.endpoint,
        timeout_s=settings.shippo.timeout_s,
    )


def build_shipping(station: Station, carrier: Carrier | None = None) -> ShippingServices:
    """The shipping services on the station's store and bus (Shippo unless `carrier`)."""
    shipping = ShippingService(
        station.store,
        carrier or build_carrier(station.settings),
        station.bus,
        station.clock,
        shipping_config(station.settings),
    )
    return ShippingServices(
        shipping=shipping, labels=LabelService(shipping), tracking=TrackingService(shipping)
    )
