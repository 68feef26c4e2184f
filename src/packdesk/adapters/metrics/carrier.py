"""The carrier, timed: every label purchase is counted by its result and its seconds go into
a histogram, whoever buys it (the pack screen, `packdesk ship`, the retry job)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from packdesk.domain.models import Address, Rate
from packdesk.domain.ports import Carrier
from packdesk.domain.shipping import (
    AddressCheck,
    CarrierRefused,
    CarrierUnavailable,
    LabelResult,
    RefundResult,
    ShipmentRequest,
    TrackingStatus,
)

Observe = Callable[[str, float], None]
"""Called with the purchase's result and its seconds: `bought`; `refused` (the carrier said
no); `pending` (Shippo is still making it); `unavailable` (no answer, or an unclear one);
`error` (anything else)."""


class MeteredCarrier:
    """A `Carrier` that reports each `buy_label` to `observe` and otherwise passes through."""

    def __init__(
        self, carrier: Carrier, observe: Observe, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.carrier = carrier
        self.observe = observe
        self.monotonic = monotonic

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        started = self.monotonic()
        result = "error"
        try:
            answer = self.carrier.buy_label(rate_id, label_format, metadata_key)
            if answer.bought:
                result = "bought"
            else:
                result = "pending" if answer.status in ("QUEUED", "WAITING") else "refused"
            return answer
        except CarrierRefused:
            result = "refused"
            raise
        except CarrierUnavailable:
            result = "unavailable"
            raise
        finally:
            self.observe(result, self.monotonic() - started)

    def validate_address(self, address: Address) -> AddressCheck:
        return self.carrier.validate_address(address)

    def get_rates(self, shipment: ShipmentRequest) -> list[Rate]:
        return self.carrier.get_rates(shipment)

    def find_transactions_by_key(
        self, key: str, *, rate_id: str, since: datetime
    ) -> list[LabelResult]:
        return self.carrier.find_transactions_by_key(key, rate_id=rate_id, since=since)

    def list_transactions(self, *, since: datetime) -> list[LabelResult]:
        return self.carrier.list_transactions(since=since)

    def get_transaction(self, transaction_id: str) -> LabelResult:
        return self.carrier.get_transaction(transaction_id)

    def download_label(self, label_url: str) -> bytes:
        return self.carrier.download_label(label_url)

    def refund(self, transaction_id: str) -> RefundResult:
        return self.carrier.refund(transaction_id)

    def track(self, carrier: str, tracking_number: str) -> TrackingStatus:
        return self.carrier.track(carrier, tracking_number)
