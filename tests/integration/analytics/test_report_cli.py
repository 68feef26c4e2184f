"""`packdesk report` and `packdesk export` on a station synced from the sandbox: the numbers
equal an independent count of the sandbox's own orders, the PDF opens with its charts, the
e-mail reaches the owner, and the fact tables load."""

from __future__ import annotations

import base64
import csv
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from packdesk.domain.analytics.export import FACT_TABLES

from .station import Station, money, packdesk, placed_between, start_station


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    synced = start_station(tmp_path_factory.mktemp("station"))
    yield synced
    synced.server.stop()


def summary(folder: Path) -> dict[str, str]:
    with (folder / "summary.csv").open() as handle:
        return {row["figure"]: row["value"] for row in csv.DictReader(handle)}


def test_report_csv_counts_and_revenue_equal_the_sandboxs_own_orders(
    station: Station, tmp_path: Path
) -> None:
    today = datetime.now(UTC).date()
    first, last = today - timedelta(days=29), today
    out = tmp_path / "report"
    result = packdesk(
        "report", "--config", str(station.config), "--from", str(first), "--to", str(last),
        "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = summary(out)
    placed = [o for o in station.orders() if placed_between(o, first, last)]
    assert len(placed) > 20
    gross = sum(money(o["subtotal_price"]) + money(o["total_discounts"]) for o in placed)
    net = sum(money(o["current_subtotal_price"]) for o in placed)
    assert int(figures["orders"]) == len(placed)
    assert Decimal(figures["gross_sales"]) == gross
    assert Decimal(figures["net_sales"]) == net
    assert Decimal(figures["discounts"]) == sum(money(o["total_discounts"]) for o in placed)
    assert Decimal(figures["tax"]) == sum(money(o["total_tax"]) for o in placed)
    discounts = sum((money(o["total_discounts"]) for o in placed), Decimal(0))
    aov = (gross - discounts) / Decimal(len(placed))
    assert Decimal(figures["aov"]) == aov.quantize(Decimal("0.01"))
    units = sum(li["current_quantity"] for o in placed for li in o["line_items"])
    assert int(figures["units"]) == units
    with (out / "sales_by_day.csv").open() as handle:
        days = list(csv.DictReader(handle))
    assert len(days) == 30
    assert sum(int(d["orders"]) for d in days) == len(placed)
    for table in ("items_abc", "shipping_by_carrier", "customers_rfm_segments"):
        assert (out / f"{table}.csv").exists()


def test_the_pdf_opens_and_shows_its_charts(station: Station, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed; .ci/run installs it")
    out = tmp_path / "report"
    result = packdesk(
        "report", "--config", str(station.config), "--period", "90d", "--format", "pdf",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = out / "report.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in ("Orders and revenue", "Shipping", "Inventory", "Customers", "RFM segments"):
        assert heading in text
    assert "Net sales by week" in text
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.ppm")).read_bytes()
    # The bars are drawn in packdesk's green (#2E6B4F); a page without charts has none.
    pixels = page[page.index(b"255\n") + 4 :]
    green = sum(1 for i in range(0, len(pixels) - 2, 3) if pixels[i : i + 3] == b"\x2e\x6b\x4f")
    assert green > 300


def test_report_email_goes_to_the_owner_through_the_outbox(
    station: Station, tmp_path: Path
) -> None:
    config = station.copy(tmp_path)
    httpx.delete(station.control() + "/mail", timeout=10)
    queued = packdesk("report", "--config", str(config), "--period", "7d", "--email")
    assert queued.returncode == 0, queued.stderr
    assert "queued for owner@example.com" in queued.stdout
    sent = packdesk("outbox", "run", "--once", "--config", str(config))
    assert sent.returncode == 0, sent.stderr
    mails = [m for m in station.mail() if "owner@example.com" in m["to"]]
    assert len(mails) == 1
    (attachment,) = mails[0]["attachments"]
    assert attachment["type"] == "application/pdf"
    assert attachment["filename"].endswith(".pdf")
    assert base64.b64decode(attachment["content"]).startswith(b"%PDF")
    assert "Net sales" in mails[0]["text"]


def test_export_writes_every_fact_table_as_csv_and_parquet(
    station: Station, tmp_path: Path
) -> None:
    for kind in ("csv", "parquet"):
        result = packdesk("export", "--config", str(station.config), "--to", str(tmp_path / kind),
                          "--format", kind)  # fmt: skip
        assert result.returncode == 0, result.stderr
    orders = len(station.orders())
    with (tmp_path / "csv" / "orders.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == orders
    assert list(rows[0]) == [c.name for c in FACT_TABLES[0].columns]
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (the parquet extra) is missing")
    for table in FACT_TABLES:
        read = pq.read_table(tmp_path / "parquet" / f"{table.name}.parquet")
        assert read.column_names == table.names
    assert pq.read_table(tmp_path / "parquet" / "orders.parquet").num_rows == orders
    with (tmp_path / "csv" / "columns.csv").open() as handle:
        documented = {(r["table"], r["column"]) for r in csv.DictReader(handle)}
    assert documented == {(t.name, c.name) for t in FACT_TABLES for c in t.columns}


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--from", "2026-03-10", "--to", "2026-03-01"], "give --from a day on or before --to"),
        (["--from", "1/3/2026", "--to", "2026-03-31"], "--from '1/3/2026' is not a date"),
        (["--from", "2026-03-01"], "Give both --from and --to"),
    ],
)
def test_a_bad_period_is_one_sentence(station: Station, args: list[str], sentence: str) -> None:
    result = packdesk("report", "--config", str(station.config), *args)
    assert result.returncode == 2
    assert sentence in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_period_says_so_in_the_report(station: Station, tmp_path: Path) -> None:
    first = date(2020, 1, 1)
    result = packdesk(
        "report", "--config", str(station.config), "--from", str(first), "--to", "2020-01-31",
        "--format", "csv", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert summary(tmp_path)["orders"] == "0"
    notes = (tmp_path / "notes.csv").read_text()
    assert "No orders were placed from 2020-01-01 to 2020-01-31." in notes
