"""Buying, storing, voiding and tracking labels: exactly once (DESIGN.md, "Never twice").

Each package's purchase follows the protocol in `purchases`; with the last package the
bought labels are stored together with the order's move PACKED -> LABELED, its outbox
effects and its print jobs, in one transaction. Attempt k+1 follows only a void, by an
explicit buy. Whatever runs at once (two `packdesk ship`, a batch, the station's F2, the
background job), a package is bought by one process; the others stop with a sentence
naming it.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from packdesk.domain.models import (
    LabelPurchase,
    NewPrintJob,
    Order,
    Parcel,
    PrintRole,
    PurchaseState,
    StationOrder,
    Transition,
)
from packdesk.domain.ports import DuplicatePurchase, StaleState
from packdesk.domain.printing import document_name
from packdesk.domain.shipping import (
    CarrierRefused,
    CarrierUnavailable,
    ExtraLabel,
    StoredLabel,
    carrier_wait_reason,
    clock_time,
    unclear_wait_reason,
    waits_for_carrier,
)
from packdesk.domain.states import LABEL_BOUGHT_STATES, StationState
from packdesk.services.effects import fulfillment_effects
from packdesk.services.label_problems import (
    AlreadyLabeled,
    LabelBusy,
    LabelPending,
    LabelRefused,
    LabelUnsettled,
    MovedOn,
    busy_sentence,
)
from packdesk.services.label_voids import void_labels
from packdesk.services.purchases import OutcomeUnclear, PurchaseBusy, Purchaser
from packdesk.services.shipping import ShippingProblem, ShippingService
from packdesk.services.station import record_transition

log = logging.getLogger(__name__)

S = StationState
TRIES = 5
"""Reads of a package's purchase rows before giving up on a race that keeps moving."""


