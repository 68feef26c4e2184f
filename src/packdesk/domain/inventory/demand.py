"""Demand of one SKU at one location: how many a day it sells, and how much that varies.

Velocity is counted over a window of whole days before today (30 by default) and leaves out
the days the SKU was out of stock there, since a day with nothing on the shelf says nothing
about demand. Which days were out comes from the stock packdesk saw:

- a day with an observation is out when the lowest quantity seen that day was zero or less;
- a day without one carries the last observation before it forward;
- before packdesk first saw the level, stock is unknown and counted as in stock, except when
  the first sight was already out: then the days after the last sale before it are taken as
  out too (the shelf most likely emptied with that sale), and said to be inferred.

FBA sells through Amazon, whose orders packdesk does not see: its velocity is what left
Amazon's network between two reports (their totals falling), over the days between them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class StockDay:
    """What packdesk saw of one level on one day: the lowest and the last available."""

    day: date
    min_available: int
    last_available: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Demand:
    """Velocity and its variability, with what went into them."""

    window_start: date
    window_end: date
    """Inclusive: the day before today."""
    days_in_window: int
    days_counted: int
    """Days in stock: the ones velocity is counted over."""
    out_days: int = 0
    """Days left out because the SKU was out of stock (observed or inferred)."""
    inferred_out_days: int = 0
    """Of `out_days`, the ones inferred before packdesk first saw the level (module doc)."""
    units: int = 0
    """Units sold on the counted days."""
    velocity: float = 0.0
    """Units a day: `units / days_counted`."""
    sigma_daily: float | None = 0.0
    """Standard deviation of units sold a day over the counted days; None when the source
    has no daily sales (FBA)."""
    basis: str = "orders"
    """`orders` (Shopify sales) or `fba reports` (Amazon's totals between reports)."""

    def explain(self) -> str:
        if self.basis != "orders":
            return (
                f"{self.units} units left Amazon's network over {self.days_counted} days "
                f"between reports ({self.window_start} to {self.window_end}): "
                f"{self.velocity:.2f}/day"
            )
        out = ""
        if self.out_days:
            inferred = f", {self.inferred_out_days} inferred" if self.inferred_out_days else ""
            out = f", leaving out {self.out_days} day(s) out of stock{inferred}"
        sigma = f", σ {self.sigma_daily:.2f}/day" if self.sigma_daily is not None else ""
        return (
            f"{self.units} sold in {self.days_counted} of {self.days_in_window} days "
            f"({self.window_start} to {self.window_end}{out}): {self.velocity:.2f}/day{sigma}"
        )


@lru_cache(maxsize=64)
def window(today: date, days: int) -> tuple[date, date]:
    """The whole days before `today`: (first, last)."""
    return today - timedelta(days=days), today - timedelta(days=1)


def out_of_stock_days(
    first: date,
    last: date,
    observations: Sequence[StockDay],
    sales: Mapping[date, int],
) -> tuple[set[date], set[date]]:
    """(out days, of which inferred) in [first, last]; observations sorted by day, and may
    start before `first` (the last one before the window is carried into it)."""
    out: set[date] = set()
    inferred: set[date] = set()
    carried: StockDay | None = None
    inside = False
    for o in observations:
        if o.day < first:
            carried = o
        elif o.day <= last:
            inside = True
    if carried is not None and not inside:  # most levels: nothing changed in the window
        if carried.last_available <= 0:
            out = {first + timedelta(days=n) for n in range((last - first).days + 1)}
        return out, inferred
    by_day = {o.day: o for o in observations}
    first_seen = observations[0] if observations else None
    last_sale_before_seen: date | None = None
    if first_seen is not None and first_seen.min_available <= 0:
        sold = [d for d, n in sales.items() if n > 0 and d < first_seen.day]
        last_sale_before_seen = max(sold) if sold else None
    day = first
    while day <= last:
        seen = by_day.get(day)
        if seen is not None:
            carried = seen
            if seen.min_available <= 0:
                out.add(day)
        elif carried is not None:
            if carried.last_available <= 0:
                out.add(day)
        elif (
            first_seen is not None
            and first_seen.min_available <= 0
            and day < first_seen.day
            and (last_sale_before_seen is None or day > last_sale_before_seen)
        ):
            out.add(day)
            inferred.add(day)
        day += timedelta(days=1)
    return out, inferred


def shop_demand(
    today: date,
    window_days: int,
    sales: Mapping[date, int],
    observations: Sequence[StockDay] = (),
) -> Demand:
    """Velocity and σ of daily sales over the window, out-of-stock days left out."""
    first, last = window(today, window_days)
    if observations:
        out, inferred = out_of_stock_days(first, last, observations, sales)
    else:
        out, inferred = set(), set()
    # Days with no sale add nothing to the sums, so only the days with sales are visited.
    sold = [n for d, n in sales.items() if first <= d <= last and d not in out]
    n = window_days - len(out)
    units = sum(sold)
    mean = units / n if n else 0.0
    if n >= 2:
        variance = max((sum(x * x for x in sold) - n * mean * mean) / (n - 1), 0.0)
        sigma = math.sqrt(variance)
    else:
        sigma = 0.0
    return Demand(
        window_start=first,
        window_end=last,
        days_in_window=window_days,
        days_counted=n,
        out_days=len(out),
        inferred_out_days=len(inferred),
        units=units,
        velocity=mean,
        sigma_daily=sigma,
        basis="orders",
    )


def fba_demand(today: date, window_days: int, totals: Sequence[tuple[datetime, int]]) -> Demand:
    """Velocity at FBA from the network totals of successive reports in the window (sorted
    by date): the falls between them over the days they span. Rises are inbound shipments
    and count for nothing. One report alone gives no velocity."""
    first, last = window(today, window_days)
    inside = [(at, total) for at, total in totals if first <= at.date() <= last + timedelta(1)]
    units = 0
    for (_, before), (_, after) in itertools.pairwise(inside):
        units += max(before - after, 0)
    span = (inside[-1][0] - inside[0][0]).total_seconds() / 86400 if len(inside) >= 2 else 0.0
    days = max(math.ceil(span), 0)
    return Demand(
        window_start=inside[0][0].date() if inside else first,
        window_end=inside[-1][0].date() if inside else last,
        days_in_window=window_days,
        days_counted=days,
        units=units,
        velocity=units / span if span > 0 else 0.0,
        sigma_daily=None,
        basis="fba reports",
    )
