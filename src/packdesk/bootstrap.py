"""The composition root: builds adapters from Settings and wires the services.

This is the only module that imports concrete adapters; the CLI asks it for a ready
`Station` and everything else receives its dependencies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.smtp import SmtpSender
from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.adapters.printers import (
    EscposSlipRenderer,
    PdfSlipRenderer,
    cups_queues,
    make_printer,
)
from packdesk.adapters.printers.testprint import printer_test_document
from packdesk.adapters.shippo import ShippoCarrier
from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.fulfillments import ShopifyFulfillments
from packdesk.adapters.shopify.receiver import build_receiver
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.shopify.shop import ShopifyShop
from packdesk.adapters.store import SqliteStore
from packdesk.domain.boxes import DEFAULT_BOXES
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.models import PrintRole
from packdesk.domain.ports import (
    Carrier,
    EmailSender,
    Printer,
    ShopFulfillments,
    ShopInventory,
    SlipRenderer,
)
from packdesk.domain.rating import RateRules
from packdesk.domain.shop import WebhookDelivery
from packdesk.jobs.bus import EventBus
from packdesk.jobs.scheduler import Scheduler
from packdesk.jobs.worker import QueueWorker
from packdesk.logs import setup_logging
from packdesk.services.comms import Comms, CommsPolicy
from packdesk.services.desk import ScannerConfig, StationDesk
from packdesk.services.labels import LabelService
from packdesk.services.outbox import Handler, OutboxPolicy, OutboxService
from packdesk.services.packing import PackingService
from packdesk.services.printing import PrintService
from packdesk.services.queue import HealthService, PrinterInfo, QueueService
from packdesk.services.shipping import ShippingConfig, ShippingService
from packdesk.services.station import StationService
from packdesk.services.sync import SyncService
from packdesk.services.sync_catalog import CatalogSync, Progress
from packdesk.services.sync_orders import OrderSync
from packdesk.services.tracking import TrackingService
from packdesk.services.upstream import FulfillmentHandler, InventoryHandler, mark_fulfilled
from packdesk.services.webhooks import WebhookProcessor
from packdesk.settings import ConfigError, Settings


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


# --- Shopify sync, jobs and webhooks (issue #4) ------------------------------------------


@dataclass
class SyncRuntime:
    """The Shopify client and the sync services of one process (TUI, daemon, CLI)."""

    client: ShopifyClient
    sync: SyncService
    webhooks: WebhookProcessor

    def close(self) -> None:
        self.client.close()


def build_shopify_client(settings: Settings) -> ShopifyClient:
    """The GraphQL client for [shopify], with its timeouts and the config file it names."""
    return ShopifyClient(
        settings.shopify.graphql_url(),
        settings.shopify.access_token.get_secret_value(),
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
    )


def build_sync(
    station: Station,
    *,
    client: ShopifyClient | None = None,
    progress: Progress | None = None,
) -> SyncRuntime:
    """The sync services over `station`'s store and bus, talking to Shopify through `client`."""
    settings = station.settings
    client = client or build_shopify_client(settings)
    shop = ShopifyShop(client)
    stations = StationService(station.store, station.bus, station.clock)
    catalog = CatalogSync(
        shop,
        station.store,
        station.clock,
        page_size=settings.sync.page_size,
        overlap_s=settings.sync.overlap_s,
    )
    orders = OrderSync(
        shop,
        station.store,
        stations,
        location_code=settings.station.location,
        page_size=settings.sync.page_size,
        overlap_s=settings.sync.overlap_s,
    )
    sync = SyncService(
        catalog, orders, station.store, station.bus, station.clock, progress=progress
    )
    return SyncRuntime(client, sync, WebhookProcessor(station.store.webhooks, sync, station.clock))


def build_scheduler() -> Scheduler:
    """The one background scheduler of a process; areas add their jobs to it."""
    return Scheduler()