class LabelService:
    def __init__(self, shipping: ShippingService) -> None:
        self.shipping = shipping
        self.store = shipping.store
        self.clock = shipping.clock
        self.config = shipping.config
        self.purchases = Purchaser(shipping)
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()

    def _lock(self, order_id: str) -> threading.Lock:
        with self._guard:
            return self._locks[order_id]

    # --- buying --------------------------------------------------------------------------

    def buy(
        self,
        order_id: str,
        *,
        actor: str,
        box: str | None = None,
        weight_g: float | None = None,
        mark_packed: bool = False,
    ) -> LabelPurchase:
        """Buy the order's labels (exactly once) and move it to LABELED; the first
        package's purchase is returned (`store.labels.for_order` has them all).

        `mark_packed` lets headless callers (`packdesk ship`) ship an order no one scanned.
        Raises `LabelPending` (order stays PACKED, retried later; `LabelBusy` when another
        process is buying it, `LabelUnsettled` while a lost answer is not settled) or
        `LabelRefused` / `ShippingProblem` (order in ERROR or unchanged, with the sentence
        to act on).
        """
        with self._lock(order_id):
            order = self.shipping.order(order_id)
            self._ready_to_buy(order, actor=actor, mark_packed=mark_packed)
            if box is not None or weight_g is not None:
                self.shipping.set_package(order, box=box, weight_g=weight_g)
            try:
                return self._buy_all(order, actor=actor)
            except PurchaseBusy as exc:
                raise LabelBusy(busy_sentence(order, exc)) from exc
            except OutcomeUnclear as exc:
                self._wait(order, unclear_wait_reason(exc.settle_at), actor=actor)
                raise LabelUnsettled(
                    f"The label of {order.name} may have been bought ({exc.why}); packdesk "
                    f"checks with Shippo at {clock_time(exc.settle_at)} before buying "
                    "anything again: try again then (the background job does it by itself).",
                    exc.settle_at,
                ) from exc
            except CarrierUnavailable as exc:
                self._wait(order, carrier_wait_reason(str(exc)), actor=actor)
                raise LabelPending(
                    f"Shippo is unreachable ({exc}); the label of {order.name} is pending and "
                    "will be bought in the background (or press F2 / run `packdesk ship` "
                    "again)."
                ) from exc
            except (AlreadyLabeled, MovedOn):
                raise
            except (CarrierRefused, ShippingProblem) as exc:
                message = str(exc)
                if isinstance(exc, CarrierRefused):
                    message = (
                        f"Shippo refused the label of {order.name}: {exc} — fix it and buy "
                        "again, or put the order on hold."
                    )
                self._to_error(order, message, actor=actor)
                raise LabelRefused(message) from exc
            finally:
                for p in self.store.labels.for_order(order.id):
                    if p.state in (PurchaseState.PENDING, PurchaseState.BOUGHT):
                        self.purchases.release(p.key)

    def _ready_to_buy(self, order: Order, *, actor: str, mark_packed: bool) -> StationOrder:
        for _ in range(TRIES):
            try:
                return self._packed(order, actor=actor, mark_packed=mark_packed)
            except StaleState:
                continue  # another process moved the order meanwhile: look again
        raise ShippingProblem(
            f"Order {order.name} keeps changing while this packdesk reads it (another "
            "process is working on it); try again in a moment."
        )

    def _packed(self, order: Order, *, actor: str, mark_packed: bool) -> StationOrder:
        current = self.store.station.get(order.id)
        state = current.state if current else None
        if state in LABEL_BOUGHT_STATES or state is S.DELIVERED:
            raise AlreadyLabeled(
                f"Order {order.name} has a label already ({state.value if state else ''}): "
                "void it first with `packdesk void` to buy another."
            )
        if mark_packed and state in (None, S.NEW, S.READY, S.PACKING):
            if state is not S.PACKING:
                current = self.shipping.move(
                    order, current, S.PACKING, actor=actor, reason="packed without scanning"
                )
            current = self.shipping.move(
                order, current, S.PACKED, actor=actor, reason="packed without scanning"
            )
        if current is None or current.state not in (S.PACKED, S.ERROR):
            raise ShippingProblem(
                f"Order {order.name} is {current.state.value if current else 'not queued'}; "
                "a label is bought once it is PACKED (scan its items, or use "
                "`packdesk ship` which packs it without scanning)."
            )
        return current

    def _buy_all(self, order: Order, *, actor: str) -> LabelPurchase:
        parcels = self.shipping.packages(order)
        bought: list[LabelPurchase] = []
        pairs: list[tuple[LabelPurchase, StoredLabel]] = []
        for index, parcel in enumerate(parcels):
            purchase, fresh = self._buy_package(order, parcel)
            bought.append(purchase)
            if fresh is not None and index < len(parcels) - 1:
                self.purchases.store_bought(purchase, fresh)
            elif fresh is not None:
                pairs.append((purchase, fresh))
        self._finish(order, bought, pairs, actor=actor)
        return bought[0]

    def _buy_package(
        self, order: Order, parcel: Parcel
    ) -> tuple[LabelPurchase, StoredLabel | None]:
        """The package's bought purchase, and its label when it was bought just now."""
        key = ""
        for _ in range(TRIES):
            rows = [
                p
                for p in self.store.labels.for_order(order.id)
                if p.package_no == parcel.package_no
            ]
            latest = rows[-1] if rows else None
            key = latest.key if latest is not None else key
            if latest is not None and latest.state is PurchaseState.BOUGHT:
                return latest, None
            if latest is not None and latest.state is PurchaseState.PENDING:
                purchase = self.purchases.take(latest)
                if purchase is None:
                    continue  # settled by another process meanwhile: read again
                found = self.purchases.settle(purchase)
                if found is not None:
                    return found
            else:
                attempt = latest.attempt + 1 if latest is not None else 1
                try:
                    purchase = self.purchases.new(order, parcel.package_no, attempt)
                except DuplicatePurchase:
                    continue  # another process inserted it first: read again
            return self.purchases.post(order, parcel, purchase)
        raise self.purchases.busy(key)  # the rows kept moving: another process works on them

    def _finish(
        self,
        order: Order,
        bought: list[LabelPurchase],
        pairs: list[tuple[LabelPurchase, StoredLabel]],
        *,
        actor: str,
    ) -> None:
        """Store the last label with the move to LABELED, the effects and print jobs."""
        location = self.store.catalog.location(self.config.location_code)
        effects = fulfillment_effects(order, bought[0], location.id if location else "")
        jobs = self._label_jobs(order, bought, pairs)
        reason = "; ".join(
            f"{p.carrier} {p.service_name} {p.tracking_number}".strip() for p in bought
        )
        after: StationOrder | None = None
        with self.store.transaction():
            current = self.store.station.get(order.id)
            state = current.state if current else None
            if state in LABEL_BOUGHT_STATES or state is S.DELIVERED:
                if not pairs:
                    raise AlreadyLabeled(
                        f"{order.name} was labeled by another packdesk process meanwhile; "
                        "nothing was bought here."
                    )
                for purchase, label in pairs:  # moved on meanwhile: the label is kept with it
                    self.purchases.store_bought(purchase, label)
                return
            if current is not None and current.state in (S.PACKED, S.ERROR):
                for purchase, label in pairs:
                    self.purchases.store_bought(purchase, label)
                transition = Transition(
                    order_id=order.id,
                    from_state=current.state,
                    to_state=S.LABELED,
                    actor=actor,
                    reason=reason,
                    at=self.clock.now(),
                )
                after = record_transition(self.store, transition, outbox=effects, print_jobs=jobs)
        if after is None:
            # The purchase row keeps its transaction: the next buy stores it, buying nothing.
            raise MovedOn(
                f"The label of {order.name} is bought, but the order is "
                f"{state.value if state else 'no longer at the station'} now (it changed "
                "while the label was bought): once it is packed again, F2 or `packdesk ship` "
                "stores that label without buying another."
            )
        self.shipping.publish(order, current, after)

    def _label_jobs(
        self,
        order: Order,
        bought: list[LabelPurchase],
        pairs: list[tuple[LabelPurchase, StoredLabel]],
    ) -> list[NewPrintJob]:
        jobs: list[NewPrintJob] = []
        if not self.config.label_printer:
            return jobs
        for p in bought:
            label = next((lb for pk, lb in pairs if pk.key == p.key), None) or (
                self.store.labels.file(p.key)
            )
            if label is None:
                continue
            document = document_name(
                order.name,
                PrintRole.LABEL,
                label.content_type,
                package_no=p.package_no,
                packages=len(bought),
            )
            jobs.append(
                NewPrintJob(
                    printer=self.config.label_printer,
                    role=PrintRole.LABEL,
                    order_id=order.id,
                    document=document,
                    content_type=label.content_type,
                    data=label.data,
                )
            )
        return jobs

    def reconcile_all(self) -> int:
        """Settle every PENDING purchase (at start and before a batch). Bought ones are
        stored; an order PACKED or in ERROR then moves to LABELED when all its packages
        are bought. Purchases another live process holds, or whose lost answer cannot be
        settled yet, are left for later. Returns how many were settled."""
        settled = 0
        finished: set[str] = set()
        for purchase in self.store.labels.pending():
            with self._lock(purchase.order_id):
                try:
                    taken = self.purchases.take(purchase)
                    if taken is None:
                        continue
                    found = self.purchases.settle(taken)
                    if found is not None:
                        self.purchases.store_bought(*found)
                        settled += 1
                        finished.add(purchase.order_id)
                except (PurchaseBusy, OutcomeUnclear):
                    continue
                except CarrierUnavailable:
                    break
                except CarrierRefused:
                    settled += 1
                    continue
                finally:
                    self.purchases.release(purchase.key)
        for order_id in sorted(finished):
            station = self.store.station.get(order_id)
            if station is not None and station.state in (S.PACKED, S.ERROR):
                try:
                    self.buy(order_id, actor="reconcile")
                except ShippingProblem as exc:
                    log.warning("after reconciling %s: %s", order_id, exc)
        return settled

    def sweep_extras(self) -> list[ExtraLabel]:
        """Refund extra labels Shippo made under recent purchase keys (`label_extras`)."""
        return self.purchases.extras.sweep()

    def _wait(self, order: Order, reason: str, *, actor: str) -> None:
        """PACKED, its label waiting (for the carrier, or for a lost answer to be settled),
        from ERROR too: a retry the packer asked for is then finished by the background job."""
        current = self.store.station.get(order.id)
        if current is None or current.state not in (S.PACKED, S.ERROR):
            return
        if current.reason == reason:
            return
        try:
            after = record_transition(
                self.store,
                Transition(
                    order_id=order.id,
                    from_state=current.state,
                    to_state=S.PACKED,
                    actor=actor,
                    reason=reason,
                    at=self.clock.now(),
                ),
            )
        except StaleState:
            return  # another process moved it on meanwhile
        if current.state is not S.PACKED:
            self.shipping.publish(order, current, after)

    def _to_error(self, order: Order, message: str, *, actor: str) -> None:
        current = self.store.station.get(order.id)
        if current is None or current.state not in (S.PACKED, S.ERROR):
            return
        try:
            self.shipping.move(order, current, S.ERROR, actor=actor, reason=message)
        except StaleState:
            return  # another process moved it on meanwhile

    def retry_pending(self, *, actor: str = "label-retry") -> list[str]:
        """The background job: buy labels left pending (exactly once). Returns the names
        of orders that got their label."""
        order_ids = {p.order_id for p in self.store.labels.pending()}
        order_ids |= {
            s.order_id
            for s in self.store.station.in_states([S.PACKED])
            if waits_for_carrier(s.reason)
        }
        labeled: list[str] = []
        for order_id in sorted(order_ids):
            station = self.store.station.get(order_id)
            if station is None or station.state is not S.PACKED:
                continue
            try:
                self.buy(order_id, actor=actor)
            except (LabelBusy, LabelUnsettled):
                continue  # another process has it, or its lost answer is settled later
            except LabelPending:
                break  # Shippo still away: the next run tries again
            except ShippingProblem as exc:
                log.warning("label retry for %s: %s", order_id, exc)
                continue
            order = self.store.orders.get(order_id)
            labeled.append(order.name if order else order_id)
        return labeled

    # --- voids ---------------------------------------------------------------------------

    def void(self, order_id: str, reason: str, *, actor: str) -> list[LabelPurchase]:
        """Refund the order's live labels and move it back to PACKED (see `label_voids`)."""
        with self._lock(order_id):
            return void_labels(self.shipping, order_id, reason, actor=actor)


__all__ = [
    "AlreadyLabeled",
    "LabelBusy",
    "LabelPending",
    "LabelRefused",
    "LabelService",
    "LabelUnsettled",
    "busy_sentence",
]
