"""The container: every adapter and service of one packdesk process, each built once.

Everything is built on first use (`cached_property`), so a command takes only what it needs:
`packdesk rates` opens the database and Shippo and never a printer or Shopify. Every
attribute is required and built from `Settings`; a test hands in fakes for the adapters it
replaces, by keyword, and gets every service wired to them as production wires it:

    Container(settings, carrier=FakeCarrier(), clock=FixedClock(T0))

What the container built it also closes (`close()`, or `with Container(...) as c:`); what it
was given belongs to the caller. Building takes no lock, so a process builds what its threads
share before it starts them: a job binds its services when the job list is made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.fulfillments import ShopifyFulfillments
from packdesk.adapters.shopify.inventory import ShopifyInventory
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.shopify.shop import ShopifyShop
from packdesk.adapters.shopify.subscriptions import ShopifyWebhookSubscriptions
from packdesk.adapters.shopify.versions import ApiVersionWatch
from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap.analytics import AnalyticsParts
from packdesk.bootstrap.desk import health_service, packing_service, queue_service, station_desk
from packdesk.bootstrap.email import (
    comms_policy,
    email_renderer_for,
    email_sender_for,
    shopify_sends_shipping_email,
)
from packdesk.bootstrap.inventory import Inventory, inventory_for
from packdesk.bootstrap.jobs import station_jobs, sync_jobs
from packdesk.bootstrap.printers import print_roles, printer_drivers, slip_renderer_for
from packdesk.bootstrap.shippo import (
    carrier_accounts_for,
    carrier_for,
    shipping_config,
    shippo_configured,
)
from packdesk.bootstrap.shopify import (
    SyncShop,
    UpstreamShop,
    api_version_watch_for,
    outbox_client_for,
    shop_name_for,
    shopify_configured,
    sync_client_for,
    webhook_receiver_for,
)
from packdesk.bootstrap.store import open_store
from packdesk.bootstrap.workers import outbox_service, sync_service
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.ports import (
    Carrier,
    CarrierAccounts,
    EmailRenderer,
    EmailSender,
    Printer,
    ShopInventory,
    SlipRenderer,
)
from packdesk.domain.shop import WebhookDelivery
from packdesk.jobs.bus import EventBus
from packdesk.jobs.scheduler import Scheduler
from packdesk.jobs.tasks import Job
from packdesk.jobs.worker import QueueWorker
from packdesk.services.carriers import CarrierAccountsService
from packdesk.services.comms import Comms
from packdesk.services.desk import StationDesk
from packdesk.services.labels import LabelService
from packdesk.services.outbox import Handler, OutboxService
from packdesk.services.packing import PackingService
from packdesk.services.printing import PrintService
from packdesk.services.queue import HealthService, QueueService
from packdesk.services.shipping import ShippingService
from packdesk.services.station import StationService
from packdesk.services.stock_counts import InventoryCountHandler
from packdesk.services.sync import SyncService
from packdesk.services.tracking import TrackingService
from packdesk.services.upstream import FulfillmentHandler, InventoryHandler, mark_fulfilled
from packdesk.services.webhook_subscriptions import WebhookSubscriptions
from packdesk.services.webhooks import WebhookProcessor
from packdesk.settings import Settings

if TYPE_CHECKING:
    from packdesk.tui.app import PackdeskApp


class Container:
    """The object graph of one process (the TUI, the daemon, or one CLI command)."""

    def __init__(
        self,
        settings: Settings,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        store: SqliteStore | None = None,
        shop: SyncShop | None = None,
        upstream: UpstreamShop | None = None,
        carrier: Carrier | None = None,
        printers: Mapping[str, Printer] | None = None,
        email_sender: EmailSender | None = None,
    ) -> None:
        """Adapters given by keyword replace the ones Settings describe (tests pass fakes)."""
        self.settings = settings
        self.demo = demo
        self.clock: Clock = clock or SystemClock()
        self.bus = EventBus()
        given: dict[str, Any] = {
            "store": store,
            "shop": shop,
            "upstream": upstream,
            "carrier": carrier,
            "printers": dict(printers) if printers is not None else None,
            "email_sender": email_sender,
        }
        self._given = {name for name, value in given.items() if value is not None}
        for name in self._given:
            self.__dict__[name] = given[name]  # what cached_property would have built
        self._schedulers: list[Scheduler] = []
        self._workers: list[QueueWorker[WebhookDelivery]] = []

    @property
    def data_dir(self) -> Path:
        return self.settings.station.resolved_data_dir()

    # -- adapters -----------------------------------------------------------------------

    @cached_property
    def store(self) -> SqliteStore:
        """The station's database, migrated."""
        return open_store(self.settings)

    @cached_property
    def api_versions(self) -> ApiVersionWatch:
        """The Admin API version Shopify answers this process's clients with."""
        return api_version_watch_for(self.settings)

    @cached_property
    def sync_client(self) -> ShopifyClient:
        """Shopify for sync: retries a failed read (bootstrap/shopify.py says why two)."""
        return sync_client_for(self.settings, self.api_versions)

    @cached_property
    def outbox_client(self) -> ShopifyClient:
        """Shopify for the outbox: one try per call (bootstrap/shopify.py says why two)."""
        return outbox_client_for(self.settings, self.api_versions)

    @cached_property
    def shop(self) -> SyncShop:
        return ShopifyShop(self.sync_client)

    @cached_property
    def upstream(self) -> UpstreamShop:
        return ShopifyFulfillments(self.outbox_client)

    @cached_property
    def webhook_subscriptions(self) -> WebhookSubscriptions:
        """The app's webhook subscriptions in Shopify, through the outbox's client (a
        mutation whose answer was lost is not sent again by itself; subscribing again is
        safe)."""
        return WebhookSubscriptions(ShopifyWebhookSubscriptions(self.outbox_client))

    @cached_property
    def upstream_stock(self) -> ShopInventory:
        """Stock changes and counts in Shopify, through the outbox's client."""
        return ShopifyInventory(self.outbox_client)

    @cached_property
    def carrier(self) -> Carrier:
        return carrier_for(self.settings)

    @cached_property
    def carrier_accounts(self) -> CarrierAccounts:
        return carrier_accounts_for(self.settings)

    @cached_property
    def printers(self) -> dict[str, Printer]:
        return printer_drivers(self.settings)

    @cached_property
    def slip_renderer(self) -> SlipRenderer:
        return slip_renderer_for(self.settings, self.shop_name)

    @cached_property
    def email_sender(self) -> EmailSender:
        return email_sender_for(self.settings)

    @cached_property
    def email_renderer(self) -> EmailRenderer:
        return email_renderer_for(self.settings)

    @cached_property
    def shop_name(self) -> str:
        """The name on slips and e-mails: [brand].shop_name, else the shop's in Shopify."""
        live = None
        if "shop" in self._given:
            live = self.shop.shop
        elif shopify_configured(self.settings):
            live = ShopifyShop(self.outbox_client).shop  # one try: a first start offline
        return shop_name_for(self.settings, self.store, live, self.clock.now)

    @property
    def shopify_configured(self) -> bool:
        """Whether this process can talk to Shopify (a token, or a shop handed in)."""
        return shopify_configured(self.settings) or bool({"shop", "upstream"} & self._given)

    @property
    def shippo_configured(self) -> bool:
        """Whether this process can buy labels (a token, or a carrier handed in)."""
        return shippo_configured(self.settings) or "carrier" in self._given

    # -- services -----------------------------------------------------------------------

    @cached_property
    def station(self) -> StationService:
        return StationService(self.store, self.bus, self.clock)

    @cached_property
    def sync(self) -> SyncService:
        return sync_service(self)

    @cached_property
    def webhooks(self) -> WebhookProcessor:
        return WebhookProcessor(self.store.webhooks, self.sync, self.clock)

    @cached_property
    def shipping(self) -> ShippingService:
        carrier = self.analytics.metered(self.carrier)
        return ShippingService(
            self.store, carrier, self.bus, self.clock, shipping_config(self.settings)
        )

    @cached_property
    def carriers(self) -> CarrierAccountsService:
        """The Shippo account's carrier accounts and which ones the rate rules use."""
        return CarrierAccountsService(self.carrier_accounts, shipping_config(self.settings).rules)

    @cached_property
    def labels(self) -> LabelService:
        return LabelService(self.shipping)

    @cached_property
    def tracking(self) -> TrackingService:
        return TrackingService(self.shipping, self.comms)

    @cached_property
    def printing(self) -> PrintService:
        return PrintService(
            self.store,
            self.printers,
            print_roles(self.settings),
            slips=self.slip_renderer,
            station=self.station,
            bus=self.bus,
            clock=self.clock,
            location_code=self.settings.station.location,
        )

    @cached_property
    def comms(self) -> Comms:
        return Comms(
            self.store,
            self.email_renderer,
            self.email_sender,
            self.clock,
            comms_policy(self.settings, self.shop_name),
        )

    @cached_property
    def outbox(self) -> OutboxService:
        return outbox_service(self, self.outbox_handlers())

    def outbox_handlers(self) -> dict[str, Handler]:
        """The handler of each kind of effect this process delivers.

        E-mails (to customers, the owner, suppliers) always have one; the sender of
        `[email].sender = "none"` says why nothing is sent. Fulfillments and stock changes go
        to Shopify: without Shopify access they wait in the outbox, untouched and listed by
        `packdesk outbox run`, for a process that has it.
        """
        handlers: dict[str, Handler] = {
            "email": self.comms,
            "report": self.analytics.report_mailer,
            "business_email": self.inventory.mail,
        }
        if self.shopify_configured:
            handlers["fulfillment"] = FulfillmentHandler(
                self.upstream,
                notify_customer=shopify_sends_shipping_email(self.settings),
                on_fulfilled=mark_fulfilled(self.station),
            )
            handlers["inventory_adjust"] = InventoryHandler(self.upstream_stock)
            handlers["inventory_set"] = InventoryCountHandler(self.upstream_stock)
        return handlers

    @cached_property
    def inventory(self) -> Inventory:
        """Stock, FBA, alerts, purchase orders, receiving and counts (bootstrap/inventory.py)."""
        return inventory_for(self)

    @cached_property
    def queue(self) -> QueueService:
        return queue_service(self)

    @cached_property
    def health(self) -> HealthService:
        return health_service(self)

    @cached_property
    def packing(self) -> PackingService:
        return packing_service(self)

    @cached_property
    def desk(self) -> StationDesk:
        return station_desk(self)

    @cached_property
    def analytics(self) -> AnalyticsParts:
        return AnalyticsParts(self)

    # -- the process ----------------------------------------------------------------------

    @cached_property
    def jobs(self) -> list[Job]:
        """Every background job this config runs (the TUI and the daemon alike)."""
        return station_jobs(self) + self.analytics.jobs

    @cached_property
    def sync_jobs(self) -> list[Job]:
        """The jobs that keep the database in step with Shopify (`packdesk sync`)."""
        return sync_jobs(self)

    def scheduler(self, scheduled: Sequence[Job]) -> Scheduler:
        """A scheduler holding `scheduled`, not started; `close()` shuts it down."""
        scheduler = Scheduler()
        for job in scheduled:
            scheduler.add(job)
        self._schedulers.append(scheduler)
        return scheduler

    def webhook_receiver(
        self, host: str, port: int
    ) -> tuple[ReceiverServer, QueueWorker[WebhookDelivery]]:
        """The webhook receiver on host:port and its worker, neither started; `close()`
        stops the worker (stop the server first)."""
        server, worker = webhook_receiver_for(
            self.settings,
            self.store.webhooks,
            self.webhooks,
            self.clock.now,
            host=host,
            port=port,
            unsubscribe=self.comms.unsubscribe,
        )
        self._workers.append(worker)
        return server, worker

    def app(self) -> PackdeskApp:
        """The packing station TUI on this container's desk."""
        from packdesk.tui.app import PackdeskApp

        return PackdeskApp(self.desk)

    def close(self) -> None:
        """Stop what runs and close what was built, in order: running syncs end after the
        page they store, jobs finish, then connections close."""
        built = self.__dict__
        if "sync" in built:
            self.sync.stop()
        for scheduler in self._schedulers:
            scheduler.shutdown(wait=True)
        for worker in self._workers:
            worker.stop()
        if "outbox" in built:
            self.outbox.close()
        for name in ("analytics", "sync_client", "outbox_client"):
            if name in built:
                built[name].close()
        if "store" in built and "store" not in self._given:
            self.store.close()

    def __enter__(self) -> Container:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