def schedule_sync(scheduler: Scheduler, runtime: SyncRuntime, settings: Settings) -> None:
    """Register the sync jobs with the intervals from [sync]."""
    sync = runtime.sync

    def sync_catalog() -> None:
        sync.run("locations")
        sync.run("variants")

    scheduler.add_interval("sync_catalog", sync_catalog, settings.sync.catalog_every_s)
    scheduler.add_interval(
        "sync_inventory", lambda: sync.run("inventory"), settings.sync.inventory_every_s
    )
    scheduler.add_interval("sync_orders", lambda: sync.run("orders"), settings.sync.orders_every_s)
    scheduler.add_interval("sweep_webhooks", runtime.webhooks.sweep, 60)


def schedule_jobs(
    scheduler: Scheduler,
    station: Station,
    runtime: SyncRuntime,
    *,
    printing: PrintService | None = None,
    shipping: ShippingServices | None = None,
    print_every_s: float | None = None,
) -> None:
    """Every background job of a process, for the TUI and `packdesk daemon` alike.

    Areas add their jobs here (outbox delivery, printing, tracking) with `add_interval`;
    a caller that built the printing or shipping services already passes them in, so each
    job exists once and works on the same services as the screen.
    """
    schedule_sync(scheduler, runtime, station.settings)
    schedule_outbox_job(scheduler, station)
    schedule_printing(
        scheduler,
        printing or build_print_service(station),
        PRINT_QUEUE_EVERY_S if print_every_s is None else print_every_s,
    )
    schedule_shipping_jobs(scheduler, station, shipping)


def build_webhook_server(
    station: Station, runtime: SyncRuntime, *, host: str, port: int
) -> tuple[ReceiverServer, QueueWorker[WebhookDelivery]]:
    """The receiver and the worker thread that fetches each delivered order afterwards."""
    secret = station.settings.shopify.webhook_secret.get_secret_value()
    worker: QueueWorker[WebhookDelivery] = QueueWorker(runtime.webhooks.process, name="webhook")
    app = build_receiver(station.store.webhooks, secret, worker.submit, station.clock.now)
    return ReceiverServer(app, host, port), worker


# -- printing (issue #6) -------------------------------------------------------------------


def default_logo_path() -> Path:
    """The shop logo packdesk ships with (assets/logo.png)."""
    return Path(str(resources.files("packdesk.assets").joinpath("logo.png")))


def build_printers(settings: Settings) -> dict[str, Printer]:
    """One driver per `[[printers]]` entry, by name; ConfigError with a sentence on a bad one."""
    try:
        return {
            p.name: make_printer(p.name, p.kind, p.target, dict(p.options))
            for p in settings.printers
        }
    except ValueError as exc:
        raise _printer_config_error(settings, exc) from None


def _printer_config_error(settings: Settings, exc: ValueError) -> ConfigError:
    where = settings.source_path or "the config file"
    return ConfigError(f"{where}: {exc} Fix that [[printers]] entry.")


def build_slip_renderer(settings: Settings) -> SlipRenderer | None:
    """PDF slips for cups/folder slip printers, ESC/POS for escpos ones; None without one."""
    printer = settings.printer_for("slip")
    if printer is None:
        return None
    logo = Path(settings.brand.logo).expanduser() if settings.brand.logo else default_logo_path()
    if printer.kind == "escpos":
        width = printer.options.get("width_px")
        return EscposSlipRenderer(
            settings.brand.shop_name,
            logo,
            profile=printer.options.get("profile", "TM-T88V"),
            width_px=int(width) if width else None,
        )
    if printer.kind == "zpl":
        raise _printer_config_error(
            settings,
            ValueError(
                f"Printer {printer.name}: packing slips print as PDF or ESC/POS, not ZPL; give the"
                ' slip role to a cups, escpos or folder printer (role = "slip").'
            ),
        )
    try:
        return PdfSlipRenderer(
            settings.brand.shop_name, logo, page=printer.options.get("page", "letter")
        )
    except ValueError as exc:
        raise _printer_config_error(settings, exc) from None


