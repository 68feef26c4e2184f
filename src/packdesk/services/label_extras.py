"""Extra labels: a label Shippo made under a purchase key beside the one packdesk kept (or
when packdesk kept none), refunded and written in the order's history.

They come from a purchase Shippo finished later than the grace period after packdesk
stopped waiting (the key was looked up, nothing was there yet, the label was bought again),
or from a process that lost its claim while its request was out. For `sweep_for` after a
purchase's last request, the sweeper lists Shippo's recent transactions and refunds every
bought one under a known key that is not the key's stored label. The TUI and the daemon may
sweep at once: an extra is recorded once, and the one that sees its refund through first
writes the history line.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from packdesk.domain.models import LabelPurchase, PurchaseState
from packdesk.domain.shipping import (
    CarrierError,
    CarrierRefused,
    CarrierUnavailable,
    ExtraLabel,
    LabelResult,
    RefundResult,
)
from packdesk.services.shipping import ShippingService

log = logging.getLogger(__name__)

ACTOR = "label-sweep"
CLOCK_MARGIN = timedelta(minutes=30)
"""Listings reach back to a purchase row's time minus this margin (Shippo's clock and the
station's may differ by a little)."""
KEPT_STATES = (PurchaseState.BOUGHT, PurchaseState.VOIDED)
"""Rows whose own transaction is the package's label (live, or refunded by a void)."""
REFUNDED = ("REFUNDED", "REFUNDPENDING")


class ExtraLabels:
    """Finds and refunds extra labels (the `sweep_labels` job, and look-ups that find two)."""

    def __init__(self, shipping: ShippingService) -> None:
        self.store = shipping.store
        self.carrier = shipping.carrier
        self.clock = shipping.clock
        self.config = shipping.config

    def sweep(self) -> list[ExtraLabel]:
        """Refund the extra labels of purchases whose last request went out within
        `sweep_for`; returns those this run saw refunded."""
        rows = self.store.labels.sent_since(self.clock.now() - self.config.sweep_for)
        if not rows:
            return []
        by_key = {row.key: row for row in rows}
        since = min(row.created_at for row in rows) - CLOCK_MARGIN
        refunded: list[ExtraLabel] = []
        for result in self.carrier.list_transactions(since=since):
            row = by_key.get(result.metadata)
            if row is None or not result.bought:
                continue
            if row.state in KEPT_STATES and row.transaction_id == result.transaction_id:
                continue
            kept = row.tracking_number if row.state in KEPT_STATES else ""
            done = self.refund(row, result, kept=kept)
            if done is not None:
                refunded.append(done)
        return refunded

    def refund(
        self, purchase: LabelPurchase, result: LabelResult, *, kept: str = ""
    ) -> ExtraLabel | None:
        """Record and refund one extra label (`kept`: the tracking number of the label the
        package keeps, if any); the record when this call saw the refund through."""
        now = self.clock.now()
        extra = ExtraLabel(
            transaction_id=result.transaction_id,
            purchase_key=purchase.key,
            order_id=purchase.order_id,
            package_no=purchase.package_no,
            tracking_number=result.tracking_number,
            found_at=now,
        )
        if self.store.labels.add_extra(extra):
            log.warning(
                "extra label %s (%s) under %s: refunding it",
                result.tracking_number,
                result.transaction_id,
                purchase.key,
            )
        else:
            known = self.store.labels.extra(result.transaction_id)
            if known is not None and known.refunded_at is not None:
                return None
        answer = self._refund(extra, purchase, kept)
        if answer is None:
            return None
        if not self.store.labels.extra_refunded(
            extra.transaction_id, refund_id=answer.refund_id, at=now
        ):
            return None  # another sweeper saw it through and wrote the history line
        self._history(
            purchase,
            f"extra label {_label(result)} of package {purchase.package_no} refunded"
            f"{f' (refund {answer.refund_id})' if answer.refund_id else ''}: Shippo made it "
            f"under {purchase.key} "
            + (f"beside the label kept, {kept}" if kept else "while no label was kept for it"),
        )
        return extra.model_copy(update={"refund_id": answer.refund_id, "refunded_at": now})

    def _refund(self, extra: ExtraLabel, purchase: LabelPurchase, kept: str) -> RefundResult | None:
        """Shippo's refund of the extra, or None when it waits (unreachable) or was refused."""
        try:
            answer = self.carrier.refund(extra.transaction_id)
        except CarrierUnavailable as exc:
            log.warning("refund of extra label %s waits: %s", extra.transaction_id, exc)
            return None
        except CarrierRefused as exc:
            if self._refunded_already(extra.transaction_id):
                return RefundResult(refund_id="", status="REFUNDED")
            self._refused(extra, purchase, str(exc))
            return None
        if answer.status == "ERROR":
            self._refused(extra, purchase, "Shippo answered ERROR")
            return None
        return answer

    def _refunded_already(self, transaction_id: str) -> bool:
        try:
            return self.carrier.get_transaction(transaction_id).status in REFUNDED
        except CarrierError:
            return False

    def _refused(self, extra: ExtraLabel, purchase: LabelPurchase, why: str) -> None:
        log.error("Shippo refused to refund extra label %s: %s", extra.transaction_id, why)
        if self.store.labels.extra_refused(extra.transaction_id, error=why):
            self._history(
                purchase,
                f"extra label {extra.tracking_number} ({extra.transaction_id}) of package "
                f"{purchase.package_no} could not be refunded: {why} — ask Shippo support "
                "to refund it",
            )

    def _history(self, purchase: LabelPurchase, reason: str) -> None:
        self.store.station.record_event(
            purchase.order_id, actor=ACTOR, reason=reason, at=self.clock.now()
        )


def _label(result: LabelResult) -> str:
    return f"{result.tracking_number} ({result.transaction_id})"
