"""Voiding labels: refund at Shippo, then the purchase rows VOIDED, their undelivered
fulfillment effects stopped, and the order back to PACKED, in one transaction.

A new label afterwards is an explicit buy (attempt k+1); nothing buys one by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packdesk.domain.models import LabelPurchase, PurchaseState, Transition
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable
from packdesk.domain.states import StationState
from packdesk.services.shipping import ShippingProblem

if TYPE_CHECKING:
    from packdesk.services.labels import LabelService

S = StationState


def void_labels(
    labels: LabelService, order_id: str, reason: str, *, actor: str
) -> list[LabelPurchase]:
    """Refund the order's live labels and move it back to PACKED; a new label then
    needs an explicit buy (attempt k+1)."""
    if not reason.strip():
        raise ShippingProblem("Say why the label is voided (--reason), for the audit log.")
    order = labels.shipping.order(order_id)
    current = labels.store.get_station_order(order.id)
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
    live = [p for p in labels.store.purchases_for(order.id) if p.state is PurchaseState.BOUGHT]
    if not live:
        raise ShippingProblem(f"Order {order.name} has no live label to void.")
    voided: list[tuple[str, str]] = []
    for purchase in live:
        try:
            refund = labels.carrier.refund(purchase.transaction_id)
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
    after = labels.store.record_void(
        voided,
        reason=reason,
        transition=Transition(
            order_id=order.id,
            from_state=current.state,
            to_state=S.PACKED,
            actor=actor,
            reason=f"label voided: {reason}",
            at=labels.clock.now(),
        ),
    )
    labels.shipping.publish(order, current, after)
    return [p for p in labels.store.purchases_for(order.id) if p.key in {k for k, _ in voided}]
