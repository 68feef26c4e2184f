"""One label purchase by the exactly-once protocol (DESIGN.md, "Never twice").

For each package:
1. a purchase row PENDING with key `order:<shop order id>:pkg:<n>:try:<k>` is inserted
   already claimed by this process (`new`); a row another run left is claimed by
   compare-and-set (`take`), at once when its holder is provably gone (`owners`);
2. before every request to Shippo the claim is taken again by compare-and-set, and before
   the purchase request the row records it (`send`: the rate, the time, the outcome
   unclear); the transaction is created with the key in `metadata` and `async: false`;
3. the answer and the label bytes go back to the label service, which stores them with the
   order's move (one transaction), again only while this process holds the row.

Every change to the row names its owner and the state it expects; a change that matches no
row means another process holds the purchase, and this one stops (`PurchaseBusy`).

A request whose answer was lost (a timeout, a dropped connection) may still buy a label:
Shippo can finish it after the client gave up. Nothing is sent again under that key until
the key has been looked up at least `grace` after the request went out (`OutcomeUnclear`
until then); a look-up that finds the transaction stores it. A label Shippo makes even later
is an extra, refunded by `ExtraLabels`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from packdesk.domain.models import LabelPurchase, Order, Parcel, PurchaseState
from packdesk.domain.printing import CONTENT_TYPES, label_format_for
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable, LabelResult, StoredLabel
from packdesk.services.label_extras import CLOCK_MARGIN, ExtraLabels
from packdesk.services.owners import ProcessName, is_gone, new_process_name
from packdesk.services.shipping import ShippingProblem, ShippingService, shop_order_id

log = logging.getLogger(__name__)

CLAIM = timedelta(minutes=2)
"""How long a claim lasts without being renewed (longer than a Shippo call with its timeout
and the label download). A holder on another host that stopped answering loses it then."""
NOT_SENT = "not sent"
"""A purchase row's error when its last request surely bought nothing (429, no connection)."""
STILL_MAKING = ("QUEUED", "WAITING")
TAKEOVER_ACTOR = "label-claim"

Bought = tuple[LabelPurchase, StoredLabel]


class PurchaseBusy(Exception):
    """Another packdesk process holds the purchase (it is sending, settling or storing it)."""

    def __init__(self, key: str, holder: str = "", until: datetime | None = None) -> None:
        super().__init__(f"another packdesk process holds the purchase {key}")
        self.key = key
        self.holder = ProcessName.parse(holder)
        self.until = until


class OutcomeUnclear(Exception):
    """The last request of a purchase may have bought a label: nothing is sent again under
    its key before Shippo has been asked at or after `settle_at`."""

    def __init__(self, key: str, settle_at: datetime, why: str) -> None:
        super().__init__(f"{why}; the purchase {key} is looked up at {settle_at.isoformat()}")
        self.key = key
        self.settle_at = settle_at
        self.why = why


