"""Inventory, wired from Settings: the stock view with its reorder policy, FBA imports (a
report parser, and Amazon's SP-API when [amazon] is on), low-stock alerts and the owner's
digest, suppliers and purchase orders with their PDF and CSV, receiving, cycle counts, the
outbox's handler of e-mails to the owner and suppliers, and the jobs that run them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import httpx

from packdesk.adapters.amazon.lwa import LwaTokens
from packdesk.adapters.amazon.report import parse_report
from packdesk.adapters.amazon.spapi import Pacing, SpApiFba
from packdesk.adapters.documents.purchase_order import PurchaseOrderDocuments
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import Clock
from packdesk.domain.inventory.fba import FbaSnapshot
from packdesk.domain.inventory.reorder import ReorderPolicy
from packdesk.domain.models import StockLevel
from packdesk.domain.ports import EmailSender
from packdesk.jobs.bus import EventBus
from packdesk.jobs.tasks import Job, check_stock, sync_fba
from packdesk.services.inventory.alerts import DigestPolicy, StockAlerts
from packdesk.services.inventory.counting import Counting
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.services.inventory.fba import FbaService
from packdesk.services.inventory.mail import BusinessMail
from packdesk.services.inventory.purchasing import PurchaseOrders
from packdesk.services.inventory.receiving import Receiving
from packdesk.services.inventory.stock import StockService
from packdesk.services.inventory.suppliers import Suppliers
from packdesk.services.sync import SyncService
from packdesk.settings import AmazonSettings, Settings

log = logging.getLogger(__name__)


class Services(Protocol):
    """What inventory is made of (the container has it all, built on first use)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def bus(self) -> EventBus: ...
    @property
    def store(self) -> SqliteStore: ...
    @property
    def sync(self) -> SyncService: ...
    @property
    def email_sender(self) -> EmailSender: ...
    @property
    def shop_name(self) -> str: ...
    @property
    def shopify_configured(self) -> bool: ...


@dataclass(frozen=True)
class Inventory:
    """Every inventory service of one process."""

    stock: StockService
    fba: FbaService
    alerts: StockAlerts
    suppliers: Suppliers
    purchasing: PurchaseOrders
    receiving: Receiving
    counting: Counting
    mail: BusinessMail

    def desk(self, clock: Clock, location_code: str) -> InventoryDesk:
        """The Stock, Receive and Count screens' facade, for the station at a location."""
        return InventoryDesk(
            clock, self.stock, self.alerts, self.receiving, self.counting, location_code
        )


class AmazonFba:
    """The `FbaSource` on Amazon's SP-API, each read on a connection of its own."""

    def __init__(self, settings: AmazonSettings) -> None:
        self.settings = settings

    def fetch(self) -> FbaSnapshot:
        a = self.settings
        with httpx.Client(timeout=a.timeout_s) as http:
            tokens = LwaTokens(
                http,
                client_id=a.client_id,
                client_secret=a.client_secret.get_secret_value(),
                refresh_token=a.refresh_token.get_secret_value(),
                url=a.token_endpoint,
            )
            return SpApiFba(
                tokens,
                http,
                marketplace_id=a.marketplace_id,
                endpoint=a.endpoint,
                source=a.source,
                pacing=Pacing(report_poll_s=a.report_poll_s, report_wait_s=a.report_wait_s),
            ).fetch()


def reorder_policy(settings: Settings) -> ReorderPolicy:
    i = settings.inventory
    return ReorderPolicy(
        window_days=i.window_days,
        service_level=i.service_level,
        safety=i.safety,
        safety_days=i.safety_days,
        days_of_cover=i.days_of_cover,
        default_lead_time_days=i.lead_time_days,
        overstock_days=i.overstock_days,
    )


def inventory_for(c: Services) -> Inventory:
    s = c.settings
    stock = StockService(c.store, c.clock, reorder_policy(s), plan_fba=s.inventory.plan_fba)
    suppliers = Suppliers(c.store, c.clock, stock)
    actor = s.station.name
    sync = c.sync if c.shopify_configured else None

    def read_level(inventory_item_id: str, location_id: str) -> StockLevel | None:
        """Shopify's level now; the stored one when Shopify cannot be asked (the count is
        still compared with what Shopify holds when it is set)."""
        if sync is not None:
            try:
                return sync.sync_stock_level(inventory_item_id, location_id)
            except Exception:
                log.warning(
                    "Cannot read %s at %s from Shopify; counting from the stored level",
                    inventory_item_id,
                    location_id,
                    exc_info=True,
                )
        found = [
            lv
            for lv in c.store.catalog.stock_levels(inventory_item_id)
            if lv.location_id == location_id
        ]
        return found[0] if found else None

    return Inventory(
        stock=stock,
        fba=FbaService(
            c.store,
            stock,
            c.clock,
            c.bus,
            parse=parse_report,
            source=AmazonFba(s.amazon) if s.amazon.enabled else None,
        ),
        alerts=StockAlerts(
            c.store,
            stock,
            c.clock,
            c.bus,
            DigestPolicy(
                owner_email=s.inventory.owner_email,
                daily=s.inventory.digest == "daily",
                hour=s.inventory.digest_hour,
                shop_name=c.shop_name,
            ),
        ),
        suppliers=suppliers,
        purchasing=PurchaseOrders(
            c.store,
            c.clock,
            c.bus,
            stock,
            PurchaseOrderDocuments(),
            suppliers,
            shop_name=c.shop_name,
        ),
        receiving=Receiving(c.store, c.clock, c.bus, stock, actor=actor),
        counting=Counting(c.store, c.clock, c.bus, stock, read_level, actor=actor),
        mail=BusinessMail(c.email_sender, from_address=s.email.from_address, from_name=c.shop_name),
    )


def inventory_jobs(settings: Settings, inventory: Inventory) -> list[Job]:
    """The low-stock check always; FBA reads when [amazon] is on with `every_min`."""
    jobs = [
        Job(
            "check_stock",
            partial(check_stock, inventory.alerts),
            settings.inventory.check_every_min * 60,
        ),
    ]
    if settings.amazon.enabled and settings.amazon.every_min:
        jobs.append(
            Job("sync_fba", partial(sync_fba, inventory.fba), settings.amazon.every_min * 60)
        )
    return jobs
