"""The "Manage FBA Inventory" report (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA) as Seller
Central downloads it or the Reports API serves it: tab-separated text, one row per SKU.

Read as Amazon writes it and as people pass it on: columns matched by header name in any
order (unknown ones ignored and listed, missing ones null), `--` or empty cells null, UTF-8
with or without a BOM, Windows-1252 (what US reports are), UTF-16 (Excel's "Unicode text"),
gzip (the Reports API's documents), CRLF or LF. Anything else is refused with the line and
the reason, before anything is stored.
"""

from __future__ import annotations

import codecs
import gzip
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from packdesk.domain.inventory.fba import REPORT_TYPE, FbaItem, FbaReportRefused, FbaSnapshot

QUANTITIES = {
    "afn-fulfillable-quantity": "fulfillable",
    "afn-unsellable-quantity": "unsellable",
    "afn-reserved-quantity": "reserved",
    "afn-warehouse-quantity": "warehouse",
    "afn-total-quantity": "total",
    "afn-inbound-working-quantity": "inbound_working",
    "afn-inbound-shipped-quantity": "inbound_shipped",
    "afn-inbound-receiving-quantity": "inbound_receiving",
    "afn-researching-quantity": "researching",
}
TEXTS = {
    "sku": "sku",
    "fnsku": "fnsku",
    "asin": "asin",
    "product-name": "product_name",
    "condition": "condition",
}
PRICE = "your-price"
READ_NOT_KEPT = frozenset(
    {
        "mfn-listing-exists",
        "mfn-fulfillable-quantity",
        "afn-listing-exists",
        "per-unit-volume",
        "afn-reserved-future-supply",
        "afn-future-supply-buyable",
    }
)
"""Columns of the report packdesk knows and does not keep (not listed as unknown)."""
KNOWN = frozenset(QUANTITIES) | frozenset(TEXTS) | {PRICE} | READ_NOT_KEPT
NULL = frozenset({"", "--"})
WHERE = (
    "download it again from Seller Central (Inventory → Inventory Reports → Manage FBA Inventory)"
)
OTHER_REPORTS = (
    ({"amazon-order-id"}, "an orders report (it has amazon-order-id)"),
    (
        {"seller-sku", "fulfillment-channel-sku"},
        "the FBA Amazon Fulfilled Inventory report (GET_AFN_INVENTORY_DATA)",
    ),
    ({"seller-sku", "item-name"}, "an All Listings report (GET_MERCHANT_LISTINGS_ALL_DATA)"),
    ({"snapshot-date"}, "an inventory planning or ledger report (it has snapshot-date)"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """The report's text: gzip undone, then UTF-8 (BOM or not), UTF-16 with a BOM, or
    Windows-1252; refused when it is none of these."""
    if data.startswith(b"\x1f\x8b"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise FbaReportRefused(f"the gzip file is damaged ({exc}); {WHERE}") from exc
    if not data.strip():
        raise FbaReportRefused(f"the file is empty; {WHERE}")
    if data.startswith(b"PK\x03\x04"):
        raise FbaReportRefused(
            "this is an Excel workbook or a ZIP file, not the tab-separated report; "
            f"{WHERE}, or save the sheet as Tab delimited text"
        )
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(_strict(data, name), "UTF-16")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[3:], "utf-8"), "UTF-8 with a BOM")
    if b"\x00" in data:
        raise FbaReportRefused(f"the file holds binary data, not report text; {WHERE}")
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        return Decoded(_strict(data, "cp1252"), "Windows-1252")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FbaReportRefused(
            f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252 text; {WHERE}",
            line=line,
        ) from exc


def _name(header: str) -> str:
    return re.sub(r"[\s_]+", "-", header.strip().strip('"').lower())


def _cell(raw: str) -> str:
    cell = raw.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        cell = cell[1:-1].replace('""', '"').strip()
    return cell


def _quantity(cell: str, column: str, line: int) -> int | None:
    if cell in NULL:
        return None
    text = cell.replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        value = int(text.split(".")[0])
        if value < 0:
            raise FbaReportRefused(
                f"{column} is {cell}; quantities are never negative — {WHERE}", line=line
            )
        return value
    raise FbaReportRefused(f"{column} is {cell!r}, not a number of units; {WHERE}", line=line)


def _price(cell: str, line: int) -> Decimal | None:
    if cell in NULL:
        return None
    try:
        return Decimal(cell.replace(",", "").lstrip("$"))
    except InvalidOperation as exc:
        raise FbaReportRefused(f"{PRICE} is {cell!r}, not a price; {WHERE}", line=line) from exc


def _check_header(names: list[str], first_line: str) -> None:
    present = set(names)
    if "\t" not in first_line and "," in first_line:
        raise FbaReportRefused(
            "the file is comma-separated; the report is tab-separated text as Seller Central "
            f"downloads it — {WHERE}, or save the sheet as Tab delimited text",
            line=1,
        )
    if "sku" in present and present & {"afn-fulfillable-quantity", "afn-total-quantity"}:
        duplicated = sorted({n for n in names if n and names.count(n) > 1})
        if duplicated:
            raise FbaReportRefused(f"the header names {duplicated[0]} twice", line=1)
        return
    looks = next((what for needs, what in OTHER_REPORTS if needs <= present), None)
    what = f"it looks like {looks}" if looks else "its header has no sku and afn- quantity columns"
    raise FbaReportRefused(
        f"this is not the Manage FBA Inventory report ({REPORT_TYPE}): {what}; {WHERE}",
        line=1,
    )


def parse_report(data: bytes, *, name: str, as_of: datetime) -> FbaSnapshot:
    """Every row of the report, or `FbaReportRefused` naming the first line that is wrong."""
    decoded = decode(data)
    lines = decoded.text.splitlines()
    first = next((i for i, text in enumerate(lines) if text.strip()), None)
    if first is None:
        raise FbaReportRefused(f"the file is empty; {WHERE}")
    names = [_name(h) for h in lines[first].split("\t")]
    _check_header(names, lines[first])
    columns = {n: i for i, n in enumerate(names) if n in KNOWN}
    items: list[FbaItem] = []
    seen: dict[str, int] = {}
    for index in range(first + 1, len(lines)):
        text = lines[index]
        number = index + 1
        if not text.strip():
            continue
        cells = text.split("\t")
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            raise FbaReportRefused(
                f"{len(cells)} cells where the header has {len(names)}; {WHERE}", line=number
            )
        if len(cells) < len(names):
            raise FbaReportRefused(
                f"{len(cells)} cells where the header has {len(names)} (the file may be cut "
                f"short); {WHERE}",
                line=number,
            )
        values = {n: _cell(cells[i]) for n, i in columns.items()}
        sku = values["sku"]
        if not sku or sku in NULL:
            raise FbaReportRefused("the row has no sku", line=number)
        if sku in seen:
            raise FbaReportRefused(
                f"sku {sku} is listed again (first on line {seen[sku]}); {WHERE}", line=number
            )
        seen[sku] = number
        fields: dict[str, object] = {
            field: values[column] for column, field in TEXTS.items() if column in values
        }
        fields.update(
            {
                field: _quantity(values[column], column, number)
                for column, field in QUANTITIES.items()
                if column in values
            }
        )
        if PRICE in values:
            fields["price"] = _price(values[PRICE], number)
        items.append(FbaItem(**fields, line=number))  # type: ignore[arg-type]
    keep = (*TEXTS, *QUANTITIES, PRICE)
    return FbaSnapshot(
        source="report",
        name=name,
        as_of=as_of,
        items=tuple(items),
        ignored_columns=tuple(n for n in names if n and n not in KNOWN),
        missing_columns=tuple(c for c in keep if c not in columns),
        encoding=decoded.encoding,
    )
