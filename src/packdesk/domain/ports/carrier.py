"""The shipping API (Shippo) as the label services use it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from packdesk.domain.carriers import CarrierAccount
from packdesk.domain.models import Address, Rate
from packdesk.domain.shipping import (
    AddressCheck,
    LabelResult,
    RefundResult,
    ShipmentRequest,
    TrackingStatus,
)


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

    def list_transactions(self, *, since: datetime) -> list[LabelResult]:
        """Every transaction created at or after `since`, newest first (the sweeper looks
        for extra labels among them)."""
        ...

    def get_transaction(self, transaction_id: str) -> LabelResult: ...

    def download_label(self, label_url: str) -> bytes: ...

    def refund(self, transaction_id: str) -> RefundResult: ...

    def track(self, carrier: str, tracking_number: str) -> TrackingStatus: ...


class CarrierAccounts(Protocol):
    """The carrier accounts of the shipping account (Shippo); `CarrierRefused` when the token
    is refused, `CarrierUnavailable` when Shippo cannot be reached."""

    def carrier_accounts(self) -> list[CarrierAccount]:
        """Every carrier account, active or not, in the order Shippo lists them."""
        ...
