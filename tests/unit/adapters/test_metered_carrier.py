"""Every label purchase is counted by its result and timed, and then passed on unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from packdesk.adapters.metrics import MeteredCarrier
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable, LabelResult


class Carrier:
    """Answers `buy_label` with what it was given: a result, or an exception to raise."""

    def __init__(self, answer: LabelResult | Exception) -> None:
        self.answer = answer

    def buy_label(self, rate_id: str, label_format: str, metadata_key: str) -> LabelResult:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"{name} was not expected")


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        self.t += 1.25
        return self.t


@pytest.mark.parametrize(
    ("answer", "result"),
    [
        (LabelResult(transaction_id="t", status="SUCCESS"), "bought"),
        (LabelResult(transaction_id="t", status="ERROR"), "refused"),
        (LabelResult(transaction_id="t", status="QUEUED"), "pending"),
        (CarrierRefused("bad address"), "refused"),
        (CarrierUnavailable("timeout"), "unavailable"),
        (RuntimeError("a bug"), "error"),
    ],
)
def test_each_purchase_is_observed_once_with_its_result_and_seconds(
    answer: LabelResult | Exception, result: str
) -> None:
    seen: list[tuple[str, float]] = []
    carrier = MeteredCarrier(Carrier(answer), lambda r, s: seen.append((r, s)), Clock())
    if isinstance(answer, Exception):
        with pytest.raises(type(answer)):
            carrier.buy_label("rate", "PDF_4x6", "order:1:pkg:1:try:1")
    else:
        assert carrier.buy_label("rate", "PDF_4x6", "order:1:pkg:1:try:1") is answer
    assert seen == [(result, 1.25)]