def build_print_service(station: Station) -> PrintService:
    """The print queue over the station's store, bus and clock."""
    settings = station.settings
    roles = {PrintRole(p.role): p.name for p in reversed(settings.printers)}
    return PrintService(
        station.store,
        build_printers(settings),
        roles,
        slips=build_slip_renderer(settings),
        station=StationService(station.store, station.bus, station.clock),
        bus=station.bus,
        clock=station.clock,
    )


PRINT_QUEUE_EVERY_S = 3.0


def schedule_printing(
    scheduler: Scheduler, service: PrintService, every_s: float = PRINT_QUEUE_EVERY_S
) -> None:
    """Send due print jobs every few seconds (the pack screen also runs it at once)."""
    scheduler.add_interval("print_queue", service.run_once, every_s)


def list_cups_queues() -> list[tuple[str, str]]:
    """CUPS queues this machine knows, as (queue, device URI)."""
    return cups_queues()


def send_test_print(settings: Settings, name: str, at: datetime) -> Printer:
    """Print a test label or page (carrying the station's name) on printer `name` now,
    bypassing the queue so the person at the printer sees the answer at once."""
    entry = next((p for p in settings.printers if p.name == name), None)
    if entry is None:
        known = ", ".join(p.name for p in settings.printers) or "none configured"
        raise LookupError(f"No printer named {name!r} in the config (printers: {known}).")
    printer = build_printers(settings)[entry.name]
    document, content_type, data = printer_test_document(
        entry.kind, entry.role, entry.name, settings.station.name, at, dict(entry.options)
    )
    printer.send(document, content_type, data)
    return printer


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


def schedule_shipping_jobs(
    scheduler: Scheduler, station: Station, services: ShippingServices | None = None
) -> ShippingServices | None:
    """Rates for queued orders, pending labels (reconciled first, at start) and tracking.

    Without a Shippo token there is nothing to ask, so nothing is scheduled."""
    settings = station.settings
    if services is None:
        if not settings.shippo.api_token.get_secret_value():
            return None
        services = build_shipping(station)
    s = settings.shipping
    labels = services.labels

    def retry_labels() -> None:
        labels.reconcile_all()
        labels.retry_pending()

    scheduler.add_interval("shipping_rates", services.shipping.refresh_queue, s.rates_every_s)
    scheduler.add_interval("label_retry", retry_labels, s.label_retry_every_s)
    scheduler.add_interval(
        "tracking", services.tracking.refresh_tracking, s.tracking_every_min * 60
    )
    return services


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
    logo = Path(settings.brand.logo).expanduser() if settings.brand.logo else default_logo_path()
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
    """Shopify fulfillments and stock for the outbox, or None without a token.

    Its client makes one try per call (`max_attempts=1`; throttling is still waited out):
    a mutation whose answer was lost must be checked upstream before it is sent again,
    which the outbox's handlers do, so the client must not resend it blindly.
    """
    settings = station.settings
    token = settings.shopify.access_token.get_secret_value()
    if not token:
        return None
    client = ShopifyClient(
        settings.shopify.graphql_url(),
        token,
        timeout_s=settings.shopify.timeout_s,
        config_file=str(settings.source_path or "the config file"),
        max_attempts=1,
    )
    return ShopifyFulfillments(client)


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


def schedule_outbox_job(scheduler: Scheduler, station: Station) -> OutboxService:
    """The outbox worker as a job every `[outbox].every_s` seconds."""
    service = build_outbox(station, shopify=True)
    scheduler.add_interval("outbox", service.run_once, station.settings.outbox.every_s)
    return service


# --- The packing station's desk (issue 7) -------------------------------------------------


