"""Ports: what the services need from the outside world, as `typing.Protocol`s.

Adapters implement them; tests pass fakes. By concern:

- the store: `Store` (`store`) and its repositories, one per aggregate: orders and the
  catalog (`orders`), the station's records (`station`), shipments and label purchases
  (`labels`), print jobs (`print_jobs`), the outbox (`outbox`), sync state and the webhook
  inbox (`sync`), the read model of the queue and health figures (`views`), stock, FBA
  imports, alerts and counts (`inventory`), suppliers and purchase orders (`purchasing`);
- Shopify (`shop`), the carrier (`carrier`), printers (`printers`), email (`email`), Amazon's
  FBA stock (`inventory`), purchase order documents (`purchasing`);
- the event bus (`events`).

Every port is importable from this package.
"""

from packdesk.domain.ports.carrier import Carrier, CarrierAccounts
from packdesk.domain.ports.email import EmailRenderer, EmailSender
from packdesk.domain.ports.events import EventPublisher, EventSource
from packdesk.domain.ports.inventory import (
    FbaReportParser,
    FbaSource,
    FbaUnavailable,
    InventoryRepository,
)
from packdesk.domain.ports.labels import DuplicatePurchase, LabelRepository, ShipmentRepository
from packdesk.domain.ports.orders import CatalogRepository, OrderRepository
from packdesk.domain.ports.outbox import OutboxRepository
from packdesk.domain.ports.print_jobs import PrintJobRepository
from packdesk.domain.ports.printers import Printer, PrinterUnavailable, PrintRefused, SlipRenderer
from packdesk.domain.ports.purchasing import PurchaseOrderDocuments, PurchasingRepository
from packdesk.domain.ports.shop import (
    ShopCatalog,
    ShopFulfillments,
    ShopInventory,
    ShopOrders,
    ShopWebhooks,
)
from packdesk.domain.ports.station import StaleState, StationRepository
from packdesk.domain.ports.store import Store
from packdesk.domain.ports.sync import SyncStateRepository, WebhookInbox
from packdesk.domain.ports.views import DeskViews

__all__ = [
    "Carrier",
    "CarrierAccounts",
    "CatalogRepository",
    "DeskViews",
    "DuplicatePurchase",
    "EmailRenderer",
    "EmailSender",
    "EventPublisher",
    "EventSource",
    "FbaReportParser",
    "FbaSource",
    "FbaUnavailable",
    "InventoryRepository",
    "LabelRepository",
    "OrderRepository",
    "OutboxRepository",
    "PrintJobRepository",
    "PrintRefused",
    "Printer",
    "PrinterUnavailable",
    "PurchaseOrderDocuments",
    "PurchasingRepository",
    "ShipmentRepository",
    "ShopCatalog",
    "ShopFulfillments",
    "ShopInventory",
    "ShopOrders",
    "ShopWebhooks",
    "SlipRenderer",
    "StaleState",
    "StationRepository",
    "Store",
    "SyncStateRepository",
    "WebhookInbox",
]
