"""The composition root: builds adapters from Settings and wires the services.

This is the only module that imports concrete adapters; the CLI asks it for a ready
`Station` and everything else receives its dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.smtp import SmtpSender
from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.adapters.shopify.fulfillments import ShopifyFulfillments
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.ports import EmailSender, ShopFulfillments, ShopInventory
from packdesk.jobs.bus import EventBus
from packdesk.logs import setup_logging
from packdesk.services.comms import Comms, CommsPolicy
from packdesk.services.outbox import Handler, OutboxPolicy, OutboxService
from packdesk.services.station import StationService
from packdesk.services.upstream import FulfillmentHandler, InventoryHandler, mark_fulfilled
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


# -- outbox and customer emails (issue #8) -------------------------------------------------


def build_email_sender(settings: Settings) -> EmailSender | None:
    """The configured sender: SMTP, SendGrid, or none (`[email].sender`)."""
    email = settings.email
    if email.sender == "smtp":
        return SmtpSender(
            email.smtp_host,
            email.smtp_port,
            security=email.smtp_security,
            username=email.smtp_username,
            password=email.smtp_password.get_secret_value(),
            timeout_s=email.timeout_s,
        )
    if email.sender == "sendgrid":
        return SendGridSender(
            email.sendgrid_api_key.get_secret_value(),
            endpoint=email.sendgrid_endpoint,
            timeout_s=email.timeout_s,
        )
    return None


def build_comms(station: Station) -> Comms:
    settings = station.settings
    kinds = settings.email.kinds
    logo = Path(settings.brand.logo).expanduser() if settings.brand.logo else None
    policy = CommsPolicy(
        from_address=settings.email.from_address,
        shop_name=settings.brand.shop_name,
        shop_url=f"https://{settings.shopify.shop}",
        primary_color=settings.brand.primary_color,
        enabled={
            "order_confirmation": kinds.order_confirmation,
            "shipping_confirmation": kinds.shipping_confirmation,
            "usage_guide": kinds.usage_guide,
            "review_request": kinds.review_request,
        },
        guide_days=kinds.guide_days,
        review_days=kinds.review_days,
        review_url=kinds.review_url,
        marketing_requires_consent=kinds.marketing_requires_consent,
        confirmation_max_age_h=kinds.confirmation_max_age_h,
    )
    renderer = TemplateRenderer(logo_path=logo)
    return Comms(station.store, renderer, build_email_sender(settings), station.clock, policy)


def shopify_outbox_ports(station: Station) -> ShopifyFulfillments | None:
    """Shopify fulfillments and stock for the outbox, or None without a token."""
    return None


def notify_customer(settings: Settings) -> bool:
    """Whether Shopify sends its own shipping email on fulfillmentCreate."""
    choice = settings.outbox.notify_customer
    if choice != "auto":
        return choice == "on"
    packdesk_sends = settings.email.sender != "none" and settings.email.kinds.shipping_confirmation
    return not packdesk_sends


def build_outbox(
    station: Station,
    *,
    shop: ShopFulfillments | None = None,
    inventory: ShopInventory | None = None,
    shopify: bool = False,
) -> OutboxService:
    """The outbox worker with a handler for every effect this process can deliver.

    `shopify=True` builds the Shopify ports from settings when a token is configured (tests
    pass `shop`/`inventory` instead). Kinds without a handler are left waiting, not failed.
    """
    settings = station.settings
    if shopify and shop is None:
        shop = inventory = shopify_outbox_ports(station)
    comms = build_comms(station)
    handlers: dict[str, Handler] = {"email": comms}
    if shop is not None:
        stations = StationService(station.store, station.bus, station.clock)
        handlers["fulfillment"] = FulfillmentHandler(
            shop, notify_customer=notify_customer(settings), on_fulfilled=mark_fulfilled(stations)
        )
    if inventory is not None:
        handlers["inventory_adjust"] = InventoryHandler(inventory)
    o = settings.outbox
    return OutboxService(
        station.store,
        handlers,
        station.clock,
        policy=OutboxPolicy(
            max_attempts=o.max_attempts,
            backoff_base_s=o.backoff_base_s,
            backoff_max_s=o.backoff_max_s,
            lease_s=o.lease_s,
            batch=o.batch,
            parallel=o.parallel,
        ),
        planners=[comms.plan],
        bus=station.bus,
    )
