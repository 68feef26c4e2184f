"""Low-stock alerts that do not nag.

An alert is raised when a SKU's available stock at a location crosses down to or below its
reorder point, and cleared when it is back above: one alert per crossing, however many
times the stock is looked at in between. A snoozed SKU raises no alert until its snooze
ends; if it is still low then, that is a crossing the owner has not heard of, and it is
raised once. Open alerts show in the status bar and the Stock screen, and go to the owner
in a daily digest, each alert in one digest only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from packdesk.domain.inventory.stock import Value


class LevelCheck(Value):
    """One SKU at one location, as the alert rule sees it."""

    variant_id: str
    sku: str
    title: str
    location: str
    available: int
    reorder_point: float

    @property
    def low(self) -> bool:
        return self.reorder_point > 0 and self.available <= self.reorder_point


class StockAlert(Value):
    """An open (or cleared) low-stock alert."""

    id: int
    variant_id: str
    sku: str
    title: str
    location: str
    raised_at: datetime
    available: int
    reorder_point: float
    cleared_at: datetime | None = None
    digested_at: datetime | None = None

    def sentence(self) -> str:
        state = "out of stock" if self.available <= 0 else f"{self.available} available"
        return (
            f"{self.sku} {self.title} at {self.location}: {state}, reorder point "
            f"{self.reorder_point:.1f} (since {self.raised_at:%Y-%m-%d %H:%M} UTC)"
        )


class Snooze(Value):
    variant_id: str
    sku: str = ""
    until: datetime
    reason: str = ""


def crossings(
    checks: Iterable[LevelCheck],
    open_alerts: Mapping[tuple[str, str], StockAlert],
    snoozed: set[str],
) -> tuple[list[LevelCheck], list[StockAlert]]:
    """(checks to raise an alert for, open alerts to clear).

    `open_alerts` by (variant id, location); `snoozed` holds variant ids snoozed now."""
    raise_: list[LevelCheck] = []
    clear: list[StockAlert] = []
    for check in checks:
        key = (check.variant_id, check.location)
        is_open = key in open_alerts
        if check.low and not is_open and check.variant_id not in snoozed:
            raise_.append(check)
        elif not check.low and is_open:
            clear.append(open_alerts[key])
    return raise_, clear


def digest_text(alerts: Sequence[StockAlert], shop: str, day: str) -> tuple[str, str]:
    """(subject, body) of the owner's daily digest of new low-stock alerts."""
    subject = f"{shop}: {len(alerts)} SKU(s) low on stock ({day})"
    lines = [
        f"Low-stock alerts raised since the last digest ({len(alerts)}):",
        "",
        *(f"- {a.sentence()}" for a in alerts),
        "",
        "`packdesk reorder` shows what to order and why; `packdesk stock snooze SKU` "
        "silences a SKU for a while.",
    ]
    return subject, "\n".join(lines)