def build_desk(
    station: Station,
    *,
    labels: LabelService | None = None,
    printing: PrintService | None = None,
    reprint_label: Callable[[str], str] | None = None,
    reprint_slip: Callable[[str], str] | None = None,
    void_label: Callable[[str], str] | None = None,
    sync_now: Callable[[], str] | None = None,
    package_editor: ShippingService | None = None,
) -> StationDesk:
    """The facade the TUI runs on, from the station's settings, store and bus.

    The label, print, void and sync steps come from the services of their issues; each one
    left out answers the packer with a sentence saying it is not set up.
    """
    settings = station.settings
    store = station.store
    service = StationService(store, station.bus, station.clock)
    queue = QueueService(store, settings.station.location, dict(settings.shipping.promise_days))
    packing = PackingService(
        store=store,
        station=service,
        clock=station.clock,
        actor=settings.station.name,
        location_lookup=lambda: queue.location_id,
        boxes=tuple(settings.boxes),
        commands=dict(settings.scanner.commands),
        labels=labels,
        printing=printing,
        package_editor=package_editor,
    )
    health = HealthService(
        store,
        printers=tuple(PrinterInfo(p.name, p.role, p.kind, p.target) for p in settings.printers),
        webhooks_enabled=settings.webhooks.enabled,
        webhooks_address=f"{settings.webhooks.host}:{settings.webhooks.port}",
    )
    return StationDesk(
        station_name=settings.station.name,
        location_code=settings.station.location,
        clock=station.clock,
        bus=station.bus,
        station=service,
        queue=queue,
        packing=packing,
        health=health,
        demo=station.demo,
        keys=dict(settings.keys),
        scanner=ScannerConfig(
            prefix=settings.scanner.prefix,
            max_interkey_ms=settings.scanner.max_interkey_ms,
            commands=dict(settings.scanner.commands),
        ),
        output_dirs=tuple(
            Path(p.target).expanduser()
            for p in settings.printers
            if p.kind == "folder" and p.target
        ),
        reprint_label_action=reprint_label,
        reprint_slip_action=reprint_slip,
        void_label_action=void_label,
        sync_now_action=sync_now,
    )


@dataclass
class StationRuntime:
    """The TUI's process: the desk, its background jobs, and what they talk to."""

    desk: StationDesk
    scheduler: Scheduler
    sync: SyncRuntime
    shipping: ShippingServices
    printing: PrintService

    def start(self) -> None:
        self.scheduler.start()

    def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.sync.close()


def build_station_runtime(
    station: Station,
    *,
    carrier: Carrier | None = None,
    sync_client: ShopifyClient | None = None,
    print_every_s: float = 5.0,
) -> StationRuntime:
    """The desk wired to the real label purchase, printing, void, and sync now, plus the
    background jobs of a station: sync, outbox, print queue, rates and pending labels."""
    runtime = build_sync(station, client=sync_client)
    shipping = build_shipping(station, carrier)
    printing = build_print_service(station)
    actor = station.settings.station.name

    def reprint_label(order_id: str) -> str:
        jobs = printing.reprint_label(order_id)
        printing.run_once()
        names = ", ".join(j.document for j in jobs)
        return f"Label sent to {jobs[0].printer} again ({names})." if jobs else "No label to print."

    def reprint_slip(order_id: str) -> str:
        job = printing.reprint_slip(order_id)
        printing.run_once()
        return f"Slip sent to {job.printer} again ({job.document})."

    def void_label(order_id: str) -> str:
        voided = shipping.labels.void(order_id, "voided at the station", actor=actor)
        numbers = ", ".join(p.tracking_number for p in voided) or "none"
        return (
            f"Voided {len(voided)} label(s) ({numbers}); the order is PACKED again (F2 buys anew)."
        )

    def sync_now() -> str:
        results = runtime.sync.run_all()
        failed = [r for r in results if not r.ok]
        if failed:
            return "Sync finished with errors: " + "; ".join(
                f"{r.resource}: {r.error}" for r in failed
            )
        return "Synced " + ", ".join(f"{r.count} {r.resource}" for r in results) + "."

    desk = build_desk(
        station,
        labels=shipping.labels,
        printing=printing,
        reprint_label=reprint_label,
        reprint_slip=reprint_slip,
        void_label=void_label,
        sync_now=sync_now,
        package_editor=shipping.shipping,
    )
    scheduler = build_scheduler()
    schedule_jobs(
        scheduler,
        station,
        runtime,
        printing=printing,
        shipping=shipping,
        print_every_s=print_every_s,
    )
    return StationRuntime(desk, scheduler, runtime, shipping, printing)
