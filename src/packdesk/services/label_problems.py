"""What stops a label purchase, as the exceptions the label service raises: each `str()` is
the sentence a person acts on (in `packdesk ship`, `ship --batch` and at the station)."""

from __future__ import annotations

from datetime import datetime

from packdesk.domain.models import Order
from packdesk.domain.shipping import clock_time
from packdesk.services.owners import this_host
from packdesk.services.purchases import PurchaseBusy
from packdesk.services.shipping import ShippingProblem


class LabelPending(ShippingProblem):
    """The label is not bought yet and will be: the order stays PACKED and is retried."""


class LabelRefused(ShippingProblem):
    """The carrier refused; nothing was bought. The order is in ERROR with the reason."""


class LabelBusy(LabelPending):
    """Another packdesk process is buying this order's label; it finishes the order."""


class LabelUnsettled(LabelPending):
    """A purchase request's answer was lost: nothing is bought until Shippo is asked at
    `settle_at`, when the label may turn out to be bought already."""

    def __init__(self, message: str, settle_at: datetime) -> None:
        super().__init__(message)
        self.settle_at = settle_at


class AlreadyLabeled(ShippingProblem):
    """The order holds a live label; a new one needs a void first."""


class MovedOn(ShippingProblem):
    """The order moved to a state that takes no label while its label was bought."""


def busy_sentence(order: Order, busy: PurchaseBusy) -> str:
    """The lost race as a person reads it: who holds the order, and until when when that
    process cannot be checked from here."""
    holder = busy.holder
    who = f" ({holder.describe()})" if holder is not None else ""
    lapse = ""
    if holder is not None and holder.host != this_host() and busy.until is not None:
        lapse = f"; if that process is gone, its claim lapses at {clock_time(busy.until)}"
    return f"{order.name} is being shipped by another packdesk process{who}{lapse}."
