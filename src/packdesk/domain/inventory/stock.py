"""Stock of one SKU at each of its locations, and the status it has there.

The values a stock view is assembled from, and made of, are slotted frozen dataclasses
rather than pydantic models: a view of 100,000 variants makes a million of them at once,
and they only ever hold numbers packdesk computed or read from its own store.

CA and PA are Shopify locations: their quantities are Shopify's (available, committed,
on_hand, incoming). FBA is not a Shopify location: its quantities are Amazon's, as of the
last report or SP-API read, with that date. A location's status compares what is available
there with its reorder point and its days of cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

FBA = "FBA"
"""The code of Amazon's fulfillment network among packdesk's locations."""


class InventoryError(ValueError):
    """Bad input about stock, suppliers or purchase orders, as one sentence with the fix."""


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StockStatus(StrEnum):
    OK = "OK"
    LOW = "LOW"
    """Available at or below the reorder point (and above zero)."""
    OUT = "OUT"
    """Nothing available."""
    OVERSTOCK = "OVERSTOCK"
    """More days of cover than the policy's limit."""

    @property
    def rank(self) -> int:
        """How urgent: OUT before LOW before OVERSTOCK before OK."""
        return {"OUT": 0, "LOW": 1, "OVERSTOCK": 2, "OK": 3}[self.value]


@dataclass(frozen=True, slots=True)
class ShopifyQuantities:
    """Shopify's named quantities of one item at one location."""

    available: int = 0
    committed: int = 0
    on_hand: int = 0
    incoming: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class FbaQuantities:
    """Amazon's quantities of one SKU in its fulfillment network. None: the report did not
    say (a missing column or a `--` cell)."""

    fulfillable: int | None = None
    inbound_working: int | None = None
    inbound_shipped: int | None = None
    inbound_receiving: int | None = None
    reserved: int | None = None
    unsellable: int | None = None
    researching: int | None = None
    total: int | None = None
    as_of: datetime
    """When Amazon's numbers were true: the report's date."""

    @property
    def inbound(self) -> int:
        return (
            (self.inbound_working or 0)
            + (self.inbound_shipped or 0)
            + (self.inbound_receiving or 0)
        )

    @property
    def network_total(self) -> int:
        """Every unit in (or on its way to) Amazon's network: the report's total, else the
        sum of the parts it gave."""
        if self.total is not None:
            return self.total
        return (
            (self.fulfillable or 0)
            + (self.reserved or 0)
            + (self.unsellable or 0)
            + (self.researching or 0)
            + self.inbound
        )


def days_of_cover(available: int, velocity: float) -> float | None:
    """Days the available stock lasts at `velocity` units a day; None without sales."""
    if velocity <= 0:
        return None
    return max(available, 0) / velocity


def stock_status(
    available: int, reorder_point: float, cover_days: float | None, overstock_days: float
) -> StockStatus:
    """OUT with nothing available; LOW at or below the reorder point; OVERSTOCK past the
    policy's days of cover; OK otherwise. A SKU with no sales in the window has no reorder
    point worth the name (zero) and no cover: it is OUT at zero, else OK."""
    if available <= 0:
        return StockStatus.OUT
    if reorder_point > 0 and available <= reorder_point:
        return StockStatus.LOW
    if cover_days is not None and cover_days > overstock_days:
        return StockStatus.OVERSTOCK
    return StockStatus.OK


@dataclass(frozen=True, slots=True)
class VariantStock:
    """What the store knows of one variant's stock: Shopify's levels by location id, and
    Amazon's numbers from the latest FBA import."""

    variant_id: str
    sku: str
    title: str
    vendor: str = ""
    barcode: str = ""
    inventory_item_id: str = ""
    levels: dict[str, ShopifyQuantities] = field(default_factory=dict)
    fba: FbaQuantities | None = None
