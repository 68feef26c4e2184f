"""Fact tables as files for a data warehouse: CSV always, Parquet with the `parquet` extra
(`pip install 'packdesk[parquet]'`, which brings pyarrow).

Rows are written as they come, a batch at a time, so a history of any length is exported in
flat memory. `columns.csv` beside the files says what every column is.
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from packdesk.domain.analytics.export import FactTable

BATCH = 10_000


class ParquetMissing(RuntimeError):
    """Parquet was asked for but pyarrow is not installed."""


class FactFiles:
    """The `FactWriter` port on the local file system."""

    def formats(self) -> list[str]:
        found = ["csv"]
        if importlib.util.find_spec("pyarrow") is not None:
            found.append("parquet")
        return found

    def write(
        self, table: FactTable, rows: Iterable[tuple[object, ...]], folder: Path, kind: str
    ) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "csv":
            return _csv(table, rows, folder / f"{table.name}.csv")
        if kind == "parquet":
            return _parquet(table, rows, folder / f"{table.name}.parquet")
        raise ValueError(f"Unknown export format {kind!r}; use csv or parquet.")

    def write_columns(self, tables: Sequence[FactTable], folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "columns.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(["table", "column", "type", "meaning"])
            for table in tables:
                out.writerows([table.name, c.name, c.kind, c.doc] for c in table.columns)
        return path


def _csv(table: FactTable, rows: Iterable[tuple[object, ...]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(table.names)
        for row in rows:
            out.writerow(["" if v is None else v for v in row])
    return path


def _parquet(table: FactTable, rows: Iterable[tuple[object, ...]], path: Path) -> Path:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetMissing(
            "Parquet needs pyarrow: install packdesk with its parquet extra "
            "(pip install 'packdesk[parquet]'), or export --format csv."
        ) from None
    types = {
        "text": pa.string(),
        "integer": pa.int64(),
        "decimal": pa.decimal128(18, 4),
        "number": pa.float64(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
    }
    schema = pa.schema(
        [pa.field(c.name, types[c.kind]).with_metadata({"doc": c.doc}) for c in table.columns],
        metadata={"doc": table.doc},
    )
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(rows):
            columns = list(zip(*batch, strict=True))
            arrays = [
                pa.array([_typed(v, c.kind) for v in values], type=types[c.kind])
                for c, values in zip(table.columns, columns, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    return path


def _batches(rows: Iterable[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def _typed(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "decimal":
        return Decimal(str(value)).quantize(Decimal("0.0001"))
    if kind == "timestamp":
        return datetime.fromisoformat(str(value))
    if kind == "date":
        return date.fromisoformat(str(value))
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return str(value)
