"""What packdesk exchanges with a carrier API (Shippo): requests, results and failures.

Two kinds of failure matter to the exactly-once protocol and are kept apart:
`CarrierUnavailable` (network gone, timeout, 5xx, 429: the outcome of a purchase is unknown,
so the purchase row stays PENDING and is reconciled) and `CarrierRefused` (the carrier
answered no, with a sentence for the packer: nothing was bought).
"""

from __future__ import annotations

from datetime import datetime

from packdesk.domain.customs import CustomsDeclaration
from packdesk.domain.models import Address, Model, Parcel

CARRIER_WAIT = "label pending"
"""How the reason of a PACKED order starts while its label purchase waits for the carrier to
be reachable again; the background job retries exactly those orders."""


def carrier_wait_reason(why: str) -> str:
    """The reason of an order whose label waits for the carrier, saying why."""
    return f"{CARRIER_WAIT} — Shippo unreachable ({why}); retrying in the background"


def unclear_wait_reason(settle_at: datetime) -> str:
    """The reason of an order whose last purchase request may have bought a label: nothing
    is bought again before Shippo has been asked at `settle_at`."""
    return (
        f"{CARRIER_WAIT} — the label may have been bought; checking with Shippo at "
        f"{clock_time(settle_at)} before buying again"
    )


def clock_time(at: datetime) -> str:
    """A moment as the station's wall clock shows it (14:03:27)."""
    return at.astimezone().strftime("%H:%M:%S")


def waits_for_carrier(reason: str) -> bool:
    """Whether an order's reason says its label waits for the carrier."""
    return reason.startswith(CARRIER_WAIT)


class CarrierError(Exception):
    """Base of carrier failures; `str()` is a sentence a packer can act on."""


class CarrierUnavailable(CarrierError):
    """No usable answer (network, timeout, 5xx, 429): the outcome is unknown."""

    def __init__(
        self, message: str, *, retry_after_s: float | None = None, sent: bool = True
    ) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.sent = sent
        """False when the request surely did nothing (a 429, a refused connection)."""


class CarrierRefused(CarrierError):
    """The carrier answered and refused; nothing happened upstream."""


class AddressCheck(Model):
    valid: bool
    messages: tuple[str, ...] = ()
    """The carrier's own words about what is wrong (or doubtful) with the address."""


class ShipmentRequest(Model):
    """One parcel from a location to a customer, with customs when it leaves the US."""

    order_id: str
    ship_from: Address
    ship_to: Address
    parcel: Parcel
    customs: CustomsDeclaration | None = None


class LabelResult(Model):
    """A Shippo transaction as packdesk needs it."""

    transaction_id: str
    status: str
    """SUCCESS, ERROR, QUEUED, WAITING, REFUNDED, ..."""
    metadata: str = ""
    rate_id: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    label_url: str = ""
    messages: tuple[str, ...] = ()
    created_at: datetime | None = None

    @property
    def bought(self) -> bool:
        return self.status == "SUCCESS"


class RefundResult(Model):
    refund_id: str
    status: str
    """QUEUED, PENDING, SUCCESS or ERROR."""


class TrackingStatus(Model):
    status: str
    """PRE_TRANSIT, TRANSIT, DELIVERED, RETURNED, FAILURE or UNKNOWN."""
    at: datetime | None = None
    details: str = ""


class StoredLabel(Model):
    """A label file kept in the database, so that reprints need no network."""

    format: str
    content_type: str
    data: bytes


class LabelFile(Model):
    """A bought label's file as stored, with the package it belongs to (for reprints)."""

    package_no: int
    content_type: str
    data: bytes


class ExtraLabel(Model):
    """A second label Shippo made under a purchase key whose package has its label (or
    none): a late completion or a lost race. It is refunded, never stored or printed."""

    transaction_id: str
    purchase_key: str
    order_id: str
    package_no: int
    tracking_number: str = ""
    found_at: datetime
    refund_id: str = ""
    refunded_at: datetime | None = None
    error: str = ""
    """Why the refund was refused, while it is."""
