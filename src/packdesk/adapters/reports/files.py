"""The report written to a folder: `report.pdf`, a CSV per table with `summary.csv` (every
figure) and `notes.csv`, and `report.json` (the whole report, for scripts)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from packdesk.adapters.reports.pdf import render_pdf
from packdesk.domain.analytics.report import Cell, Report

FORMATS = ("pdf", "csv", "json")


class ReportFiles:
    """The `ReportWriter` port on the local file system."""

    def pdf(self, report: Report) -> bytes:
        return render_pdf(report)

    def write(self, report: Report, folder: Path, formats: Sequence[str]) -> list[Path]:
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise ValueError(f"Unknown report format {unknown[0]!r}; use {', '.join(FORMATS)}.")
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        if "pdf" in formats:
            path = folder / "report.pdf"
            path.write_bytes(self.pdf(report))
            written.append(path)
        if "csv" in formats:
            written += _csvs(report, folder)
        if "json" in formats:
            path = folder / "report.json"
            path.write_text(report.model_dump_json(indent=2), "utf-8")
            written.append(path)
        return written


def _csvs(report: Report, folder: Path) -> list[Path]:
    written = [
        _csv(
            folder / "summary.csv",
            ["section", "figure", "label", "unit", "value", "previous", "change"],
            [
                [s.key, f.key, f.label, f.unit, f.value, f.previous, f.change]
                for s in report.sections
                for f in s.figures
            ],
        ),
        _csv(
            folder / "notes.csv",
            ["section", "note"],
            [[s.key, note] for s in report.sections for note in s.notes],
        ),
    ]
    for table in report.tables():
        written.append(_csv(folder / f"{table.key}.csv", table.columns, table.rows))
    return written


def _csv(path: Path, header: list[str], rows: Sequence[Sequence[Cell]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows([[_text(v) for v in row] for row in rows])
    return path


def _text(value: object) -> str:
    """A cell as CSV text: money to the cent, ratios to six places, unknown as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value else "0"
    return str(value)
