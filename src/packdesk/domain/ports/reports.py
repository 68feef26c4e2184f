"""Files of the numbers: the report as PDF, CSV and JSON, and the fact tables for a data
warehouse as CSV or Parquet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from packdesk.domain.analytics.export import FactTable
from packdesk.domain.analytics.report import Report


class ReportWriter(Protocol):
    def pdf(self, report: Report) -> bytes:
        """The report as a PDF with its charts."""
        ...

    def write(self, report: Report, folder: Path, formats: Sequence[str]) -> list[Path]:
        """Write the report into `folder` in each of `formats` (`pdf`, `csv`: one file per
        table and a summary, `json`); returns the files written."""
        ...


class FactWriter(Protocol):
    def formats(self) -> list[str]:
        """The formats this installation can write (`csv`; `parquet` with the extra)."""
        ...

    def write(
        self, table: FactTable, rows: Iterable[tuple[object, ...]], folder: Path, kind: str
    ) -> Path:
        """Write one fact table as `<name>.<kind>` into `folder`; returns the file."""
        ...

    def write_columns(self, tables: Sequence[FactTable], folder: Path) -> Path:
        """`columns.csv`: every column of every table with its type and meaning."""
        ...
