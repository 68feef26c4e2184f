"""Reorder points and suggested quantities for one SKU at one location, with every input.

    safety stock   = z × σ_daily × √lead time      (by demand variability; z from the service
                                                    level), or velocity × safety days
    reorder point  = velocity × lead time + safety stock
    position       = available + incoming + open purchase orders
    suggest        when position ≤ reorder point:
    quantity       = velocity × (lead time + days of cover) − position,
                     rounded up to the case pack, and at least the minimum order

`incoming` is Shopify's incoming quantity less what packdesk's own open purchase orders put
there, so that an ordered PO is counted once. Lead time is the SKU's own when its supplier
item sets one, else the supplier's, else the policy's default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

from packdesk.domain.inventory.demand import Demand
from packdesk.domain.inventory.stock import StockStatus, days_of_cover, stock_status


@dataclass(frozen=True)
class ReorderPolicy:
    window_days: int = 30
    service_level: float = 0.95
    safety: Literal["variability", "days"] = "variability"
    safety_days: float = 7.0
    days_of_cover: float = 30.0
    default_lead_time_days: int = 14
    overstock_days: float = 120.0

    @property
    def z(self) -> float:
        """The standard normal quantile of the service level (0.95 → 1.645)."""
        return z_of(self.service_level)


@lru_cache(maxsize=16)
def z_of(service_level: float) -> float:
    return NormalDist().inv_cdf(service_level)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReorderInputs:
    """What a suggestion for one SKU at one location is computed from."""

    variant_id: str
    sku: str
    title: str
    location: str
    """The location's code: CA, PA, FBA."""
    demand: Demand
    available: int
    on_hand: int = 0
    committed: int = 0
    incoming: int = 0
    """Incoming from elsewhere: Shopify's incoming less packdesk's open POs there."""
    open_po: int = 0
    """Still to come on packdesk's open purchase orders for this location."""
    supplier: str = ""
    lead_time_days: int
    lead_time_source: Literal["sku", "supplier", "default"] = "default"
    case_pack: int = 1
    min_order: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ReorderPlan:
    """The reorder point and, when due, the quantity to order, with the working."""

    inputs: ReorderInputs
    z: float
    service_level: float
    safety_days: float | None
    """The days of sales kept as safety stock; None when it comes from variability."""
    by_days_because: str
    """Why safety stock is by days though the policy says variability ("" otherwise)."""
    safety_stock: float
    reorder_point: float
    position: int
    cover_target_days: float
    """The days of cover an order buys beyond the lead time (the policy's)."""
    target: float
    """velocity × (lead time + days of cover)."""
    raw_quantity: float
    quantity: int
    """What to order now: 0 when the position is above the reorder point."""
    days_of_cover: float | None
    status: StockStatus

    @property
    def due(self) -> bool:
        return self.quantity > 0

    @property
    def safety_method(self) -> str:
        d = self.inputs.demand
        if self.safety_days is None:
            return (
                f"z {self.z:.3f} (service level {self.service_level:.0%}) × σ "
                f"{d.sigma_daily or 0.0:.2f} × √{max(self.inputs.lead_time_days, 0)}"
            )
        why = f" ({self.by_days_because})" if self.by_days_because else ""
        return f"{d.velocity:.2f}/day × {self.safety_days:g} safety days{why}"

    def explain(self) -> list[str]:
        """The working, one line per step, as `packdesk reorder` and the Stock screen show it."""
        i = self.inputs
        d = i.demand
        lines = [
            f"velocity: {d.explain()}",
            f"lead time: {i.lead_time_days} days ({_lead_source(i)})",
            f"safety stock: {self.safety_method} = {self.safety_stock:.1f}",
            f"reorder point: {d.velocity:.2f} × {i.lead_time_days} + {self.safety_stock:.1f}"
            f" = {self.reorder_point:.1f}",
            f"position: available {i.available} + incoming {i.incoming} + open POs "
            f"{i.open_po} = {self.position}",
        ]
        if self.quantity:
            pack = f", case pack {i.case_pack}" if i.case_pack > 1 else ""
            minimum = f", minimum order {i.min_order}" if i.min_order else ""
            lines.append(
                f"order: {d.velocity:.2f} × ({i.lead_time_days} + {self.cover_target_days:g})"
                f" − {self.position}"
                f" = {self.raw_quantity:.1f} → {self.quantity}{pack}{minimum}"
            )
        elif self.position > self.reorder_point:
            lines.append(f"no order: position {self.position} is above the reorder point")
        else:
            lines.append("no order: no sales in the window to order for")
        return lines


def _lead_source(i: ReorderInputs) -> str:
    if i.lead_time_source == "sku":
        return f"{i.sku}'s own at {i.supplier}"
    if i.lead_time_source == "supplier":
        return f"supplier {i.supplier}"
    return "the default: no supplier sets one"


def round_order(quantity: float, case_pack: int, min_order: int) -> int:
    """Up to a whole number of cases, and at least the minimum order (in whole cases)."""
    pack = max(case_pack, 1)
    wanted = max(math.ceil(quantity - 1e-9), 0)
    if wanted == 0:
        return 0
    wanted = max(wanted, min_order)
    return math.ceil(wanted / pack) * pack


def plan(inputs: ReorderInputs, policy: ReorderPolicy) -> ReorderPlan:
    """The reorder point of one SKU at one location, and what to order now."""
    d = inputs.demand
    lead = max(inputs.lead_time_days, 0)
    z = policy.z
    safety_days: float | None = None
    because = ""
    if policy.safety == "variability" and d.sigma_daily is not None:
        safety = z * d.sigma_daily * math.sqrt(lead)
    else:
        safety_days = policy.safety_days
        safety = d.velocity * safety_days
        if policy.safety != "days":
            because = "no daily sales to measure variability"
    reorder_point = d.velocity * lead + safety
    position = inputs.available + inputs.incoming + inputs.open_po
    target = d.velocity * (lead + policy.days_of_cover)
    raw = target - position
    due = d.velocity > 0 and position <= reorder_point and raw > 0
    quantity = round_order(raw, inputs.case_pack, inputs.min_order) if due else 0
    cover = days_of_cover(inputs.available, d.velocity)
    return ReorderPlan(
        inputs=inputs,
        z=z,
        service_level=policy.service_level,
        safety_days=safety_days,
        by_days_because=because,
        safety_stock=safety,
        reorder_point=reorder_point,
        position=position,
        cover_target_days=policy.days_of_cover,
        target=target,
        raw_quantity=raw,
        quantity=quantity,
        days_of_cover=cover,
        status=stock_status(inputs.available, reorder_point, cover, policy.overstock_days),
    )
