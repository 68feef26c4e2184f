"""Tracking refresh: shipped orders become DELIVERED when the carrier says so.

DELIVERED drives the delivery-time emails (usage guide, review request), so an order moves
only when every one of its parcels is delivered, and those emails are written in the same
transaction as the move, due from when the carrier delivered the last parcel (the date of
its DELIVERED tracking event), not from when this job happened to look.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from packdesk.domain.models import Order, PurchaseState, StationOrder, Transition
from packdesk.domain.ports.station import StaleState
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable, TrackingStatus
from packdesk.domain.states import StationState
from packdesk.services.shipping import ShippingService
from packdesk.services.station import record_transition

log = logging.getLogger(__name__)

S = StationState


class DeliveryFollowUps(Protocol):
    """What is written when an order is delivered (services/comms.py)."""

    def schedule_followups(self, order: Order, delivered_at: datetime) -> bool: ...


def delivered_at(statuses: Sequence[TrackingStatus], now: datetime) -> datetime:
    """When the last parcel arrived, by the carrier's events; `now` when the carrier gave no
    date, and never later than `now` (a carrier clock ahead of ours is not the future)."""
    dates = [s.at if s.at.tzinfo else s.at.replace(tzinfo=UTC) for s in statuses if s.at]
    return min(max(dates), now) if dates else now


class TrackingService:
    def __init__(self, shipping: ShippingService, followups: DeliveryFollowUps) -> None:
        self.shipping = shipping
        self.followups = followups
        self.store = shipping.store
        self.carrier = shipping.carrier
        self.clock = shipping.clock

    def refresh_tracking(self, *, actor: str = "tracking") -> list[str]:
        """The background job: FULFILLED orders whose parcels all arrived become DELIVERED
        (which plans the delivery-time emails). Returns the names of delivered orders."""
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
            arrived = all(s.status == "DELIVERED" for s in statuses)
            if arrived and self._deliver(order, station, statuses, actor):
                delivered.append(order.name)
        return delivered

    def _deliver(
        self,
        order: Order,
        station: StationOrder,
        statuses: Sequence[TrackingStatus],
        actor: str,
    ) -> bool:
        now = self.clock.now()
        when = delivered_at(statuses, now)
        transition = Transition(
            order_id=order.id,
            from_state=station.state,
            to_state=S.DELIVERED,
            actor=actor,
            reason=f"delivered {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
            at=now,
        )
        try:
            with self.store.transaction():  # the move and its follow-up emails, or neither
                after = record_transition(self.store, transition)
                self.followups.schedule_followups(order, when)
        except StaleState:
            log.info("tracking %s: the order moved meanwhile; looked at again next run", order.name)
            return False
        self.shipping.publish(order, station, after)
        return True
