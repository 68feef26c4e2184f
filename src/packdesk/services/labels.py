"""Buying, storing, voiding and tracking labels: exactly once (DESIGN.md, "Never twice").

Each package's purchase follows the protocol in `purchases`; with the last package the
bought labels are stored together with the order's move PACKED -> LABELED, its outbox
effects and its print jobs, in one transaction. Attempt k+1 follows only a void, by an
explicit buy.
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
from packdesk.domain.printing import document_name
from packdesk.domain.shipping import (
    CarrierRefused,
    CarrierUnavailable,
    StoredLabel,
    carrier_wait_reason,
    waits_for_carrier,
)
from packdesk.domain.states import LABEL_BOUGHT_STATES, StationState
from packdesk.services.effects import fulfillment_effects
from packdesk.services.label_voids import void_labels
from packdesk.services.purchases import PurchaseBusy, Purchaser
from packdesk.services.shipping import ShippingProblem, ShippingService
from packdesk.services.station import record_transition

log = logging.getLogger(__name__)

S = StationState


class LabelPending(ShippingProblem):
    """The carrier is unreachable; the purchase waits and is retried in the background."""


class LabelRefused(ShippingProblem):
    """The carrier refused; nothing was bought. The order is in ERROR with the reason."""


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
        Raises `LabelPending` (order stays PACKED, retried later) or `LabelRefused` /
        `ShippingProblem` (order in ERROR or unchanged, with the sentence to act on).
        """
        with self._lock(order_id):
            order = self.shipping.order(order_id)
            current = self._ready_to_buy(order, actor=actor, mark_packed=mark_packed)
            if box is not None or weight_g is not None:
                self.shipping.set_package(order, box=box, weight_g=weight_g)
            try:
                return self._buy_all(order, current, actor=actor)
            except PurchaseBusy as exc:
                raise LabelPending(
                    f"The label of {order.name} is being bought by another packdesk process "
                    "on this database; it shows up here in a moment."
                ) from exc
            except CarrierUnavailable as exc:
                self._mark_pending(order, str(exc), actor=actor)
                raise LabelPending(
                    f"Shippo is unreachable ({exc}); the label of {order.name} is pending and "
                    "will be bought in the background (or press F2 / run `packdesk ship` "
                    "again)."
                ) from exc
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
        current = self.store.station.get(order.id)
        state = current.state if current else None
        if state in LABEL_BOUGHT_STATES or state is S.DELIVERED:
            raise ShippingProblem(
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

    def _buy_all(self, order: Order, current: StationOrder, *, actor: str) -> LabelPurchase:
        parcels = self.shipping.packages(order)
        bought: list[LabelPurchase] = []
        for index, parcel in enumerate(parcels):
            last = index == len(parcels) - 1
            purchase, fresh = self._buy_package(order, parcel)
            bought.append(purchase)
            if fresh is not None and not last:
                self.store.labels.record_bought(purchase, fresh)
            if last:
                pairs = [(purchase, fresh)] if fresh is not None else []
                self._finish(order, current, bought, pairs, actor=actor)
        return bought[0]

    def _finish(
        self,
        order: Order,
        current: StationOrder,
        bought: list[LabelPurchase],
        pairs: list[tuple[LabelPurchase, StoredLabel]],
        *,
        actor: str,
    ) -> None:
        """Store the last label with the move to LABELED, the effects and print jobs."""
        location = self.store.catalog.location(self.config.location_code)
        effects = fulfillment_effects(order, bought[0], location.id if location else "")
        jobs: list[NewPrintJob] = []
        if self.config.label_printer:
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
        reason = "; ".join(
            f"{p.carrier} {p.service_name} {p.tracking_number}".strip() for p in bought
        )
        transition = Transition(
            order_id=order.id,
            from_state=current.state,
            to_state=S.LABELED,
            actor=actor,
            reason=reason,
            at=self.clock.now(),
        )
        with self.store.transaction():
            for purchase, label in pairs:
                self.store.labels.record_bought(purchase, label)
            after = record_transition(self.store, transition, outbox=effects, print_jobs=jobs)
        self.shipping.publish(order, current, after)

    def _buy_package(
        self, order: Order, parcel: Parcel
    ) -> tuple[LabelPurchase, StoredLabel | None]:
        """The package's bought purchase, and its label when it was stored just now."""
        rows = [
            p for p in self.store.labels.for_order(order.id) if p.package_no == parcel.package_no
        ]
        latest = rows[-1] if rows else None
        if latest is not None and latest.state is PurchaseState.BOUGHT:
            return latest, None
        if latest is not None and latest.state is PurchaseState.PENDING:
            self.purchases.claim(latest.key)
            found = self.purchases.reconcile(latest)
            if found is not None:
                return found
            purchase = latest  # nothing was bought under this key: send it again
        else:
            attempt = latest.attempt + 1 if latest is not None else 1
            purchase = self.purchases.new(order, parcel.package_no, attempt)
        return self.purchases.post(order, parcel, purchase)

    def reconcile_all(self) -> int:
        """Settle every PENDING purchase (at start and before a batch). Bought ones are
        stored; an order PACKED or in ERROR then moves to LABELED when all its packages
        are bought. Returns how many were settled."""
        settled = 0
        finished: set[str] = set()
        for purchase in self.store.labels.pending():
            with self._lock(purchase.order_id):
                current = self.store.labels.get(purchase.key)
                if current is None or current.state is not PurchaseState.PENDING:
                    continue
                try:
                    self.purchases.claim(current.key)
                    found = self.purchases.reconcile(current)
                    if found is not None:
                        self.store.labels.record_bought(*found)
                        settled += 1
                        finished.add(purchase.order_id)
                except PurchaseBusy:
                    continue
                except CarrierUnavailable:
                    break
                except CarrierRefused:
                    settled += 1
                    continue
                finally:
                    self.purchases.release(current.key)
        for order_id in sorted(finished):
            station = self.store.station.get(order_id)
            if station is not None and station.state in (S.PACKED, S.ERROR):
                try:
                    self.buy(order_id, actor="reconcile")
                except ShippingProblem as exc:
                    log.warning("after reconciling %s: %s", order_id, exc)
        return settled

    def _mark_pending(self, order: Order, why: str, *, actor: str) -> None:
        """PACKED, its label waiting for the carrier (from ERROR too: a retry the packer
        asked for is then finished by the background job)."""
        current = self.store.station.get(order.id)
        if current is None or current.state not in (S.PACKED, S.ERROR):
            return
        reason = carrier_wait_reason(why)
        if current.reason == reason:
            return
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
        if current.state is not S.PACKED:
            self.shipping.publish(order, current, after)

    def _to_error(self, order: Order, message: str, *, actor: str) -> None:
        current = self.store.station.get(order.id)
        if current is None or current.state not in (S.PACKED, S.ERROR):
            return
        self.shipping.move(order, current, S.ERROR, actor=actor, reason=message)

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
            except LabelPending:
                break  # still away: the next run tries again
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


__all__ = ["LabelPending", "LabelRefused", "LabelService"]
