"""Shopify's API versions as it answers them on a given day.

Versions are quarterly (YYYY-01, -04, -07, -10), released at 17:00 UTC on the first of the
month and supported for twelve months. A request names a version in its URL; Shopify answers
with that version while it is supported (or while it is the next quarter's release
candidate, or `unstable`), and otherwise with the oldest supported stable version. Either
way the `X-Shopify-API-Version` response header names the version actually used, which is
how a client learns that its version was retired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

UNSTABLE = "unstable"
QUARTER_MONTHS = (1, 4, 7, 10)
SUPPORT_MONTHS = 12
RELEASE_HOUR_UTC = 17

_HANDLE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class ApiVersion:
    """One stable version, by year and month."""

    year: int
    month: int

    @property
    def handle(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def released(self) -> datetime:
        return datetime(self.year, self.month, 1, RELEASE_HOUR_UTC, tzinfo=UTC)

    def retired(self) -> datetime:
        """When support ends: the same day twelve months after release."""
        return datetime(
            self.year + SUPPORT_MONTHS // 12, self.month, 1, RELEASE_HOUR_UTC, tzinfo=UTC
        )

    def next(self) -> ApiVersion:
        return (
            ApiVersion(self.year + 1, 1)
            if self.month == 10
            else ApiVersion(self.year, self.month + 3)
        )


def parse(handle: str) -> ApiVersion | None:
    """A quarterly version's handle as an ApiVersion; None for anything else."""
    match = _HANDLE.match(handle)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return ApiVersion(year, month) if month in QUARTER_MONTHS else None


def supported(now: datetime) -> list[ApiVersion]:
    """The stable versions supported at `now`, oldest first."""
    version = ApiVersion(now.year - 1, 1)
    found = []
    while version.released() <= now:
        if now < version.retired():
            found.append(version)
        version = version.next()
    return found


def newest_stable(now: datetime) -> str:
    return supported(now)[-1].handle


def oldest_supported(now: datetime) -> str:
    return supported(now)[0].handle


def release_candidate(now: datetime) -> str:
    return supported(now)[-1].next().handle


def resolve(requested: str, now: datetime) -> str:
    """The version Shopify answers a request for `requested` with at `now`."""
    if requested == UNSTABLE:
        return UNSTABLE
    version = parse(requested)
    live = supported(now)
    if version is not None and (version in live or version == live[-1].next()):
        return version.handle
    return live[0].handle


def at_least(handle: str, minimum: str) -> bool:
    """Whether the version answered with has what `minimum` introduced (unstable has all)."""
    if handle == UNSTABLE:
        return True
    version, floor = parse(handle), parse(minimum)
    assert version is not None
    assert floor is not None
    return version >= floor
