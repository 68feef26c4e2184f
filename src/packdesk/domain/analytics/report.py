"""The report a person reads: figures with their change, charts, tables and notes.

The Analytics screen, `packdesk report` (PDF, CSV, JSON) and the weekly e-mail all show this
one model, so a number is the same wherever it is read. Money is `Decimal` in the shop's
currency; ratios are floats (0.25 is 25 %).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Unit = Literal["money", "count", "percent", "days", "ratio", "text"]
Cell = str | int | float | Decimal | None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Figure(Frozen):
    """One headline number, with the same number for the period before."""

    key: str
    label: str
    value: Decimal | float | int | None
    unit: Unit
    previous: Decimal | float | int | None = None
    change: float | None = None
    """(value − previous) / previous, or value − previous for a percentage (points); None
    when there is nothing to compare with."""


class Chart(Frozen):
    """Bars or a line over labels; each series is one colour."""

    key: str
    title: str
    kind: Literal["bar", "line"]
    labels: list[str]
    series: dict[str, list[float]]
    unit: Unit


class Table(Frozen):
    """Rows under named columns; `units` says how to show each column."""

    key: str
    """The CSV file's name (without .csv)."""
    title: str
    columns: list[str]
    units: list[Unit]
    rows: list[list[Cell]]
    note: str = ""


class Section(Frozen):
    key: str
    title: str
    figures: list[Figure] = Field(default_factory=list)
    charts: list[Chart] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    """Sentences a reader must see: coverage, currencies, an empty period."""


class Report(Frozen):
    title: str
    first: date
    last: date
    previous_first: date
    previous_last: date
    currency: str
    generated_at: datetime
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def show(value: Cell, unit: Unit, currency: str = "") -> str:
    """A value as a person reads it: "$1,234.50", "12.5 %", "3.2 days", "—" for unknown."""
    if value is None:
        return "—"
    if unit == "money":
        amount = Decimal(str(value))
        sign = "−" if amount < 0 else ""
        symbol = "$" if currency in ("USD", "CAD", "AUD", "") else f"{currency} "
        return f"{sign}{symbol}{abs(amount):,.2f}"
    if unit == "percent":
        return f"{float(value) * 100:.1f} %"
    if unit == "days":
        return f"{float(value):.1f} d"
    if unit == "ratio":
        return f"{float(value):.2f}"
    if unit == "count" and isinstance(value, int | Decimal):
        return f"{int(value):,}"
    return str(value)


def show_change(change: float | None, unit: Unit = "count") -> str:
    """ "▲ 12.5 %" (relative), or "▼ 3.0 pt" for a percentage's change in points."""
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return f"{arrow} {abs(change) * 100:.1f} {'pt' if unit == 'percent' else '%'}"
