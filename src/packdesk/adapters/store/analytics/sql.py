"""The few pieces of analytical SQL that are an engine's own, in one place.

Everything else the analytics queries use is standard SQL that SQLite and PostgreSQL share:
CTEs, `VALUES` lists, window functions (`SUM() OVER`, `PERCENT_RANK()`), `CASE`, `COALESCE`,
`NULLIF`. What differs is how a decimal text becomes integer cents and how two timestamps
give a number of days; a PostgreSQL store adds its own `AnalyticsSql` beside `SQLITE`
(`CAST(x AS NUMERIC)`, `EXTRACT(EPOCH FROM b - a) / 86400`, `FLOOR(x)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from packdesk.adapters.store.db import StoreError


@dataclass(frozen=True)
class AnalyticsSql:
    cents_of: str
    """A money column (decimal text) as integer cents; `{x}` is the column."""
    days_of: str
    """Days from `{b}` to `{a}` (both ISO 8601 timestamps) as a real number."""
    whole_of: str
    """A non-negative real `{x}` cut to its whole part (SQLite's CAST truncates; PostgreSQL's
    rounds, so it takes FLOOR)."""

    def cents(self, column: str) -> str:
        return self.cents_of.format(x=column)

    def days(self, later: str, earlier: str) -> str:
        return self.days_of.format(a=later, b=earlier)

    def whole(self, value: str) -> str:
        return self.whole_of.format(x=value)


SQLITE = AnalyticsSql(
    cents_of="CAST(ROUND(CAST({x} AS REAL) * 100) AS INTEGER)",
    days_of="(julianday({a}) - julianday({b}))",
    whole_of="CAST({x} AS INTEGER)",
)


def analytics_sql(dialect: str) -> AnalyticsSql:
    """The fragments of the engine named `dialect` (a `Dialect.name`)."""
    if dialect == "sqlite":
        return SQLITE
    raise StoreError(
        f"packdesk's analytics have no SQL for the {dialect} store yet; run `packdesk report` "
        "on a station with the SQLite store."
    )


def bucket_values(count: int) -> str:
    """`VALUES (?, ?, ?), ...` for `count` buckets of (label, start, end)."""
    return ", ".join("(?, ?, ?)" for _ in range(count))


NOT_CANCELLED = "o.cancelled_at IS NULL"
"""Orders that count in sales: cancelled ones are left out (docs/analytics.md)."""
