"""Moving an order through the station's states, with its audit row and effects."""

from __future__ import annotations

from collections.abc import Sequence

from packdesk.domain.clock import Clock
from packdesk.domain.events import OrderStateChanged
from packdesk.domain.models import NewOutboxItem, NewPrintJob, StationOrder, Transition
from packdesk.domain.ports import EventPublisher, Store
from packdesk.domain.states import StationState, can_transition, check_transition


class OrderNotFound(LookupError):
    """No order by that id or name in the local database."""


def record_transition(
    store: Store,
    transition: Transition,
    *,
    outbox: Sequence[NewOutboxItem] = (),
    print_jobs: Sequence[NewPrintJob] = (),
) -> StationOrder:
    """Write a transition, its audit row and the effects it causes (outbox rows, print
    jobs) in one transaction; nothing is written when the order moved on meanwhile
    (`StaleState`)."""
    with store.transaction():
        after = store.station.apply(transition)
        store.outbox.add(outbox, transition.at)
        for job in print_jobs:
            store.print_jobs.add(job, transition.at)
    return after


class StationService:
    def __init__(self, store: Store, bus: EventPublisher, clock: Clock) -> None:
        self.store = store
        self.bus = bus
        self.clock = clock

    def state_of(self, order_id: str) -> StationOrder | None:
        return self.store.station.get(order_id)

    def move(
        self,
        order_id: str,
        to_state: StationState,
        *,
        actor: str,
        reason: str = "",
        outbox: Sequence[NewOutboxItem] = (),
        print_jobs: Sequence[NewPrintJob] = (),
    ) -> StationOrder:
        """Move an order to `to_state` if the state machine allows it, atomically with its
        audit row and the effects it causes. An order not yet at the station enters as NEW."""
        order = self.store.orders.get(order_id)
        if order is None:
            raise OrderNotFound(f"No order {order_id} in the local database; run a sync.")
        current = self.store.station.get(order_id)
        held_from = None
        if current is None:
            from_state = None
            if to_state is not StationState.NEW:
                check_transition(order.name, StationState.NEW, to_state)
        else:
            from_state = current.state
            check_transition(order.name, current.state, to_state)
            if to_state is StationState.ON_HOLD:
                held_from = current.state
        result = record_transition(
            self.store,
            Transition(
                order_id=order_id,
                from_state=from_state,
                to_state=to_state,
                actor=actor,
                reason=reason,
                held_from=held_from,
                at=self.clock.now(),
            ),
            outbox=outbox,
            print_jobs=print_jobs,
        )
        self.bus.publish(
            OrderStateChanged(
                at=result.updated_at,
                order_id=order_id,
                order_name=order.name,
                from_state=from_state,
                to_state=to_state,
                reason=reason,
            )
        )
        return result

    def hold(self, order_id: str, *, actor: str, reason: str) -> StationOrder:
        return self.move(order_id, StationState.ON_HOLD, actor=actor, reason=reason)

    def release(self, order_id: str, *, actor: str) -> StationOrder:
        """Put a held order back where it was when it was held."""
        current = self.store.station.get(order_id)
        if current is None or current.state is not StationState.ON_HOLD:
            state = current.state.value if current else "not at the station"
            raise ValueError(f"Only an order on hold can be released; this one is {state}.")
        back_to = current.held_from or StationState.NEW
        if back_to is StationState.PACKING:
            back_to = StationState.READY  # the pack starts over: its scans were for then
        if not can_transition(StationState.ON_HOLD, back_to):
            back_to = StationState.NEW
        return self.move(order_id, back_to, actor=actor, reason="released from hold")
