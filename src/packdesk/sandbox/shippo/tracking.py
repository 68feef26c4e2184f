"""Tracking: Shippo's test numbers, and the journey of every label this sandbox sold.

A label sold here travels on sandbox time: PRE_TRANSIT on the day of purchase, TRANSIT one
day later, DELIVERED `estimated_days + 1` days after purchase. The control API can also move
one label on at once (`advance`), and from then on its history follows those explicit
events rather than the calendar.

Two modes, as Shippo has two kinds of token:
- carrier mode (the default, what a live account sees): a label is tracked under its own
  carrier (`usps`, `ups`, `fedex`), so the demo's parcels arrive.
- test mode (`test_mode = True`, what a `shippo_test_` token really gets): only carrier
  `shippo` resolves, with the numbers SHIPPO_PRE_TRANSIT, SHIPPO_TRANSIT, SHIPPO_DELIVERED,
  SHIPPO_RETURNED, SHIPPO_FAILURE and SHIPPO_UNKNOWN; a real test label answers UNKNOWN under
  its carrier ("test tracking numbers will be generated, but tracking information will not
  be updated") and so do the sandbox's. The sandbox's own labels stay trackable under
  carrier `shippo` (in both modes), which is how a test-mode client can still see a parcel
  arrive.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from packdesk.sandbox.clock import iso

TEST_CARRIER = "shippo"
TEST_NUMBERS = {
    "SHIPPO_PRE_TRANSIT": "PRE_TRANSIT",
    "SHIPPO_TRANSIT": "TRANSIT",
    "SHIPPO_DELIVERED": "DELIVERED",
    "SHIPPO_RETURNED": "RETURNED",
    "SHIPPO_FAILURE": "FAILURE",
    "SHIPPO_UNKNOWN": "UNKNOWN",
}
DETAILS = {
    "PRE_TRANSIT": "Shipping label created; the carrier is awaiting the item.",
    "TRANSIT": "Accepted at the carrier's origin facility; in transit to the next facility.",
    "DELIVERED": "Your item was delivered at the front door or porch.",
    "RETURNED": "The item is being returned to the sender.",
    "FAILURE": "Delivery attempt failed.",
    "UNKNOWN": "The carrier has no information about this tracking number yet.",
}
MOVES = ("TRANSIT", "DELIVERED", "RETURNED", "FAILURE")
_NEXT = {"PRE_TRANSIT": "TRANSIT", "TRANSIT": "DELIVERED"}
# Where Shippo's test numbers travel (the places its own sample answers name).
_TEST_FROM = {"city": "San Francisco", "state": "CA", "zip": "94103", "country": "US"}
_TEST_TO = {"city": "Chicago", "state": "IL", "zip": "60611", "country": "US"}
_TEST_STEPS = {
    "PRE_TRANSIT": ("PRE_TRANSIT",),
    "TRANSIT": ("PRE_TRANSIT", "TRANSIT"),
    "DELIVERED": ("PRE_TRANSIT", "TRANSIT", "DELIVERED"),
    "RETURNED": ("PRE_TRANSIT", "TRANSIT", "RETURNED"),
    "FAILURE": ("PRE_TRANSIT", "TRANSIT", "FAILURE"),
    "UNKNOWN": ("UNKNOWN",),
}


class TrackingError(ValueError):
    """A control request that cannot move a parcel; the message says what to send."""


def place(address: dict[str, Any]) -> dict[str, str]:
    """The part of an address a tracking event names."""
    return {k: str(address.get(k) or "") for k in ("city", "state", "zip", "country")}


def event(status: str, moment: datetime, where: dict[str, str] | None) -> dict[str, Any]:
    """One TrackingStatus as Shippo writes it."""
    stamp = iso(moment)
    made: dict[str, Any] = {
        "object_id": hashlib.md5(f"{status} {stamp}".encode()).hexdigest(),
        "object_created": stamp,
        "object_updated": stamp,
        "status": status,
        "status_details": DETAILS[status],
        "status_date": stamp,
    }
    if where is not None:
        made["location"] = dict(where)
    return made


@dataclass
class Parcel:
    """What the carrier knows of one label this sandbox sold."""

    transaction: str
    number: str
    carrier: str  # Shippo's carrier token: usps, ups, fedex
    bought: datetime
    days: int
    origin: dict[str, str]
    destination: dict[str, str]
    eta: str
    servicelevel: dict[str, str]
    moves: list[tuple[str, datetime]] = field(default_factory=list)


class TrackingBoard:
    """Every sold label's journey, and the test-mode switch."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.test_mode = False
        self._parcels: dict[str, Parcel] = {}
        self._lock = threading.Lock()

    def sold(self, number: str) -> bool:
        """Whether a label with this tracking number was sold here."""
        return number in self._parcels

    def register(self, parcel: Parcel) -> None:
        with self._lock:
            self._parcels[parcel.number] = parcel

    def history(self, parcel: Parcel) -> list[dict[str, Any]]:
        """The events that have happened by sandbox now, oldest first."""
        now = self.now()
        with self._lock:
            moves = list(parcel.moves)
        until = moves[0][1] if moves else now
        steps = [
            ("PRE_TRANSIT", parcel.bought, parcel.origin),
            ("TRANSIT", parcel.bought + timedelta(days=1), parcel.origin),
            ("DELIVERED", parcel.bought + timedelta(days=parcel.days + 1), parcel.destination),
        ]
        events = [event(s, at, where) for s, at, where in steps if at <= now and at <= until]
        if moves and not events:
            events.append(event("PRE_TRANSIT", parcel.bought, parcel.origin))
        for status, at in moves:
            where = parcel.origin if status in ("TRANSIT", "RETURNED") else parcel.destination
            events.append(event(status, at, where))
        return events

    def status(self, number: str) -> str:
        """A sold label's current status as its transaction shows it (UNKNOWN in test mode)."""
        parcel = self._parcels.get(number)
        if parcel is None or self.test_mode:
            return "UNKNOWN"
        events = self.history(parcel)
        return str(events[-1]["status"]) if events else "PRE_TRANSIT"

    def advance(self, number: str, status: str | None) -> dict[str, Any]:
        """Move a sold label on now: to `status`, or to the next step of its journey."""
        parcel = self._parcels.get(number)
        if parcel is None:
            raise TrackingError(f"No label with tracking number {number!r} was sold here.")
        if status is None:
            current = str(self.history(parcel)[-1]["status"])
            status = _NEXT.get(current)
            if status is None:
                raise TrackingError(
                    f"The parcel {number} is {current}; send "
                    f'{{"status": ...}} with one of {", ".join(MOVES)} to move it anyway.'
                )
        if status not in MOVES:
            raise TrackingError(f"Unknown status {status!r}; use one of {', '.join(MOVES)}.")
        with self._lock:
            parcel.moves.append((status, self.now()))
        return self.track(TEST_CARRIER if self.test_mode else parcel.carrier, number, None)

    def track(self, carrier: str, number: str, metadata: str | None) -> dict[str, Any]:
        """A Track answer for `GET /tracks/{carrier}/{number}` and `POST /tracks`."""
        carrier = carrier.strip().lower()
        answer: dict[str, Any] = {
            "carrier": carrier,
            "tracking_number": number,
            "messages": [],
            "metadata": metadata,
            "tracking_history": [],
        }
        if carrier == TEST_CARRIER and number.upper() in TEST_NUMBERS:
            return _test_number(answer, TEST_NUMBERS[number.upper()], self.now())
        parcel = self._parcels.get(number)
        known = parcel is not None and (
            carrier == TEST_CARRIER or (not self.test_mode and carrier == parcel.carrier)
        )
        if parcel is None or not known:
            answer["tracking_status"] = event("UNKNOWN", self.now(), None)
            answer["messages"] = [
                "Tracking information is not updated for test labels; track carrier "
                "'shippo' with SHIPPO_TRANSIT, SHIPPO_DELIVERED, ... instead."
                if self.test_mode
                else "Tracking number not found."
            ]
            return _clean(answer)
        events = self.history(parcel)
        answer.update(
            transaction=parcel.transaction,
            address_from=dict(parcel.origin),
            address_to=dict(parcel.destination),
            eta=parcel.eta,
            original_eta=parcel.eta,
            servicelevel=dict(parcel.servicelevel),
            tracking_status=events[-1],
            tracking_history=events,
        )
        return _clean(answer)


def _test_number(answer: dict[str, Any], status: str, now: datetime) -> dict[str, Any]:
    steps = _TEST_STEPS[status]
    history = []
    for i, step in enumerate(steps):
        at = now - timedelta(days=len(steps) - 1 - i)
        where = _TEST_TO if step in ("DELIVERED", "FAILURE") else _TEST_FROM
        history.append(event(step, at, None if step == "UNKNOWN" else where))
    answer.update(
        address_from=dict(_TEST_FROM),
        address_to=dict(_TEST_TO),
        tracking_status=history[-1],
        tracking_history=history,
    )
    if status != "UNKNOWN":
        answer["eta"] = iso(now + timedelta(days=1))
    return _clean(answer)


def _clean(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if v is not None}
