"""Conversions between domain values and SQL columns, shared by the repositories."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

CHUNK = 500
"""Ids per `IN (...)` list: well under every engine's limit on parameters."""


def ts(value: datetime | None) -> str | None:
    """A datetime as ISO 8601 UTC text, which sorts the same as the time it names."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def required_ts(value: str | None) -> datetime:
    """A timestamp column that is never empty."""
    parsed = parse_ts(value)
    assert parsed is not None
    return parsed


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None


def marks(values: Sequence[Any]) -> str:
    """The placeholders of an `IN (...)` list of `values`."""
    return ",".join("?" for _ in values)


def chunks(values: Sequence[str]) -> list[list[str]]:
    """`values` in lists of at most `CHUNK`, for `IN (...)` lists."""
    items = list(values)
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]
