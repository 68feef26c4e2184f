"""An in-memory carrier (a fake of our own `Carrier` port) that can lose answers.

`faults` is a list the next calls of `buy_label` consume: "commit_then_drop" buys and then
raises `CarrierUnavailable` (the answer is lost), "drop" raises before buying, "5xx" and
"429" raise before buying, "crash" buys and then raises `Crash` (a process dying between
the purchase and the store), "refuse" answers a refusal.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from packdesk.domain.models import Address, Rate
from packdesk.domain.shipping import (
    AddressCheck,
    CarrierRefused,
    CarrierUnavailable,
    LabelResult,
    RefundResult,
    ShipmentRequest,
    TrackingStatus,
)

T0 = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)


class Crash(BaseException):
    """The process died: nothing after this point runs."""


SERVICES = [
    ("USPS", "usps_ground_advantage", "Ground Advantage", Decimal("5.12"), 5),
    ("USPS", "usps_priority", "Priority Mail", Decimal("9.40"), 2),
    ("UPS", "ups_ground", "Ground", Decimal("7.80"), 4),
    ("UPS", "ups_next_day_air", "Next Day Air", Decimal("32.10"), 1),
    ("FedEx", "fedex_2_day", "2Day", Decimal("18.25"), 2),
]


class FakeCarrier:
    def __init__(self) -> None:
        self.transactions: list[LabelResult] = []
        self.refunds: list[str] = []
        self.faults: list[str] = []
        self.rate_faults: list[str] = []
        self.unreachable = False
        self.tracking: dict[str, str] = {}
        self.services = list(SERVICES)
        self._ids = itertools.count(1)
        self.buy_calls = 0

    # --- Carrier ----------------------------------------------------------------------------
    def validate_address(self, address: Address) -> AddressCheck:
        self._reach()
        if address.country_code == "US" and len(address.zip) != 5:
            return AddressCheck(valid=False, messages=(f"ZIP {address.zip} is not valid",))
        return AddressCheck(valid=True)

    def get_rates(self, shipment: ShipmentRequest) -> list[Rate]:
        self._reach()
        if self.rate_faults:
            fault = self.rate_faults.pop(0)
            if fault == "refuse":
                raise CarrierRefused("the parcel is too heavy for every service")
            raise CarrierUnavailable("connection dropped")
        sid = f"shp_{next(self._ids)}"
        heavy = Decimal(str(round(shipment.parcel.weight_g / 1000, 2)))
        abroad = Decimal("20") if shipment.customs is not None else Decimal("0")
        return [
            Rate(
                id=f"rate_{sid}_{token}",
                shipment_id=sid,
                carrier=carrier,
                service_token=token,
                service_name=name,
                amount=amount + heavy + abroad,
                estimated_days=days,
                fetched_at=T0,
            )
            for carrier, token, name, amount, days in self.services
        ]

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        self.buy_calls += 1
        self._reach()
        fault = self.faults.pop(0) if self.faults else ""
        if fault in ("drop", "5xx"):
            raise CarrierUnavailable(f"fault {fault}")
        if fault == "429":
            raise CarrierUnavailable("rate limited", retry_after_s=0, sent=False)
        if fault == "refuse":
            raise CarrierRefused("the rate has expired")
        n = next(self._ids)
        result = LabelResult(
            transaction_id=f"txn_{n}",
            status="SUCCESS",
            metadata=metadata_key,
            rate_id=rate_id,
            tracking_number=f"9400{n:018d}",
            tracking_url=f"https://tools.usps.com/go/TrackConfirmAction?tLabels=9400{n:018d}",
            label_url=f"fake://labels/txn_{n}.{label_format}",
            created_at=T0 + timedelta(seconds=n),
        )
        self.transactions.append(result)
        if fault == "commit_then_drop":
            raise CarrierUnavailable("connection closed with no answer")
        if fault == "crash":
            raise Crash()
        return result

    def find_transactions_by_key(
        self, key: str, *, rate_id: str, since: datetime
    ) -> list[LabelResult]:
        assert since.tzinfo is not None
        assert rate_id
        self._reach()
        return [t for t in self.transactions if t.metadata == key]

    def list_transactions(self, *, since: datetime) -> list[LabelResult]:
        self._reach()
        return [t for t in reversed(self.transactions) if (t.created_at or since) >= since]

    def get_transaction(self, transaction_id: str) -> LabelResult:
        self._reach()
        return next(t for t in self.transactions if t.transaction_id == transaction_id)

    def download_label(self, label_url: str) -> bytes:
        self._reach()
        return b"%PDF-1.4 label " + label_url.encode()

    def refund(self, transaction_id: str) -> RefundResult:
        self._reach()
        if transaction_id in self.refunds:
            raise CarrierRefused("this label was refunded already")
        self.refunds.append(transaction_id)
        return RefundResult(refund_id=f"ref_{transaction_id}", status="QUEUED")

    def track(self, carrier: str, tracking_number: str) -> TrackingStatus:
        self._reach()
        return TrackingStatus(status=self.tracking.get(tracking_number, "TRANSIT"), at=T0)

    # --- helpers -----------------------------------------------------------------------------
    def _reach(self) -> None:
        if self.unreachable:
            raise CarrierUnavailable("connection refused", sent=False)

    def live(self, key_prefix: str = "") -> list[LabelResult]:
        """Transactions bought and not refunded."""
        return [
            t
            for t in self.transactions
            if t.metadata.startswith(key_prefix) and t.transaction_id not in self.refunds
        ]
