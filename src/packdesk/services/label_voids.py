"""Voiding labels: refund at Shippo, then the purchase rows VOIDED, their undelivered
fulfillment effects stopped, and the order back to PACKED, in one transaction.

A new label afterwards is an explicit buy (attempt k+1); nothing buys one by itself.
"""

from __future__ import annotations

from packdesk.domain.models import LabelPurchase, PurchaseState, Transition
from packdesk.domain.outbox import fulfillment_key
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable
from packdesk.domain.states import StationState
from packdesk.services.shipping import ShippingProblem, ShippingService
from packdesk.services.station import record_transition

S = StationState


def void_labels(
    shipping: ShippingService, order_id: str, reason: str, *, actor: str
) -> list[LabelPurchase]:
    """Refund the order's live labels and move it back to PACKED; a new label then
    needs an explicit buy (attempt k+1)."""
    if not reason.strip():
        raise ShippingProblem("Say why the label is voided (--reason), for the audit log.")
    store = shipping.store
    order = shipping.order(order_id)
    current = store.station.get(order.id)
    if current is None or current.state not in (S.LABELED, S.PRINTED, S.ERROR):
        state = current.state.value if current else "not queued"
        extra = (
            " Shopify has its fulfillment already: cancel the fulfillment in Shopify first."
            if current is not None and current.state is S.FULFILLED
            else ""
        )
        raise ShippingProblem(
            f"Order {order.name} is {state}; only a LABELED or PRINTED order's label "
            f"can be voided.{extra}"
        )
    live = [p for p in store.labels.for_order(order.id) if p.state is PurchaseState.BOUGHT]
    if not live:
        raise ShippingProblem(f"Order {order.name} has no live label to void.")
    voided: list[tuple[str, str]] = []
    for purchase in live:
        try:
            refund = shipping.carrier.refund(purchase.transaction_id)
        except CarrierRefused as exc:
            raise ShippingProblem(
                f"Shippo refused to refund the label {purchase.tracking_number} of "
                f"{order.name}: {exc} — the label stays live; ask Shippo support or "
                "ship with it."
            ) from exc
        except CarrierUnavailable as exc:
            raise ShippingProblem(
                f"Shippo is unreachable ({exc}); the label of {order.name} is not "
                "voided yet — try again when the network is back."
            ) from exc
        if refund.status == "ERROR":
            raise ShippingProblem(
                f"Shippo refused to refund the label {purchase.tracking_number} of "
                f"{order.name} — the label stays live."
            )
        voided.append((purchase.key, refund.refund_id))
    at = shipping.clock.now()
    transition = Transition(
        order_id=order.id,
        from_state=current.state,
        to_state=S.PACKED,
        actor=actor,
        reason=f"label voided: {reason}",
        at=at,
    )
    with store.transaction():
        for key, refund_id in voided:
            store.labels.mark_voided(key, refund_id=refund_id, reason=reason, at=at)
            store.outbox.withdraw(
                fulfillment_key(key), error=f"label voided before delivery: {reason}", at=at
            )
        after = record_transition(store, transition)
    shipping.publish(order, current, after)
    keys = {k for k, _ in voided}
    return [p for p in store.labels.for_order(order.id) if p.key in keys]
