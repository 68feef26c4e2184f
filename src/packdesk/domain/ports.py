"""Ports: what the services need from the outside world, as `typing.Protocol`s.

Adapters implement them (SQLite, Shopify, Shippo, printers, email); tests pass fakes. Each
protocol is small so that a fake of it stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.events import Event
from packdesk.domain.models import (
    Address,
    AuditEvent,
    LabelPurchase,
    Location,
    NewOutboxItem,
    NewPrintJob,
    Order,
    OutboxItem,
    OutboxState,
    Parcel,
    PrintJob,
    PrintRole,
    Rate,
    StationOrder,
    SyncStatus,
    Transition,
    Variant,
)
from packdesk.domain.outbox import (
    FulfillmentRequest,
    InventoryAdjustment,
    OutgoingEmail,
    RenderedEmail,
    UpstreamFulfillments,
)
from packdesk.domain.queue import QueueQuery, QueueRow
from packdesk.domain.scanning import PackScan, StationNote
from packdesk.domain.shipping import (
    AddressCheck,
    LabelResult,
    RefundResult,
    ShipmentRequest,
    StoredLabel,
    TrackingStatus,
)
from packdesk.domain.shop import (  # noqa: F401  (the sync's ports live in domain/shop.py)
    CatalogStore,
    OrderSyncStore,
    ShopCatalog,
    ShopOrders,
    ShopPage,
    SyncStateStore,
    WebhookDelivery,
    WebhookInbox,
)
from packdesk.domain.slip import PackingSlip
from packdesk.domain.states import StationState


class StaleState(RuntimeError):
    """The order moved on (another thread or station changed it) since the caller read it."""


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None:
        """Hand an event to whoever listens (TUI, metrics, logs); must not block."""
        ...


class OrderReader(Protocol):
    def get_order(self, order_id: str) -> Order | None: ...

    def find_order_by_name(self, name: str) -> Order | None:
        """The order whose customer-facing name is `name` (`#1001`, `1001` or `#1001 `)."""
        ...


class StationStore(OrderReader, Protocol):
    """The station's state of each order and its audit history."""

    def get_station_order(self, order_id: str) -> StationOrder | None: ...

    def apply_transition(
        self,
        transition: Transition,
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder:
        """Write the new state, its audit row, and its effects in one transaction.

        Raises `StaleState` when the stored state is not `transition.from_state`.
        """
        ...

    def history(self, order_id: str) -> list[AuditEvent]: ...

    def orders_in_states(self, states: Sequence[StationState]) -> list[StationOrder]: ...


class PrinterUnavailable(RuntimeError):
    """The printer cannot take the job now (off, unplugged, queue stopped); the message is a
    sentence for the packer with the fix, and the job stays queued to be retried."""


class PrintRefused(RuntimeError):
    """The printer can never print this job as it is (wrong format for its kind); retrying
    will not help, so the job is marked failed with the sentence saying what to change."""


class Printer(Protocol):
    """One configured printer. `send` raises `PrinterUnavailable` or `PrintRefused`."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str:
        """`zpl`, `escpos`, `cups` or `folder`."""
        ...

    def describe_target(self) -> str:
        """Where the printer is, for messages: `tcp://10.0.0.5:9100`, `cups://slips`, ..."""
        ...

    def send(self, document: str, content_type: str, data: bytes) -> None:
        """Print `data` (named `document`, e.g. `1001-label.zpl`) or raise."""
        ...

    def check(self) -> str:
        """Empty when the printer looks ready, else a sentence saying what is wrong."""
        ...


class SlipRenderer(Protocol):
    """Turns a packing slip into bytes for the slip printer's kind (PDF or ESC/POS)."""

    @property
    def content_type(self) -> str: ...

    def render(self, slip: PackingSlip) -> bytes: ...


class ReprintableLabel(Protocol):
    """A bought label's file as stored for reprints, with the package it belongs to."""

    @property
    def package_no(self) -> int: ...

    @property
    def content_type(self) -> str: ...

    @property
    def data(self) -> bytes: ...


class PrintJobStore(OrderReader, Protocol):
    """Print jobs as rows holding their bytes, and what reprints and slips read."""

    def add_print_job(self, job: NewPrintJob, at: datetime) -> PrintJob: ...

    def get_print_job(self, job_id: int) -> PrintJob | None: ...

    def print_job_data(self, job_id: int) -> bytes: ...

    def queued_print_jobs(self) -> list[PrintJob]:
        """Every QUEUED job, oldest first."""
        ...

    def recent_print_jobs(self, limit: int = 50) -> list[PrintJob]:
        """The newest jobs in any state, newest first."""
        ...

    def claim_print_job(self, job_id: int, now: datetime, until: datetime) -> bool:
        """Take a due QUEUED job for sending until `until` (so another thread or process
        does not send it too); False when it is not due or not queued any more."""
        ...

    def finish_print_job(self, job_id: int, at: datetime) -> PrintJob: ...

    def fail_print_job(
        self, job_id: int, error: str, next_attempt_at: datetime | None, *, give_up: bool = False
    ) -> PrintJob:
        """Count a failed attempt; the job stays QUEUED until `next_attempt_at`, or becomes
        FAILED when `give_up`."""
        ...

    def reschedule_print_jobs(self, printer: str | None, at: datetime) -> int:
        """Make QUEUED jobs (of one printer, or all) due at `at`; returns how many."""
        ...

    def last_print_job(self, order_id: str, role: PrintRole) -> PrintJob | None: ...

    def stored_labels(self, order_id: str) -> Sequence[ReprintableLabel]:
        """The newest bought label of each package of the order, package order."""
        ...

    def variant_bins(self, variant_ids: Sequence[str]) -> dict[str, str]:
        """Warehouse bin of each variant that has one."""
        ...


# --- Shipping (issue 5) --------------------------------------------------------------------


class Carrier(Protocol):
    """A shipping API (Shippo). Methods raise `CarrierUnavailable` when the outcome is
    unknown and `CarrierRefused` with a sentence when the carrier said no."""

    def validate_address(self, address: Address) -> AddressCheck: ...

    def get_rates(self, shipment: ShipmentRequest) -> list[Rate]: ...

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        """Buy synchronously (`async: false`) with `metadata_key` in the transaction's
        metadata, so that a lost answer can be found again."""
        ...

    def find_transactions_by_key(
        self, key: str, *, rate_id: str, since: datetime
    ) -> list[LabelResult]:
        """Transactions whose metadata is `key` (reconciliation), oldest first: among those
        of `rate_id` when given (a short list), else among those created after `since`."""
        ...

    def get_transaction(self, transaction_id: str) -> LabelResult: ...

    def download_label(self, label_url: str) -> bytes: ...

    def refund(self, transaction_id: str) -> RefundResult: ...

    def track(self, carrier: str, tracking_number: str) -> TrackingStatus: ...


class ShippingStore(StationStore, Protocol):
    """Packages, rates, label purchases and label files (SQL in adapters/store/shipping.py)."""

    def shipping_variants(self, variant_ids: Sequence[str]) -> dict[str, Variant]: ...

    def ship_from(self, location_code: str) -> Location | None: ...

    def get_packages(self, order_id: str) -> list[Parcel]: ...

    def save_packages(self, order_id: str, parcels: Sequence[Parcel], *, overridden: bool) -> None:
        """Replace the order's packages."""
        ...

    def save_rates(
        self,
        order_id: str,
        package_no: int,
        rates: Sequence[Rate],
        chosen_id: str | None,
        reason: str,
    ) -> None:
        """Replace the package's rates, marking the chosen one with its reason."""
        ...

    def get_rates(self, order_id: str, package_no: int) -> list[Rate]: ...

    def chosen_rate(self, order_id: str, package_no: int) -> tuple[Rate | None, str]:
        """The chosen rate of the package (None if nothing qualified) and the reason."""
        ...

    def add_purchase(self, purchase: LabelPurchase) -> None:
        """Insert a PENDING purchase row; raises `DuplicatePurchase` when its key exists."""
        ...

    def claim_purchase(self, key: str, owner: str, *, now: datetime, until: datetime) -> bool:
        """Claim a purchase row for one process until `until`; False while another
        process's claim runs (it is sending or reconciling that purchase)."""
        ...

    def release_purchase(self, key: str, owner: str) -> None: ...

    def update_purchase(self, purchase: LabelPurchase) -> None: ...

    def get_purchase(self, key: str) -> LabelPurchase | None: ...

    def purchases_for(self, order_id: str) -> list[LabelPurchase]:
        """Every purchase row of the order, by package and attempt."""
        ...

    def pending_purchases(self) -> list[LabelPurchase]: ...

    def record_void(
        self,
        voided: Sequence[tuple[str, str]],
        *,
        reason: str,
        transition: Transition,
    ) -> StationOrder:
        """Mark purchases (key, refund id) VOIDED, stop their undelivered fulfillment
        effects, and move the order, in one transaction."""
        ...

    def save_address_check(self, order_id: str, check: AddressCheck, at: datetime) -> None: ...

    def address_check(self, order_id: str) -> AddressCheck | None: ...

    def record_labels(
        self,
        purchases: Sequence[tuple[LabelPurchase, StoredLabel]],
        transition: Transition | None,
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder | None:
        """Store bought purchases with their label files and (optionally) the order's
        transition with its effects, all in ONE transaction."""
        ...

    def get_label(self, purchase_key: str) -> StoredLabel | None: ...


class DuplicatePurchase(RuntimeError):
    """A purchase row with that key exists already (another thread or process wrote it)."""


class OutboxStore(Protocol):
    """Outbox rows: claimed under a lease, settled by the worker that claimed them."""

    def schedule_outbox(self, items: Sequence[tuple[NewOutboxItem, datetime]], at: datetime) -> int:
        """Insert items due at the given times (a known dedupe key is ignored); count new."""
        ...

    def claim_outbox(
        self,
        now: datetime,
        limit: int,
        worker: str,
        lease_until: datetime,
        kinds: Sequence[str] | None = None,
    ) -> list[OutboxItem]:
        """Atomically lease up to `limit` due PENDING rows (of `kinds`, when given) to
        `worker` and count an attempt on each; rows leased by another worker whose lease has
        not run out are left alone."""
        ...

    def settle_outbox(
        self, item_id: int, worker: str, state: OutboxState, at: datetime, note: str = ""
    ) -> bool:
        """Mark a claimed row DELIVERED or SKIPPED; False if `worker` no longer holds it."""
        ...

    def fail_outbox(
        self, item_id: int, worker: str, error: str, next_attempt_at: datetime, dead: bool
    ) -> bool:
        """Record a failed attempt: back to PENDING at `next_attempt_at`, or DEAD."""
        ...

    def retry_outbox(self, item_id: int, at: datetime) -> bool:
        """Revive a DEAD row (attempts start again); False if it is not DEAD."""
        ...

    def retry_all_outbox(self, at: datetime) -> int: ...

    def get_outbox(self, item_id: int) -> OutboxItem | None: ...

    def list_outbox(
        self, states: Sequence[OutboxState] = (), limit: int = 200
    ) -> list[OutboxItem]: ...

    def outbox_counts(self) -> dict[OutboxState, int]: ...


class SuppressionList(Protocol):
    def is_suppressed(self, email: str) -> bool: ...

    def suppress_email(self, email: str, reason: str, at: datetime) -> None: ...

    def unsuppress_email(self, email: str) -> bool: ...


class FollowupStore(OrderReader, Protocol):
    """Orders delivered to the customer whose after-delivery emails are not planned yet."""

    def delivered_without_followups(self, limit: int = 100) -> list[tuple[str, datetime]]:
        """(order id, delivered at) of DELIVERED orders not yet planned."""
        ...

    def plan_followups(
        self,
        order_id: str,
        delivered_at: datetime,
        items: Sequence[tuple[NewOutboxItem, datetime]],
        at: datetime,
    ) -> None:
        """Write the order's follow-up rows and its planned mark in one transaction."""
        ...

    def recent_station_orders_without(
        self, dedupe_prefix: str, since: datetime, limit: int = 100
    ) -> list[str]:
        """Ids of orders at the station created after `since` that have no outbox row whose
        key is `dedupe_prefix` + order id (for order confirmations)."""
        ...


class ShopFulfillments(Protocol):
    """Shopify fulfillments, for the outbox's `fulfillment` items."""

    def upstream_fulfillments(self, order_id: str) -> UpstreamFulfillments:
        """The order's fulfillment order statuses and existing tracking numbers."""
        ...

    def create_fulfillment(self, request: FulfillmentRequest) -> str:
        """Create the fulfillment; return its id. Raises `DeliveryFailed`."""
        ...


class ShopInventory(Protocol):
    def adjust_inventory(self, adjustment: InventoryAdjustment) -> None:
        """Apply a stock change at a location. Raises `DeliveryFailed`."""
        ...


class EmailRenderer(Protocol):
    def render(self, template: str, context: dict[str, object]) -> RenderedEmail:
        """Subject, text and HTML of an email template; raises ValueError on template errors."""
        ...

    def guide(self, sku: str) -> tuple[str, str, str] | None:
        """The usage guide for a SKU as (title, text, html), or None when it has none."""
        ...

    def generic_guide(self) -> tuple[str, str, str]: ...

    def logo(self) -> bytes | None:
        """The shop's logo PNG, if one is configured or shipped."""
        ...


class EmailSender(Protocol):
    def send(self, email: OutgoingEmail) -> None:
        """Hand the email to SMTP or SendGrid. Raises `DeliveryFailed`."""
        ...


# --- Packing station (issue 7): the pack session's store and the steps after the last scan.


class PackingStore(StationStore, Protocol):
    """What a pack session reads and writes: variants, scans, the package and its rate."""

    def packing_variants(self, variant_ids: Sequence[str]) -> dict[str, Variant]:
        """The variants with these ids that the local catalog has, by id."""
        ...

    def variant_for_code(self, code: str) -> Variant | None:
        """The variant whose barcode is `code`, else whose SKU is `code` (any case)."""
        ...

    def scanned_quantities(self, order_id: str) -> dict[str, int]:
        """Items scanned so far per line item id (the sum of the order's pack_scans)."""
        ...

    def add_pack_scan(
        self, order_id: str, line_item_id: str, code: str, quantity: int, at: datetime
    ) -> int:
        """Record a scan (or a manual quantity change) and return its row id."""
        ...

    def remove_last_pack_scan(self, order_id: str) -> PackScan | None:
        """Delete and return the order's latest scan, if any."""
        ...

    def clear_pack_scans(self, order_id: str) -> int:
        """Delete every scan of the order; return how many there were."""
        ...

    def get_package(self, order_id: str, package_no: int = 1) -> Parcel | None: ...

    def save_package(self, order_id: str, parcel: Parcel, *, weight_overridden: bool) -> None: ...

    def chosen_rate(self, order_id: str, package_no: int) -> tuple[Rate | None, str]:
        """The rate chosen for the package (None when none could be) and the reason."""
        ...

    def add_station_note(self, order_id: str, text: str, *, actor: str, at: datetime) -> None: ...

    def station_notes(self, order_id: str) -> list[StationNote]: ...


class LabelBuyer(Protocol):
    """Buys the label of a PACKED order by the exactly-once protocol (the shipping service)."""

    def buy(self, order_id: str, *, actor: str) -> LabelPurchase: ...


class SlipPrinter(Protocol):
    """Queues the packing slip of an order and sends queued jobs (the printing service)."""

    def enqueue_slip(self, order_id: str) -> object: ...

    def run_once(self) -> object: ...


class QueueStore(StationStore, Protocol):
    """What the queue, health and order detail read."""

    def location_id_for_code(self, code: str) -> str: ...

    def queue_rows(self, query: QueueQuery) -> list[QueueRow]: ...

    def sync_statuses(self) -> list[SyncStatus]: ...

    def outbox_backlog(self) -> tuple[int, int, str]:
        """Pending and stopped outbox rows, and the latest error among them."""
        ...

    def print_job_counts(self) -> dict[str, tuple[int, int, str]]: ...

    def webhook_counts(self) -> tuple[int, int, str | None, str]: ...

    def labels_pending(self) -> int: ...

    def purchases_for(self, order_id: str) -> list[LabelPurchase]: ...

    def print_jobs_for(self, order_id: str) -> list[PrintJob]: ...


class PackageEditor(Protocol):
    """The order's packages as the shipping service chooses them, and the packer's edits
    (which drop the rates quoted for the old package)."""

    def packages(self, order: Order) -> list[Parcel]: ...

    def set_package(
        self, order: Order, *, box: str | None = None, weight_g: float | None = None
    ) -> list[Parcel]: ...