class Purchaser:
    """Writes, claims, sends and settles the purchase rows of one packdesk process."""

    def __init__(self, shipping: ShippingService, name: ProcessName | None = None) -> None:
        self.shipping = shipping
        self.store = shipping.store
        self.carrier = shipping.carrier
        self.clock = shipping.clock
        self.config = shipping.config
        self.name = name or new_process_name()
        self.owner = str(self.name)
        """This process's name on the purchase rows it claims."""
        self.extras = ExtraLabels(shipping)

    @property
    def label_format(self) -> str:
        return label_format_for(self.config.label_printer_kind)

    # --- claims ------------------------------------------------------------------------

    def new(self, order: Order, package_no: int, attempt: int) -> LabelPurchase:
        """Insert the purchase row, claimed by this process; `DuplicatePurchase` when
        another process inserted it first."""
        now = self.clock.now()
        purchase = LabelPurchase(
            key=LabelPurchase.make_key(shop_order_id(order.id), package_no, attempt),
            order_id=order.id,
            package_no=package_no,
            attempt=attempt,
            state=PurchaseState.PENDING,
            label_format=self.label_format,
            fee=self.config.label_fee,
            created_at=now,
            updated_at=now,
            claimed_by=self.owner,
            claimed_until=now + CLAIM,
        )
        self.store.labels.add(purchase)
        return purchase

    def take(self, purchase: LabelPurchase) -> LabelPurchase | None:
        """Claim a PENDING purchase, taking it over from a holder that is provably gone; the
        row as claimed, or None when it is no longer PENDING (read it again). Raises
        `PurchaseBusy` while a live process holds it."""
        labels = self.store.labels
        now = self.clock.now()
        if labels.claim(purchase.key, self.owner, now=now, until=now + CLAIM):
            return self._claimed(purchase.key)
        row = labels.get(purchase.key)
        if row is None or row.state is not PurchaseState.PENDING:
            return None
        holder = ProcessName.parse(row.claimed_by)
        if (
            holder is not None
            and is_gone(holder)
            and labels.claim(
                row.key, self.owner, now=now, until=now + CLAIM, take_from=row.claimed_by
            )
        ):
            log.warning(
                "%s: taking over the purchase from process %s, which is gone", row.key, holder
            )
            self.store.station.record_event(
                row.order_id,
                actor=TAKEOVER_ACTOR,
                reason=f"label purchase {row.key} taken over from a packdesk process that "
                f"ended ({holder.describe()}); what it sent is looked up before anything else",
                at=now,
            )
            return self._claimed(row.key)
        raise self.busy(row.key)  # read again: another process may have taken it over first

    def _claimed(self, key: str) -> LabelPurchase | None:
        row = self.store.labels.get(key)
        return row if row is not None and row.state is PurchaseState.PENDING else None

    def hold(self, purchase: LabelPurchase) -> None:
        """Take the claim again (renewed) before a request to Shippo; `PurchaseBusy` when
        another process has it."""
        now = self.clock.now()
        if not self.store.labels.claim(purchase.key, self.owner, now=now, until=now + CLAIM):
            raise self.busy(purchase.key)

    def release(self, key: str) -> None:
        self.store.labels.release(key, self.owner)

    def busy(self, key: str) -> PurchaseBusy:
        """The lost race on `key`, naming the process that won it."""
        row = self.store.labels.get(key)
        if row is None:
            return PurchaseBusy(key)
        return PurchaseBusy(key, row.claimed_by, row.claimed_until)

    # --- the purchase ------------------------------------------------------------------

    def post(self, order: Order, parcel: Parcel, purchase: LabelPurchase) -> Bought:
        """Send the purchase request (the row must be settled: `settle` returned None)."""
        choice = self.shipping.rate_for(order, parcel)
        if choice.rate is None:
            raise ShippingProblem(f"Order {order.name}: {choice.reason}")
        rate = choice.rate
        now = self.clock.now()
        purchase = purchase.model_copy(
            update={
                "rate_id": rate.id,
                "carrier": rate.carrier,
                "service_name": rate.service_name,
                "cost": rate.amount,
                "currency": rate.currency,
                "error": "",
                "sent_at": now,
                "unclear": True,  # from here until an answer says otherwise
                "updated_at": now,
                "claimed_by": self.owner,
                "claimed_until": now + CLAIM,
            }
        )
        if not self.store.labels.send(purchase, self.owner):  # (1) claimed, recorded
            raise self.busy(purchase.key)
        try:
            result = self.carrier.buy_label(rate.id, self.label_format, purchase.key)  # (2)
        except CarrierRefused as exc:
            self.fail(purchase, str(exc))
            raise
        except CarrierUnavailable as exc:
            if not exc.sent:  # a 429 or a refused connection: surely nothing was bought
                self.change(purchase, error=NOT_SENT, unclear=False)
                raise
            self.change(purchase, error=f"outcome unknown: {exc}")
            raise OutcomeUnclear(purchase.key, now + self.config.settle_grace, str(exc)) from exc
        return self.accept(purchase, result)  # (3), stored by the caller

    def accept(self, purchase: LabelPurchase, result: LabelResult) -> Bought:
        """Turn a transaction into a bought purchase with its label bytes (not yet stored)."""
        if result.status in STILL_MAKING:
            self.change(purchase, transaction_id=result.transaction_id, unclear=False)
            raise CarrierUnavailable("Shippo is still making the label")
        if not result.bought:
            message = "; ".join(result.messages) or f"the transaction is {result.status}"
            self.fail(purchase, message)
            raise CarrierRefused(message)
        # Remember the transaction while the label downloads: a crash now is settled by id.
        # The change renews the claim before the download request.
        purchase = self.change(
            purchase,
            transaction_id=result.transaction_id,
            tracking_number=result.tracking_number,
            tracking_url=result.tracking_url,
            label_url=result.label_url,
            rate_id=result.rate_id or purchase.rate_id,
            error="",
            unclear=False,
        )
        data = self.carrier.download_label(result.label_url)
        fmt = purchase.label_format or self.label_format
        label = StoredLabel(
            format=fmt, content_type=CONTENT_TYPES.get(fmt, "application/pdf"), data=data
        )
        return purchase.model_copy(update={"state": PurchaseState.BOUGHT}), label

    def settle(self, purchase: LabelPurchase) -> Bought | None:
        """What became of a claimed PENDING purchase's requests: bought (returned, to be
        stored), or None when nothing was bought under its key (a request may go out).
        Raises `OutcomeUnclear` while a lost answer cannot be settled yet."""
        if purchase.transaction_id:
            self.hold(purchase)
            return self.accept(purchase, self.carrier.get_transaction(purchase.transaction_id))
        if not purchase.unclear:
            return None  # never sent, or its last request surely bought nothing
        checked_at = self.clock.now()
        self.hold(purchase)
        results = self.carrier.find_transactions_by_key(
            purchase.key, rate_id=purchase.rate_id, since=purchase.created_at - CLOCK_MARGIN
        )
        bought = [r for r in results if r.bought]
        if bought:
            for extra in bought[1:]:  # never expected: one request at a time per key
                self.extras.refund(purchase, extra, kept=bought[0].tracking_number)
            return self.accept(purchase, bought[0])
        making = next((r for r in results if r.status in STILL_MAKING), None)
        if making is not None:
            return self.accept(purchase, making)
        if results:
            message = "; ".join(m for r in results for m in r.messages) or "Shippo refused"
            self.fail(purchase, message)
            raise CarrierRefused(message)
        settle_at = (purchase.sent_at or purchase.updated_at) + self.config.settle_grace
        if checked_at < settle_at:
            raise OutcomeUnclear(purchase.key, settle_at, "its answer was lost")
        self.change(purchase, error="", unclear=False)
        return None

    def store_bought(self, purchase: LabelPurchase, label: StoredLabel) -> None:
        """Store a bought label (inside the caller's transaction); `PurchaseBusy` when this
        process no longer holds the row."""
        if not self.store.labels.record_bought(purchase, label, owner=self.owner):
            raise self.busy(purchase.key)

    def fail(self, purchase: LabelPurchase, message: str) -> None:
        self.change(purchase, state=PurchaseState.FAILED, error=message, unclear=False)

    def change(self, purchase: LabelPurchase, **fields: Any) -> LabelPurchase:
        """Write `fields` to this process's PENDING row, renewing the claim."""
        now = self.clock.now()
        changed = purchase.model_copy(
            update={**fields, "updated_at": now, "claimed_until": now + CLAIM}
        )
        if not self.store.labels.update(changed, owner=self.owner, expect=PurchaseState.PENDING):
            raise self.busy(purchase.key)
        return changed
