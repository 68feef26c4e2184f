"""Periods of time the numbers are about, and their buckets (days, weeks, months).

A period is whole calendar days in the shop's time zone (`[analytics].timezone`), first and
last day included. Buckets are cut at local midnights and handed to the store as UTC
instants, so a day is the shop's day whatever the offset or daylight saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum


class PeriodError(ValueError):
    """A period that cannot be read or makes no sense; the message says what to type."""


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


PRESETS = {
    "7d": "the last 7 days",
    "30d": "the last 30 days",
    "90d": "the last 90 days",
    "mtd": "this month so far",
    "last-month": "last month",
    "ytd": "this year so far",
    "12m": "the last 12 months",
}
"""Periods the Analytics screen and `packdesk report --period` offer by name."""


@dataclass(frozen=True)
class Bucket:
    """One bar of a trend: its label and the UTC instants it covers (end excluded)."""

    label: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Period:
    """Days `first`..`last` (both included) in the time zone `zone`."""

    first: date
    last: date
    zone: tzinfo

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise PeriodError(
                f"The period starts on {self.first} after it ends on {self.last}: "
                "give --from a day on or before --to."
            )

    @classmethod
    def parse(cls, first: str, last: str, zone: tzinfo) -> Period:
        """A period from two YYYY-MM-DD texts (as typed after --from and --to)."""
        return cls(_day(first, "--from"), _day(last, "--to"), zone)

    @classmethod
    def preset(cls, name: str, today: date, zone: tzinfo) -> Period:
        """A named period ending today (see PRESETS)."""
        if name == "7d":
            return cls(today - timedelta(days=6), today, zone)
        if name == "30d":
            return cls(today - timedelta(days=29), today, zone)
        if name == "90d":
            return cls(today - timedelta(days=89), today, zone)
        if name == "mtd":
            return cls(today.replace(day=1), today, zone)
        if name == "last-month":
            end = today.replace(day=1) - timedelta(days=1)
            return cls(end.replace(day=1), end, zone)
        if name == "ytd":
            return cls(today.replace(month=1, day=1), today, zone)
        if name == "12m":
            return cls(_add_months(today.replace(day=1), -11), today, zone)
        raise PeriodError(f"Unknown period {name!r}; use one of {', '.join(PRESETS)}.")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return local_midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC."""
        return local_midnight(self.last + timedelta(days=1), self.zone)

    def previous(self) -> Period:
        """The period of the same length just before this one (for the change figures)."""
        return Period(
            self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.zone
        )

    def describe(self) -> str:
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    def grain(self) -> Grain:
        """The trend's bucket that gives a readable chart: days up to about six weeks, weeks
        up to about half a year, months beyond."""
        if self.days <= 45:
            return Grain.DAY
        if self.days <= 190:
            return Grain.WEEK
        return Grain.MONTH

    def buckets(self, grain: Grain | None = None) -> list[Bucket]:
        """The period cut into days, ISO weeks (Monday first) or calendar months; the first
        and last bucket are clipped to the period."""
        grain = grain or self.grain()
        found: list[Bucket] = []
        day = self.first
        while day <= self.last:
            if grain is Grain.DAY:
                following = day + timedelta(days=1)
                label = day.isoformat()
            elif grain is Grain.WEEK:
                following = day + timedelta(days=7 - day.weekday())
                year, week, _ = day.isocalendar()
                label = f"{year}-W{week:02d}"
            else:
                following = _add_months(day.replace(day=1), 1)
                label = day.strftime("%Y-%m")
            following = min(following, self.last + timedelta(days=1))
            found.append(
                Bucket(label, local_midnight(day, self.zone), local_midnight(following, self.zone))
            )
            day = following
        return found

    def months_back(self, count: int) -> list[Bucket]:
        """The `count` calendar months ending with the period's last month, whole (for
        cohorts: a customer's first month and the months after it)."""
        last = self.last.replace(day=1)
        months = [_add_months(last, -n) for n in range(count - 1, -1, -1)]
        return [
            Bucket(
                m.strftime("%Y-%m"),
                local_midnight(m, self.zone),
                local_midnight(_add_months(m, 1), self.zone),
            )
            for m in months
        ]


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            f"{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-01."
        ) from None


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
