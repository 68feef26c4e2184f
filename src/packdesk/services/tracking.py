"""Tracking refresh: shipped orders become DELIVERED when the carrier says so.

DELIVERED drives the delivery-time emails (usage guide, review request), so an order moves
only when every one of its parcels is delivered.
"""

from __future__ import annotations

import logging

from packdesk.domain.models import PurchaseState
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable
from packdesk.domain.states import StationState
from packdesk.services.shipping import ShippingService

log = logging.getLogger(__name__)

S = StationState


class TrackingService:
    def __init__(self, shipping: ShippingService) -> None:
        self.shipping = shipping
        self.store = shipping.store
        self.carrier = shipping.carrier

    def refresh_tracking(self, *, actor: str = "tracking") -> list[str]:
        """The background job: FULFILLED orders whose parcels all arrived become DELIVERED
        (which sends the delivery-time emails). Returns the names of delivered orders."""
        delivered: list[str] = []
        for station in self.store.station.in_states([S.FULFILLED]):
            order = self.store.orders.get(station.order_id)
            live = [
                p
                for p in self.store.labels.for_order(station.order_id)
                if p.state is PurchaseState.BOUGHT and p.tracking_number
            ]
            if order is None or not live:
                continue
            try:
                statuses = [self.carrier.track(p.carrier, p.tracking_number) for p in live]
            except CarrierUnavailable as exc:
                log.warning("tracking: %s", exc)
                break
            except CarrierRefused as exc:
                log.warning("tracking %s: %s", order.name, exc)
                continue
            if all(s.status == "DELIVERED" for s in statuses):
                when = max((s.at for s in statuses if s.at), default=None)
                reason = "delivered" + (f" {when:%Y-%m-%d %H:%M} UTC" if when else "")
                self.shipping.move(order, station, S.DELIVERED, actor=actor, reason=reason)
                delivered.append(order.name)
        return delivered
