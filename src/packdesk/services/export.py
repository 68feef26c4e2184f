"""`packdesk export`: the fact tables (orders, lines, labels with cost, stock snapshots,
purchase orders) as files a data warehouse loads, with `columns.csv` saying what each
column is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packdesk.domain.analytics.export import FACT_TABLES
from packdesk.domain.ports.analytics import FactTables
from packdesk.domain.ports.reports import FactWriter


class ExportRefused(ValueError):
    """The export cannot be made as asked; the message says what to change."""


@dataclass
class ExportService:
    facts: FactTables
    writer: FactWriter

    def export(self, folder: Path, kind: str = "csv") -> list[Path]:
        """Write every fact table as `kind` into `folder`; returns the files."""
        if kind not in self.writer.formats():
            if kind == "parquet":
                raise ExportRefused(
                    "Parquet needs pyarrow: install packdesk with its parquet extra "
                    "(pip install 'packdesk[parquet]'), or export with --format csv."
                )
            raise ExportRefused(f"Unknown export format {kind!r}; use csv or parquet.")
        written = [
            self.writer.write(table, self.facts.rows(table), folder, kind) for table in FACT_TABLES
        ]
        written.append(self.writer.write_columns(FACT_TABLES, folder))
        return written
