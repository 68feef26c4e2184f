"""What the sections share: a figure with its change, and column units."""

from __future__ import annotations

from decimal import Decimal

from packdesk.domain.analytics.formulas import change
from packdesk.domain.analytics.report import Figure, Unit

Number = Decimal | float | int | None


def figure(key: str, label: str, unit: Unit, value: Number, previous: Number = None) -> Figure:
    """A headline number with the period before's and the change between them: relative
    for amounts and counts, the difference (in points) for percentages."""
    now, then = _float(value), _float(previous)
    if unit == "percent":
        moved = None if now is None or then is None else now - then
    else:
        moved = change(now, then)
    return Figure(key=key, label=label, value=value, unit=unit, previous=previous, change=moved)


def units(*kinds: Unit) -> list[Unit]:
    return list(kinds)


def _float(value: Number) -> float | None:
    return None if value is None else float(value)
