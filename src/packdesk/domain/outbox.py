"""Values the outbox worker passes to its delivery ports (Shopify, email senders).

They live in the domain so that services and adapters share them without importing each
other: a fulfillment to create, a stock change, a rendered email ready to send.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Literal

from pydantic import Field

from packdesk.domain.models import Model


class DeliveryFailed(Exception):
    """Delivering an outbox item failed.

    `permanent` means that retrying cannot help (Shopify refused the input, the address is
    malformed): the worker marks the item DEAD at once instead of backing off.

    `unclear` means the request went out and its answer was lost (a timeout or a dropped
    connection while waiting): the upstream service may have done it. A service without an
    idempotency key (SendGrid) cannot be asked, so a resend may make a second copy; the
    worker resends such an item only a set number of times (`OutboxPolicy.max_unclear`).
    """

    def __init__(self, message: str, *, permanent: bool = False, unclear: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.unclear = unclear


class Outcome(StrEnum):
    """What a handler did with an item."""

    DELIVERED = "DELIVERED"
    """Done now, or found already done upstream (idempotent delivery)."""
    SKIPPED = "SKIPPED"
    """Deliberately not sent: the kind is switched off, the address is suppressed, ..."""


class Delivery(Model):
    outcome: Outcome = Outcome.DELIVERED
    note: str = ""
    """Why it was skipped, or that it was found already done upstream."""


class FulfillmentLine(Model):
    id: str
    """Fulfillment order line item id."""
    quantity: int


class FulfillmentOrderLines(Model):
    id: str
    """Fulfillment order id."""
    lines: tuple[FulfillmentLine, ...] = ()


class FulfillmentRequest(Model):
    """`fulfillmentCreate` input: which lines left in which parcel, with its tracking."""

    order_id: str
    fulfillment_orders: tuple[FulfillmentOrderLines, ...]
    tracking_company: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    notify_customer: bool = False


class UpstreamFulfillments(Model):
    """What Shopify already holds for an order, to tell whether a fulfillment is done."""

    fulfillment_order_status: dict[str, str] = Field(default_factory=dict)
    """Status of each of the order's fulfillment orders by id (OPEN, CLOSED, ...)."""
    tracking_numbers: tuple[str, ...] = ()
    """Tracking numbers of the order's existing fulfillments."""


class InventoryAdjustment(Model):
    inventory_item_id: str
    location_id: str
    name: Literal["available", "incoming"] = "available"
    """The quantity changed: `available`, or `incoming` (stock on its way, e.g. ordered on a
    purchase order)."""
    delta: int
    reason: str = "correction"
    """Shopify's inventory change reason (`correction`, `received`, `damaged`, ...)."""
    key: str
    """The outbox dedupe key: Shopify's idempotency key of the change (a repeat after a
    lost answer is answered, not applied again) and, unless `reference`, its reference
    document."""
    reference: str = ""
    """The document the change is made for (a purchase order), as a URI; empty uses the key."""
    ledger_document: str = ""
    """The ledger document of an `incoming` change (Shopify requires one for every name but
    available, and refuses one there)."""


class InventoryCount(Model):
    """A quantity counted at a location, to set in Shopify (a cycle count)."""

    inventory_item_id: str
    location_id: str
    name: Literal["available", "on_hand"] = "available"
    quantity: int
    """What was counted."""
    expected: int | None
    """Shopify's quantity when the count was made. Sent as `changeFromQuantity`, so that a
    change packdesk has not seen (a sale, another count) is never overwritten; None sends
    an explicit null, which sets the quantity whatever Shopify holds."""
    reason: str = "cycle_count_available"
    key: str
    """The outbox dedupe key: Shopify's idempotency key and the reference document."""


class QuantityStale(Exception):
    """Shopify's quantity is no longer the one a write was based on
    (`CHANGE_FROM_QUANTITY_STALE`): re-read it before deciding anything."""


class RenderedEmail(Model):
    subject: str
    text: str
    html: str


class InlineImage(Model):
    content_id: str
    """Without angle brackets, e.g. `logo@packdesk`; the HTML refers to `cid:<content_id>`."""
    filename: str
    mime_type: str = "image/png"
    data: bytes


class Attachment(Model):
    """A file the e-mail carries (the PDF of a report)."""

    filename: str
    mime_type: str = "application/pdf"
    data: bytes


class OutgoingEmail(Model):
    """One customer email, rendered and addressed, ready for SMTP or SendGrid."""

    key: str
    """The outbox dedupe key: one key, one email."""
    message_id: str
    """`<...>` Message-ID derived from the key, the same on every attempt."""
    from_address: str
    from_name: str = ""
    to: str
    subject: str
    text: str
    html: str
    images: tuple[InlineImage, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    unsubscribe_url: str = ""
    """Marketing e-mails: the one-click unsubscribe link (RFC 8058) their `List-Unsubscribe`
    header carries; transactional e-mails have none."""


def message_id_for(key: str, from_address: str) -> str:
    """A stable Message-ID for a dedupe key: a resend after a lost answer carries the same
    id, so that mail systems which de-duplicate by Message-ID show one message."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    domain = from_address.rpartition("@")[2] or "packdesk.invalid"
    return f"<{digest}.packdesk@{domain}>"


def fulfillment_key(purchase_key: str) -> str:
    """The dedupe key of the fulfillment a bought label causes: one per purchase."""
    return f"fulfillment:{purchase_key}"


def email_key(template: str, order_id: str, suffix: str = "") -> str:
    """The dedupe key of an email: one per (template, order) and per `suffix` (a SKU's
    usage guide)."""
    return f"email:{template}:{order_id}{suffix}"
