"""FBA stock as Amazon reports it: one row per seller SKU of the "Manage FBA Inventory"
report (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA) or of the FBA Inventory API's summaries.

A snapshot is stored whole or not at all; its SKUs are matched to Shopify variants by SKU,
and the ones that match nothing are listed for the owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from packdesk.domain.inventory.stock import FbaQuantities, Value

REPORT_TYPE = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"
"""The "Manage FBA Inventory" report, as the Reports API names it."""


class FbaReportRefused(Exception):
    """A report packdesk will not import, with the line and the reason (nothing is stored)."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}" if line is not None else reason)


@dataclass(frozen=True, slots=True, kw_only=True)
class FbaItem:
    """One seller SKU in Amazon's network; None where the source did not say. (A dataclass:
    a report can hold a row for each of 100,000 SKUs.)"""

    sku: str
    fnsku: str = ""
    asin: str = ""
    product_name: str = ""
    condition: str = ""
    price: Decimal | None = None
    fulfillable: int | None = None
    unsellable: int | None = None
    reserved: int | None = None
    warehouse: int | None = None
    total: int | None = None
    inbound_working: int | None = None
    inbound_shipped: int | None = None
    inbound_receiving: int | None = None
    researching: int | None = None
    line: int = 0
    """Where the row was in the file (0 from the API)."""

    def quantities(self, as_of: datetime) -> FbaQuantities:
        return FbaQuantities(
            fulfillable=self.fulfillable,
            inbound_working=self.inbound_working,
            inbound_shipped=self.inbound_shipped,
            inbound_receiving=self.inbound_receiving,
            reserved=self.reserved,
            unsellable=self.unsellable,
            researching=self.researching,
            total=self.total,
            as_of=as_of,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FbaSnapshot:
    """Everything one report or one API read said, as of one moment."""

    source: Literal["report", "sp-api"]
    name: str
    """The file imported, or the report id / `getInventorySummaries` read."""
    as_of: datetime
    items: tuple[FbaItem, ...]
    ignored_columns: tuple[str, ...] = ()
    """Columns of the file packdesk does not read (newer reports add some)."""
    missing_columns: tuple[str, ...] = ()
    """Known columns the file does not have: their quantities are null."""
    encoding: str = ""
    """How the file's text was read (UTF-8, Windows-1252, ...)."""


class FbaImport(Value):
    """What an import stored: how many rows, which SKUs matched a Shopify variant."""

    id: int
    source: str
    name: str
    as_of: datetime
    imported_at: datetime
    rows: int
    matched: int
    unmatched: tuple[str, ...] = ()
    """SKUs of the snapshot that no Shopify variant has."""
    ignored_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
