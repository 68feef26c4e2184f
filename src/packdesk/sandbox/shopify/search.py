"""Shopify's search syntax for the `query:` argument, the part packdesk uses.

`updated_at:>'2024-05-01T00:00:00Z' status:open fulfillment_status:unshipped` — terms joined by
spaces or `AND`, each `field:value` with an optional comparator (`>`, `>=`, `<`, `<=`) and
optional quotes. Unknown fields are ignored (Shopify answers them with a search warning, not
an error); a leading `-` negates a term; `OR` is not supported (its terms are ANDed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_TERM = re.compile(r"""(-?)([A-Za-z_]+):(>=|<=|>|<)?('[^']*'|"[^"]*"|\S+)""")

DATE_FIELDS = {"updated_at", "created_at", "processed_at"}


@dataclass(frozen=True)
class Term:
    """One `field:op value` of a search query; `value` is epoch seconds for date fields."""

    field: str
    op: str  # ":", ">", ">=", "<", "<="
    value: str | float
    negate: bool = False


def parse_query(text: str | None) -> list[Term]:
    """The terms of a Shopify search query; dates become epoch seconds."""
    if not text:
        return []
    terms: list[Term] = []
    for m in _TERM.finditer(text):
        neg, name, op, raw = m.groups()
        raw = raw.strip("'\"")
        field = name.lower()
        if field in DATE_FIELDS:
            when = parse_time(raw)
            if when is None:
                continue
            terms.append(Term(field, op or ":", when, bool(neg)))
        else:
            value = raw.lower() if field != "name" else raw
            terms.append(Term(field, op or ":", value, bool(neg)))
    return terms


def parse_time(raw: str) -> float | None:
    """An ISO date or datetime (naive means UTC) as epoch seconds; None if unreadable."""
    try:
        dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def compare(actual: float, op: str, wanted: float) -> bool:
    """Whether `actual op wanted` holds; ':' on a date means the same second or later day."""
    if op == ">":
        return actual > wanted
    if op == ">=":
        return actual >= wanted
    if op == "<":
        return actual < wanted
    if op == "<=":
        return actual <= wanted
    return wanted <= actual < wanted + 86_400
