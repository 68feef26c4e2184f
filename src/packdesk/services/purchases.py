"""One label purchase by the exactly-once protocol (DESIGN.md, "Never twice").

For each package:
1. a purchase row PENDING with key `order:<shop order id>:pkg:<n>:try:<k>` is committed
   before Shippo is called, and claimed by this process;
2. the Shippo transaction is created with that key in `metadata` and `async: false`;
3. the answer and the label bytes are returned to the label service, which stores them with
   the order's move (one transaction).

A PENDING row (timeout, dropped answer, crash, restart) is reconciled before anything else
is bought: by its transaction id when one was stored, else by listing recent transactions
and matching the key. Found: stored as bought. Not found: nothing was bought, and the same
key is sent again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from packdesk.domain.models import LabelPurchase, Order, Parcel, PurchaseState
from packdesk.domain.printing import CONTENT_TYPES, label_format_for
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable, LabelResult, StoredLabel
from packdesk.services.shipping import ShippingProblem, ShippingService, shop_order_id

log = logging.getLogger(__name__)

CLOCK_MARGIN = timedelta(minutes=30)
"""Reconciliation lists transactions back to the purchase row's time minus this margin
(Shippo's clock and the station's may differ by a little)."""
CLAIM = timedelta(minutes=2)
"""How long a process's claim on a purchase row lasts (longer than a Shippo call with its
timeout and the label download); a crashed process's claim lapses after it."""
NOT_SENT = "not sent"
"""A purchase row's error when its last request surely bought nothing (429, no connection)."""


class PurchaseBusy(CarrierUnavailable):
    """Another packdesk process holds the purchase (it is sending or reconciling it)."""


class Purchaser:
    """Writes, claims, sends and settles the purchase rows of one packdesk process."""

    def __init__(self, shipping: ShippingService) -> None:
        self.shipping = shipping
        self.store = shipping.store
        self.carrier = shipping.carrier
        self.clock = shipping.clock
        self.config = shipping.config
        self.owner = uuid.uuid4().hex
        """This process's name on the purchase rows it claims."""

    @property
    def label_format(self) -> str:
        return label_format_for(self.config.label_printer_kind)

    def new(self, order: Order, package_no: int, attempt: int) -> LabelPurchase:
        now = self.clock.now()
        return LabelPurchase(
            key=LabelPurchase.make_key(shop_order_id(order.id), package_no, attempt),
            order_id=order.id,
            package_no=package_no,
            attempt=attempt,
            state=PurchaseState.PENDING,
            label_format=self.label_format,
            fee=self.config.label_fee,
            created_at=now,
            updated_at=now,
        )

    def post(
        self, order: Order, parcel: Parcel, purchase: LabelPurchase
    ) -> tuple[LabelPurchase, StoredLabel]:
        choice = self.shipping.rate_for(order, parcel)
        if choice.rate is None:
            raise ShippingProblem(f"Order {order.name}: {choice.reason}")
        rate = choice.rate
        purchase = purchase.model_copy(
            update={
                "rate_id": rate.id,
                "carrier": rate.carrier,
                "service_name": rate.service_name,
                "cost": rate.amount,
                "currency": rate.currency,
                "error": "",  # outcome unknown from here until an answer says otherwise
                "updated_at": self.clock.now(),
            }
        )
        if self.store.labels.get(purchase.key) is None:
            self.store.labels.add(purchase)  # (1) the row exists before the call
            self.claim(purchase.key)
        else:
            self.store.labels.update(purchase)
        try:
            result = self.carrier.buy_label(rate.id, self.label_format, purchase.key)  # (2)
        except CarrierRefused as exc:
            self.fail(purchase, str(exc))
            raise
        except CarrierUnavailable as exc:
            # Only an answer proving nothing happened (429, refused connection) spares the
            # next attempt its reconciliation; any other loss is looked up by key.
            error = NOT_SENT if not exc.sent else "outcome unknown"
            self.store.labels.update(purchase.model_copy(update={"error": error}))
            raise
        return self.accept(purchase, result)  # (3), stored by the caller

    def accept(
        self, purchase: LabelPurchase, result: LabelResult
    ) -> tuple[LabelPurchase, StoredLabel]:
        """Turn a transaction into a bought purchase with its label bytes (not yet stored)."""
        if result.status in ("QUEUED", "WAITING"):
            self.store.labels.update(
                purchase.model_copy(update={"transaction_id": result.transaction_id})
            )
            raise CarrierUnavailable("Shippo is still making the label")
        if not result.bought:
            message = "; ".join(result.messages) or f"the transaction is {result.status}"
            self.fail(purchase, message)
            raise CarrierRefused(message)
        purchase = purchase.model_copy(
            update={
                "transaction_id": result.transaction_id,
                "tracking_number": result.tracking_number,
                "tracking_url": result.tracking_url,
                "label_url": result.label_url,
                "rate_id": result.rate_id or purchase.rate_id,
                "updated_at": self.clock.now(),
            }
        )
        # Remember the transaction while the label downloads: a crash now is reconciled
        # by id, without listing transactions.
        self.store.labels.update(purchase)
        data = self.carrier.download_label(result.label_url)
        fmt = purchase.label_format or self.label_format
        label = StoredLabel(
            format=fmt, content_type=CONTENT_TYPES.get(fmt, "application/pdf"), data=data
        )
        return purchase.model_copy(update={"state": PurchaseState.BOUGHT}), label

    def claim(self, key: str) -> None:
        now = self.clock.now()
        if not self.store.labels.claim(key, self.owner, now=now, until=now + CLAIM):
            raise PurchaseBusy("another packdesk process holds this purchase", sent=False)

    def fail(self, purchase: LabelPurchase, message: str) -> None:
        self.store.labels.update(
            purchase.model_copy(
                update={
                    "state": PurchaseState.FAILED,
                    "error": message,
                    "updated_at": self.clock.now(),
                }
            )
        )

    def reconcile(self, purchase: LabelPurchase) -> tuple[LabelPurchase, StoredLabel] | None:
        """What became of a PENDING purchase: bought (returned), or None when nothing was
        bought under its key. Duplicates under one key (never expected) are refunded."""
        if purchase.transaction_id:
            results = [self.carrier.get_transaction(purchase.transaction_id)]
        elif purchase.error == NOT_SENT:
            return None  # the last request surely bought nothing
        else:
            since = purchase.created_at - CLOCK_MARGIN
            results = self.carrier.find_transactions_by_key(
                purchase.key, rate_id=purchase.rate_id, since=since
            )
        bought = [r for r in results if r.bought]
        if bought:
            for extra in bought[1:]:
                log.error(
                    "refunding duplicate transaction %s of %s", extra.transaction_id, purchase.key
                )
                self.carrier.refund(extra.transaction_id)
            return self.accept(purchase, bought[0])
        if any(r.status in ("QUEUED", "WAITING") for r in results):
            raise CarrierUnavailable("Shippo is still making the label")
        if results:
            message = "; ".join(m for r in results for m in r.messages) or "Shippo refused"
            self.fail(purchase, message)
            raise CarrierRefused(message)
        return None

    def release(self, key: str) -> None:
        self.store.labels.release(key, self.owner)
