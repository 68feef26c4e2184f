"""`ShippoCarrier`: the `Carrier` port on the `shippo` SDK (3.x).

Labels are bought with `async: false` and the purchase key in `metadata`; a lost answer is
found again by listing recent transactions (`GET /transactions`, newest first) and matching
the key. The SDK's own retries stay off: retrying a purchase is the service's decision.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from functools import partial
from typing import Any

import requests
import shippo
from requests.adapters import HTTPAdapter
from shippo.models import components, operations

from packdesk.adapters.shippo.convert import (
    account_from,
    address_request,
    carrier_slug,
    customs_request,
    label_from,
    parcel_request,
    rate_from,
)
from packdesk.adapters.shippo.errors import call, messages_of
from packdesk.domain.carriers import CarrierAccount
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

LIST_PAGE = 100
SHIPPO_API_VERSION = "2018-02-08"
"""The Shippo API version every request names (`SHIPPO-API-VERSION`), so that answers keep
the shape packdesk was built against whatever default the account has."""


class _TimeoutSession(requests.Session):
    """The SDK sends without a timeout; this session adds one to every request."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__()
        self.timeout_s = timeout_s
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if not kwargs.get("timeout"):
            kwargs["timeout"] = self.timeout_s
        return super().send(request, **kwargs)


class ShippoCarrier:
    def __init__(self, api_token: str, *, endpoint: str = "", timeout_s: float = 30.0) -> None:
        self._token = api_token
        self._endpoint = endpoint.rstrip("/") or None
        self._timeout_s = timeout_s
        self._local = threading.local()

    @property
    def sdk(self) -> shippo.Shippo:
        """One SDK (and HTTP session) per thread: batches buy from several threads."""
        sdk: shippo.Shippo | None = getattr(self._local, "sdk", None)
        if sdk is None:
            sdk = shippo.Shippo(
                api_key_header=self._token,
                shippo_api_version=SHIPPO_API_VERSION,
                server_url=self._endpoint,
                client=_TimeoutSession(self._timeout_s),
            )
            self._local.sdk = sdk
        return sdk

    def validate_address(self, address: Address) -> AddressCheck:
        found = call(
            "the address check",
            lambda: self.sdk.addresses.create(address_request(address, validate=True)),
        )
        results = found.validation_results
        if results is None:
            return AddressCheck(valid=True)
        messages = tuple(
            str(getattr(m, "text", "") or getattr(m, "code", "")) for m in results.messages or []
        )
        return AddressCheck(valid=bool(results.is_valid), messages=messages)

    def get_rates(self, shipment: ShipmentRequest) -> list[Rate]:
        request = components.ShipmentCreateRequest(
            address_from=address_request(shipment.ship_from),
            address_to=address_request(shipment.ship_to),
            parcels=[parcel_request(shipment.parcel)],
            customs_declaration=customs_request(shipment.customs) if shipment.customs else None,
            metadata=f"order {shipment.order_id.rsplit('/', 1)[-1]}",
            async_=False,
        )
        made = call("the rate request", lambda: self.sdk.shipments.create(request))
        now = datetime.now(UTC)
        rates = [rate_from(r, now) for r in made.rates or []]
        if not rates and made.messages:
            words = "; ".join(str(getattr(m, "text", m)) for m in made.messages)
            raise CarrierRefused(f"Shippo has no rates for this parcel: {words}")
        return rates

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        request = components.TransactionCreateRequest(
            rate=rate_id,
            async_=False,
            label_file_type=components.LabelFileTypeEnum(label_format),
            metadata=metadata_key,
        )
        made = call("the label purchase", lambda: self.sdk.transactions.create(request))
        return label_from(made)

    def get_transaction(self, transaction_id: str) -> LabelResult:
        found = call("a transaction lookup", lambda: self.sdk.transactions.get(transaction_id))
        return label_from(found)

    def find_transactions_by_key(
        self, key: str, *, rate_id: str, since: datetime
    ) -> list[LabelResult]:
        found = [r for r in self._listed(since=since, rate_id=rate_id) if r.metadata == key]
        return sorted(found, key=lambda r: r.created_at or since)

    def list_transactions(self, *, since: datetime) -> list[LabelResult]:
        return [
            r for r in self._listed(since=since) if r.created_at is None or r.created_at >= since
        ]

    def _listed(self, *, since: datetime, rate_id: str = "") -> list[LabelResult]:
        """Transactions newest first (of `rate_id` when given), page by page until one
        reaches back past `since`."""
        found: list[LabelResult] = []
        page = 1
        while True:
            request = operations.ListTransactionsRequest(
                rate=rate_id or None, page=page, results=LIST_PAGE
            )
            listing = call("the transaction list", partial(self.sdk.transactions.list, request))
            results = [label_from(t) for t in listing.results or []]
            found.extend(results)
            oldest = min((r.created_at for r in results if r.created_at), default=None)
            if not listing.next or not results or (oldest is not None and oldest < since):
                return found
            page += 1

    def download_label(self, label_url: str) -> bytes:
        session = self.sdk.sdk_configuration.client  # this thread's pooled connections
        try:
            answer = session.get(label_url, timeout=self._timeout_s)
        except requests.exceptions.RequestException as exc:
            raise CarrierUnavailable(f"the label file could not be downloaded ({exc})") from exc
        if answer.status_code >= 500 or answer.status_code == 429:
            raise CarrierUnavailable(f"the label file answered {answer.status_code}")
        if answer.status_code >= 400:
            words = "; ".join(messages_of(answer.text)) or f"HTTP {answer.status_code}"
            raise CarrierRefused(f"the label file is not available: {words}")
        data: bytes = answer.content
        return data

    def refund(self, transaction_id: str) -> RefundResult:
        made = call(
            "the refund", lambda: self.sdk.refunds.create(transaction=transaction_id, async_=False)
        )
        status = str(getattr(made.status, "value", made.status) or "")
        return RefundResult(refund_id=made.object_id or "", status=status)

    def track(self, carrier: str, tracking_number: str) -> TrackingStatus:
        found = call(
            "the tracking lookup",
            lambda: self.sdk.tracking_status.get(tracking_number, carrier_slug(carrier)),
        )
        status = found.tracking_status
        if status is None:
            return TrackingStatus(status="UNKNOWN")
        return TrackingStatus(
            status=str(getattr(status.status, "value", status.status)),
            at=status.status_date or status.object_updated,
            details=status.status_details or "",
        )

    def carrier_accounts(self) -> list[CarrierAccount]:
        found: list[CarrierAccount] = []
        page = 1
        while True:
            request = operations.ListCarrierAccountsRequest(page=page, results=LIST_PAGE)
            listing = call(
                "the carrier account list", partial(self.sdk.carrier_accounts.list, request)
            )
            found.extend(account_from(a) for a in listing.results or [])
            if not listing.next or not listing.results:
                return found
            page += 1
