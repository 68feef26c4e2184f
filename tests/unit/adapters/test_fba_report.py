"""The Manage FBA Inventory report read as Amazon writes it and as people pass it on, and
refused, with the line and the reason, when it is something else."""

from __future__ import annotations

import codecs
import gzip
import re
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from packdesk.adapters.amazon.report import parse_report
from packdesk.domain.inventory.fba import FbaReportRefused

AS_OF = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
HEADER = (
    "sku\tfnsku\tasin\tproduct-name\tcondition\tyour-price\tmfn-listing-exists\t"
    "mfn-fulfillable-quantity\tafn-listing-exists\tafn-warehouse-quantity\t"
    "afn-fulfillable-quantity\tafn-unsellable-quantity\tafn-reserved-quantity\t"
    "afn-total-quantity\tper-unit-volume\tafn-inbound-working-quantity\t"
    "afn-inbound-shipped-quantity\tafn-inbound-receiving-quantity"
)
ROW = (
    "BM-ABC-01\tX001ABC\tB0ABC00001\tAlphabet Flash Cards\tNew\t9.99\tNo\t\tYes\t44\t40\t1\t3\t"
    "56\t0.02\t0\t12\t0"
)


def parse(data: bytes) -> list[dict[str, object]]:
    snapshot = parse_report(data, name="report.txt", as_of=AS_OF)
    return [{**asdict(item), "line": 0} for item in snapshot.items]


def test_a_report_as_seller_central_writes_it() -> None:
    snapshot = parse_report(f"{HEADER}\n{ROW}\n".encode(), name="report.txt", as_of=AS_OF)
    [item] = snapshot.items
    assert (item.sku, item.fnsku, item.asin, item.condition) == (
        "BM-ABC-01", "X001ABC", "B0ABC00001", "New",
    )  # fmt: skip
    assert (item.fulfillable, item.reserved, item.unsellable, item.warehouse) == (40, 3, 1, 44)
    assert (item.total, item.inbound_shipped, item.researching) == (56, 12, None)
    assert item.price == Decimal("9.99")
    assert snapshot.missing_columns == ("afn-researching-quantity",)
    assert (snapshot.ignored_columns, snapshot.encoding, snapshot.as_of) == ((), "UTF-8", AS_OF)


def test_columns_in_another_order_extra_columns_cp1252_and_dashes() -> None:
    header = (
        "afn-total-quantity\tsku\tafn-future-supply-buyable\tproduct-name\t"
        "afn-fulfillable-quantity\tstore\tafn-inbound-working-quantity\tafn-researching-quantity"
    )
    rows = [
        "56\tBM-ABC-01\t0\tAlphabet Flash Cards™ Édition\t40\tUS\t--\t2",
        "--\tBM-MIC-01\t\tMicroscope\t0\tUS\t\t--",
    ]
    data = "\r\n".join([header, *rows, ""]).encode("cp1252")
    snapshot = parse_report(data, name="report.txt", as_of=AS_OF)
    first, second = snapshot.items
    assert first.product_name == "Alphabet Flash Cards™ Édition"
    assert (first.total, first.fulfillable, first.inbound_working, first.researching) == (
        56, 40, None, 2,
    )  # fmt: skip
    assert (second.total, second.fulfillable, second.researching) == (None, 0, None)
    assert snapshot.encoding == "Windows-1252"
    assert snapshot.ignored_columns == ("store",)
    assert "fnsku" in snapshot.missing_columns
    assert "afn-future-supply-buyable" not in snapshot.ignored_columns  # known, not kept


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # Excel's "Unicode text" (with its BOM)
        lambda text: gzip.compress(text.encode("cp1252")),  # a Reports API document
        lambda text: text.replace("\n", "\r\n").encode(),
    ],
)
def test_boms_utf16_gzip_and_crlf_read_the_same(encode: object) -> None:
    text = f"{HEADER}\n{ROW}\n"
    assert callable(encode)
    assert parse(encode(text)) == parse(text.encode())


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("amazon-order-id\tsku\tquantity\n1\tA\t1\n", 1, "it looks like an orders report"),
        (
            "seller-sku\tfulfillment-channel-sku\tasin\tQuantity Available\nA\tX\tB\t1\n",
            1,
            "GET_AFN_INVENTORY_DATA",
        ),
        ("sku,afn-fulfillable-quantity\nA,1\n", 1, "the file is comma-separated"),
        (f"{HEADER}\n{ROW.replace(chr(9) + '40' + chr(9), chr(9) + '-4' + chr(9))}\n", 2,
         "afn-fulfillable-quantity is -4; quantities are never negative"),
        (f"{HEADER}\n{ROW}\n{ROW.replace('BM-ABC-01', 'BM-NUM-01').replace('12', 'twelve')}\n",
         3, "afn-inbound-shipped-quantity is 'twelve', not a number"),
        (f"{HEADER}\n{ROW}\n\n{ROW}\n", 4, "sku BM-ABC-01 is listed again (first on line 2)"),
        (f"{HEADER}\n{ROW}\nBM-NUM-01\tX\n", 3, "2 cells where the header has 18"),
        (f"{HEADER}\n{ROW}\tEXTRA\n", 2, "19 cells where the header has 18"),
    ],
)  # fmt: skip
def test_a_malformed_or_other_report_is_refused_with_the_line(
    text: str, line: int, reason: str
) -> None:
    with pytest.raises(FbaReportRefused, match=re.escape(reason)) as refused:
        parse_report(text.encode(), name="x.txt", as_of=AS_OF)
    assert refused.value.line == line
    assert str(refused.value).startswith(f"line {line}: ")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
        (b"\x1f\x8bnot really gzip", "gzip file is damaged"),
        (f"{HEADER}\n".encode() + b"BM-\x81\n", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_files_that_are_not_text_reports_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(FbaReportRefused, match=reason):
        parse_report(data, name="x", as_of=AS_OF)


def test_a_header_only_report_has_no_rows() -> None:
    assert parse_report(f"{HEADER}\n".encode(), name="x", as_of=AS_OF).items == ()
