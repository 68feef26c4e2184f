"""The "Manage FBA Inventory" report (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA) of the demo
stock, as Amazon writes it: tab-separated, Windows-1252, CRLF, `--` where a listing has
no merchant-fulfilled quantity, and the columns newer reports carry after the classic ones."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from packdesk.sandbox.amazon.stock import FbaEntry

COLUMNS = (
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "mfn-listing-exists",
    "mfn-fulfillable-quantity",
    "afn-listing-exists",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "per-unit-volume",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
    "afn-researching-quantity",
    "afn-reserved-future-supply",
    "afn-future-supply-buyable",
    "store",
)


def report_rows(entries: Iterable[FbaEntry], at: datetime) -> list[dict[str, str]]:
    rows = []
    for e in sorted(entries, key=lambda e: e.sku):
        q = e.now(at)
        warehouse = q["fulfillable"] + q["unsellable"] + q["reserved"] + q["researching"]
        rows.append(
            {
                "sku": e.sku,
                "fnsku": e.fnsku,
                "asin": e.asin,
                "product-name": e.title,
                "condition": "New",
                "your-price": e.price,
                "mfn-listing-exists": "No",
                "mfn-fulfillable-quantity": "--",
                "afn-listing-exists": "Yes",
                "afn-warehouse-quantity": str(warehouse),
                "afn-fulfillable-quantity": str(q["fulfillable"]),
                "afn-unsellable-quantity": str(q["unsellable"]),
                "afn-reserved-quantity": str(q["reserved"]),
                "afn-total-quantity": str(e.total(at)),
                "per-unit-volume": "0.05",
                "afn-inbound-working-quantity": str(q["inbound_working"]),
                "afn-inbound-shipped-quantity": str(q["inbound_shipped"]),
                "afn-inbound-receiving-quantity": str(q["inbound_receiving"]),
                "afn-researching-quantity": str(q["researching"]),
                "afn-reserved-future-supply": "0",
                "afn-future-supply-buyable": "--",
                "store": "",
            }
        )
    return rows


def report_text(entries: Iterable[FbaEntry], at: datetime) -> str:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(row[c] for c in COLUMNS) for row in report_rows(entries, at)]
    return "\r\n".join(lines) + "\r\n"


def report_bytes(entries: Iterable[FbaEntry], at: datetime) -> bytes:
    """The report file as Seller Central hands it over (Windows-1252)."""
    return report_text(entries, at).encode("cp1252", errors="replace")
