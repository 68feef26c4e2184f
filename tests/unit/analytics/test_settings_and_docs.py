"""The analytics settings refuse what they cannot use with a sentence; the fact tables and
the report files are documented where a person looks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from packdesk.domain.analytics.export import FACT_TABLES, FactTable
from packdesk.services.export import ExportRefused, ExportService
from packdesk.settings import ConfigError, MetricsSettings, load_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            '[analytics]\ntimezone = "Pacific"\n',
            "[analytics].timezone has a wrong value (value error, not a time zone name; use "
            "one like America/Los_Angeles, or leave it empty",
        ),
        (
            '[metrics]\nlisten = "9464"\n',
            "[metrics].listen has a wrong value (value error, write it as host:port, e.g. "
            "127.0.0.1:9464, or leave it empty",
        ),
        ("[reports]\nweekly_hour = 25\n", "[reports].weekly_hour has a wrong value"),
    ],
)
def test_a_setting_packdesk_cannot_use_is_one_sentence(
    tmp_path: Path, text: str, sentence: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert sentence in str(error.value)
    assert f"{path} line 2" in str(error.value)


def test_metrics_listen_address() -> None:
    assert MetricsSettings().address() is None
    assert MetricsSettings(listen="127.0.0.1:9464").address() == ("127.0.0.1", 9464)
    assert MetricsSettings(listen="[::1]:9464").address() == ("::1", 9464)


def test_every_fact_column_is_documented_in_docs_analytics() -> None:
    doc = (ROOT / "docs" / "analytics.md").read_text()
    for table in FACT_TABLES:
        start = doc.index(f"### `{table.name}`")
        section = doc[start : doc.find("### ", start + 4) if "### " in doc[start + 4 :] else None]
        for column in table.columns:
            assert f"| `{column.name}` | {column.kind} | {column.doc} |" in section, (
                f"{table.name}.{column.name} is not documented as it is declared"
            )


class CsvOnly:
    def formats(self) -> list[str]:
        return ["csv"]

    def write(
        self, table: FactTable, rows: Iterable[tuple[object, ...]], folder: Path, kind: str
    ) -> Path:
        raise AssertionError("nothing may be written")

    def write_columns(self, tables: Sequence[FactTable], folder: Path) -> Path:
        raise AssertionError("nothing may be written")


class NoRows:
    def rows(self, table: FactTable) -> Iterable[tuple[object, ...]]:
        raise AssertionError("nothing may be read")


def test_parquet_without_pyarrow_is_refused_with_the_install_line(tmp_path: Path) -> None:
    export = ExportService(NoRows(), CsvOnly())  # type: ignore[arg-type]
    with pytest.raises(ExportRefused, match=r"pip install 'packdesk\[parquet\]'"):
        export.export(tmp_path, "parquet")
