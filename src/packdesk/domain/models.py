"""The nouns of the packing station as pydantic models.

Weights are grams and lengths centimetres everywhere inside packdesk; adapters convert at the
edge (Shopify sends its own units, Shippo takes `g`/`cm`). Money is `Decimal` in the order's
currency. Identifiers are the upstream ones (Shopify GIDs such as
`gid://shopify/Order/1001`, Shippo object ids) so that every row can be traced back.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from packdesk.domain.base import Model as Model
from packdesk.domain.fulfillments import Fulfillment
from packdesk.domain.records import (
    NewOutboxItem as NewOutboxItem,
)
from packdesk.domain.records import (
    NewPrintJob as NewPrintJob,
)
from packdesk.domain.records import (
    OutboxItem as OutboxItem,
)
from packdesk.domain.records import (
    OutboxState as OutboxState,
)
from packdesk.domain.records import (
    PrintJob as PrintJob,
)
from packdesk.domain.records import (
    PrintJobState as PrintJobState,
)
from packdesk.domain.records import (
    PrintRole as PrintRole,
)
from packdesk.domain.records import (
    SyncStatus as SyncStatus,
)
from packdesk.domain.records import (
    Transition as Transition,
)
from packdesk.domain.sales import OrderSales
from packdesk.domain.states import StationState


class Location(Model):
    """A place stock is kept: the CA and PA warehouses (Shopify locations) or Amazon FBA."""

    id: str
    name: str
    code: str
    """Short code used in config and on screen: `CA`, `PA`, `FBA`."""
    is_shopify: bool = True
    active: bool = True
    address: Address | None = None
    """Where parcels ship from (the label's sender address)."""

    def answers_to(self, wanted: str) -> bool:
        """Whether [station].location means this location: its code, its name (any case),
        its GID or the number at the end of it (`72001001`)."""
        text = wanted.strip()
        if not text:
            return False
        if text.upper() in (self.code.upper(), self.name.strip().upper()) or text == self.id:
            return True
        return text.isdigit() and self.id.rsplit("/", 1)[-1] == text


class Variant(Model):
    """A sellable item: what the scanner reads and what goes in the box."""

    id: str
    product_id: str
    product_title: str
    title: str = ""
    sku: str = ""
    barcode: str = ""
    inventory_item_id: str = ""
    price: Decimal = Decimal("0")
    weight_g: float = 0.0
    length_cm: float = 0.0
    width_cm: float = 0.0
    height_cm: float = 0.0
    bin: str = ""
    """Shelf position in the warehouse, shown on the pack screen and the slip."""
    unit_cost: Decimal | None = None
    """What one unit costs the merchant (Shopify's InventoryItem.unitCost); None: unknown."""
    cost_currency: str = ""
    vendor: str = ""
    hs_code: str = ""
    """Harmonized System code from the product's customs information in Shopify; "" if none."""
    origin_country: str = ""
    """Country of origin (ISO code) from the same customs information; "" if none."""
    updated_at: datetime | None = None

    @property
    def display_title(self) -> str:
        if not self.product_title:  # its product is not synced yet
            return self.title
        if self.title and self.title != "Default Title":
            return f"{self.product_title} — {self.title}"
        return self.product_title


class StockLevel(Model):
    """Stock of one inventory item at one location."""

    inventory_item_id: str
    location_id: str
    available: int
    on_hand: int
    committed: int = 0
    incoming: int = 0
    updated_at: datetime | None = None


class Address(Model):
    name: str = ""
    company: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    province_code: str = ""
    zip: str = ""
    country_code: str = "US"
    phone: str = ""
    email: str = ""

    @property
    def is_domestic(self) -> bool:
        return self.country_code.upper() == "US"

    def one_line(self) -> str:
        parts = [self.city, self.province_code, self.zip, self.country_code]
        return ", ".join(p for p in parts if p)


class Customer(Model):
    id: str = ""
    name: str = ""
    email: str = ""
    accepts_marketing: bool = False


class LineItem(Model):
    id: str
    variant_id: str = ""
    sku: str = ""
    title: str
    variant_title: str = ""
    quantity: int
    """Quantity still on the order after edits (Shopify's `currentQuantity`)."""
    requires_shipping: bool = True
    price: Decimal = Decimal("0")


class ShippingLine(Model):
    title: str
    code: str = ""
    source: str = ""
    price: Decimal = Decimal("0")


class FulfillmentOrderLine(Model):
    id: str
    line_item_id: str
    total_quantity: int
    remaining_quantity: int


class FulfillmentOrder(Model):
    """Shopify's unit of work for one location: the lines it still has to ship."""

    id: str
    order_id: str
    location_id: str
    status: str
    """Shopify's FulfillmentOrderStatus: OPEN, IN_PROGRESS, CLOSED, CANCELLED, ON_HOLD, ..."""
    lines: tuple[FulfillmentOrderLine, ...] = ()
    updated_at: datetime | None = None


class Order(Model):
    """A Shopify order as packdesk keeps it locally."""

    id: str
    name: str
    """What the customer sees, e.g. `#1001`."""
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    closed_at: datetime | None = None
    financial_status: str = ""
    fulfillment_status: str = ""
    email: str = ""
    customer: Customer = Field(default_factory=Customer)
    shipping_address: Address | None = None
    shipping_lines: tuple[ShippingLine, ...] = ()
    line_items: tuple[LineItem, ...] = ()
    fulfillment_orders: tuple[FulfillmentOrder, ...] = ()
    fulfillments: tuple[Fulfillment, ...] | None = ()
    """The parcels already shipped; None when the read that made this order left them out
    (a page of orders), and the store then keeps the ones it has."""
    note: str = ""
    tags: tuple[str, ...] = ()
    total_price: Decimal = Decimal("0")
    currency: str = "USD"
    """The shop's currency, in which every amount here is (Shopify's shop money)."""
    presentment_currency: str = ""
    """The currency the customer paid in, when it differs from the shop's."""
    sales: OrderSales | None = None
    """Subtotal, discounts, returns, tax and shipping in shop money; None: not read yet."""

    @property
    def customer_key(self) -> str:
        """Who ordered, for customer analytics: the customer's id, else the e-mail address."""
        return self.customer.id or (self.email or self.customer.email).strip().lower()

    @property
    def number(self) -> str:
        """The order name without its `#`, used in file names (`1001-label.zpl`)."""
        return self.name.lstrip("#")

    @property
    def shipping_title(self) -> str:
        return self.shipping_lines[0].title if self.shipping_lines else ""

    @property
    def item_count(self) -> int:
        return sum(li.quantity for li in self.line_items if li.requires_shipping)


class StationOrder(Model):
    """An order's place at the station: its state and what is wrong with it."""

    order_id: str
    state: StationState
    held_from: StationState | None = None
    """The state a held order returns to when released."""
    reason: str = ""
    """Why it is on hold, in error or cancelled, as a sentence for the packer."""
    updated_at: datetime


class AuditEvent(Model):
    """One line of an order's history at the station."""

    order_id: str
    at: datetime
    from_state: StationState | None
    to_state: StationState
    actor: str
    reason: str = ""


class Box(Model):
    """A box from the catalog in config: inner dimensions, tare, and what it can carry."""

    name: str
    length_cm: float
    width_cm: float
    height_cm: float
    tare_g: float = 0.0
    max_weight_g: float = 30000.0


class Parcel(Model):
    """One package of an order: a box and its weight with items and tare."""

    package_no: int = 1
    box: str
    length_cm: float
    width_cm: float
    height_cm: float
    weight_g: float


class Rate(Model):
    """A price a carrier quoted for one package."""

    id: str
    shipment_id: str
    carrier: str
    """Carrier name as shown: USPS, UPS, FedEx."""
    service_token: str
    service_name: str
    amount: Decimal
    currency: str = "USD"
    estimated_days: int | None = None
    attributes: tuple[str, ...] = ()
    fetched_at: datetime
    zone: str = ""
    """The carrier's zone for this parcel ("1".."8", "INTL"), when Shippo gives one."""

    def describe(self) -> str:
        return f"{self.carrier} {self.service_name} ${self.amount:.2f}"


class PurchaseState(StrEnum):
    PENDING = "PENDING"
    """Row written before the Shippo call; the outcome is not known yet."""
    BOUGHT = "BOUGHT"
    FAILED = "FAILED"
    """Shippo refused; nothing was bought."""
    VOIDED = "VOIDED"


class LabelPurchase(Model):
    """One attempt to buy a label, keyed `order:<id>:pkg:<n>:try:<k>` (DESIGN.md)."""

    key: str
    order_id: str
    package_no: int
    attempt: int
    state: PurchaseState
    rate_id: str = ""
    transaction_id: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    carrier: str = ""
    service_name: str = ""
    label_format: str = ""
    label_url: str = ""
    cost: Decimal = Decimal("0")
    fee: Decimal = Decimal("0")
    currency: str = "USD"
    error: str = ""
    created_at: datetime
    updated_at: datetime
    claimed_by: str = ""
    """The process working on the purchase (`host/pid/id`); empty when none is."""
    claimed_until: datetime | None = None
    """When that claim lapses for a process that cannot tell whether its holder is gone."""
    sent_at: datetime | None = None
    """When the last purchase request under this key went to the carrier."""
    unclear: bool = False
    """The last request may have bought a label (its answer was lost): nothing is sent
    again under this key until the carrier has been asked after the grace period."""

    @staticmethod
    def make_key(order_id: str, package_no: int, attempt: int) -> str:
        return f"order:{order_id}:pkg:{package_no}:try:{attempt}"


Location.model_rebuild()
