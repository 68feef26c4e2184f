"""The order at the station: its states and the transitions a packer or a job may make."""

from __future__ import annotations

from enum import StrEnum


class StationState(StrEnum):
    """Where an order stands at the packing station (DESIGN.md, "The order at the station")."""

    NEW = "NEW"
    """In the queue; rates not fetched yet."""
    READY = "READY"
    """Address checked and rates fetched: scanning it goes straight to a label."""
    PACKING = "PACKING"
    """A packer has it open and is scanning its items."""
    PACKED = "PACKED"
    """Every item scanned; the label is being bought, or is pending while the carrier is away."""
    LABELED = "LABELED"
    """The label is bought and stored; printing is queued."""
    PRINTED = "PRINTED"
    """The label came out of the label printer."""
    FULFILLED = "FULFILLED"
    """Shopify holds the fulfillment with its tracking number."""
    DELIVERED = "DELIVERED"
    """The carrier reports the parcel delivered."""
    ON_HOLD = "ON_HOLD"
    """Kept out of packing: invalid address, a note to review, missing stock, or a manual hold."""
    ERROR = "ERROR"
    """The carrier or Shopify refused something; the reason is kept and shown."""
    CANCELLED = "CANCELLED"
    """Cancelled in Shopify: pulled from the queue with the reason shown."""
    MOVED = "MOVED"
    """Its fulfillment order was moved to another location in Shopify: it left this
    station's queue (the reason names where). It comes back as NEW if moved back."""


S = StationState

ALLOWED_TRANSITIONS: dict[StationState, frozenset[StationState]] = {
    S.NEW: frozenset({S.READY, S.PACKING, S.ON_HOLD, S.ERROR, S.FULFILLED, S.CANCELLED, S.MOVED}),
    S.READY: frozenset({S.NEW, S.PACKING, S.ON_HOLD, S.ERROR, S.FULFILLED, S.CANCELLED, S.MOVED}),
    S.PACKING: frozenset({S.NEW, S.READY, S.PACKED, S.ON_HOLD, S.FULFILLED, S.CANCELLED, S.MOVED}),
    S.PACKED: frozenset({S.PACKING, S.LABELED, S.ON_HOLD, S.ERROR, S.CANCELLED, S.MOVED}),
    # A bought label can only be undone by voiding it (back to PACKED); cancelling an order
    # with a live label therefore goes through the void prompt first.
    S.LABELED: frozenset({S.PRINTED, S.FULFILLED, S.PACKED, S.ERROR}),
    S.PRINTED: frozenset({S.FULFILLED, S.PACKED}),
    S.FULFILLED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.ON_HOLD: frozenset({S.NEW, S.READY, S.PACKED, S.FULFILLED, S.CANCELLED, S.MOVED}),
    S.ERROR: frozenset({S.NEW, S.READY, S.PACKED, S.LABELED, S.ON_HOLD, S.CANCELLED, S.MOVED}),
    S.CANCELLED: frozenset(),
    # Moved to another location upstream: off this station's queue, never
    # released by hand; only Shopify moving it back brings it in again.
    S.MOVED: frozenset({S.NEW}),
}

QUEUE_STATES: frozenset[StationState] = frozenset(
    {S.NEW, S.READY, S.PACKING, S.PACKED, S.LABELED, S.ON_HOLD, S.ERROR}
)
"""States in which an order shows in the packing queue."""

LABEL_BOUGHT_STATES: frozenset[StationState] = frozenset({S.LABELED, S.PRINTED, S.FULFILLED})
"""States in which the order holds a live label (a cancellation then asks for a void)."""


READY_TO_PACK: frozenset[StationState] = frozenset({S.NEW, S.READY})
"""States from which opening an order starts a fresh pack (the next order to pack is one)."""

PACKABLE: frozenset[StationState] = frozenset({S.NEW, S.READY, S.PACKING, S.PACKED})
"""States in which an order can be opened on the pack screen (PACKING resumes its scans,
PACKED offers the pending label)."""


def stops_a_pack(before: StationState | None, after: StationState | None) -> bool:
    """Whether a move made elsewhere (sync, another station) means the packer must stop the
    pack on the screen and put its items back: it was cancelled or held while being packed."""
    return before in (S.PACKING, S.PACKED) and after in (S.CANCELLED, S.ON_HOLD)


class TransitionRefused(ValueError):
    """A transition the station does not allow, with a sentence a packer can read."""

    def __init__(self, order_name: str, current: StationState, wanted: StationState) -> None:
        self.order_name = order_name
        self.current = current
        self.wanted = wanted
        super().__init__(
            f"Order {order_name} is {current.value} and cannot become {wanted.value}"
            f"; allowed next: {', '.join(sorted(s.value for s in ALLOWED_TRANSITIONS[current])) or 'none'}."
        )


def can_transition(current: StationState, wanted: StationState) -> bool:
    """Whether the station allows `current -> wanted`."""
    return wanted in ALLOWED_TRANSITIONS[current]


def check_transition(order_name: str, current: StationState, wanted: StationState) -> None:
    """Raise `TransitionRefused` unless `current -> wanted` is allowed."""
    if not can_transition(current, wanted):
        raise TransitionRefused(order_name, current, wanted)
