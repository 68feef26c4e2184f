"""What happens after the last scan: the label is bought (exactly once, by the label
service) and the label and the packing slip are printed.

Nothing here raises for the packer: a refused or pending label and a printer that is off
come back as sentences saying what to do, and the order stays PACKED ("label pending") until
the label is bought, in the background or on the packer's F2.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict

from packdesk.domain.models import LabelPurchase, Order, PurchaseState
from packdesk.services.labels import LabelService
from packdesk.services.printing import PrintService

log = logging.getLogger(__name__)


class PackOutcome(BaseModel):
    """What happened after the last scan: the label bought (or not) and the prints queued."""

    model_config = ConfigDict(frozen=True)

    order_name: str
    tracking_number: str = ""
    carrier: str = ""
    service: str = ""
    label_error: str = ""
    print_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.label_error and not self.print_error


def buy_and_print(
    labels: LabelService, printing: PrintService, order: Order, actor: str
) -> PackOutcome:
    """Buy the packed order's label, then queue its slip and send every due print job
    (the label job is queued with the purchase). Blocking: run it off the event loop."""
    label_error = print_error = ""
    purchase: LabelPurchase | None = None
    try:
        purchase = labels.buy(order.id, actor=actor)
    except Exception as exc:  # shown to the packer; the order stays PACKED
        log.exception("label purchase for %s failed", order.name)
        label_error = _sentence(exc, "Press F2 to try again, or F5 to hold the order.")
    else:
        if purchase.state is not PurchaseState.BOUGHT:
            label_error = purchase.error or (
                f"The label is {purchase.state.value.lower()}; it will be retried "
                "in the background, or press F2."
            )
    try:
        printing.enqueue_slip(order.id)
        printing.run_once()
    except Exception as exc:
        log.exception("printing for %s failed", order.name)
        print_error = _sentence(exc, "The job stays queued; check the printer and F3.")
    bought = purchase if purchase is not None and purchase.state is PurchaseState.BOUGHT else None
    return PackOutcome(
        order_name=order.name,
        tracking_number=bought.tracking_number if bought else "",
        carrier=bought.carrier if bought else "",
        service=bought.service_name if bought else "",
        label_error=label_error,
        print_error=print_error,
    )


def _sentence(exc: Exception, fix: str) -> str:
    text = str(exc).strip() or type(exc).__name__
    if not text.endswith((".", "!", "?")):
        text += "."
    return text if "F2" in text or fix in text else f"{text} {fix}"
