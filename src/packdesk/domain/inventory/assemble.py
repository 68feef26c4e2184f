"""The stock view assembled from what the store knows: each variant's levels at the
Shopify locations and at FBA, its sales and stock history, its supplier, and the open
purchase orders, alerts and snoozes. Pure: the stock service reads, this decides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from packdesk.domain.inventory.alerts import Snooze
from packdesk.domain.inventory.demand import Demand, StockDay, fba_demand, shop_demand
from packdesk.domain.inventory.purchasing import Supplier, SupplierItem
from packdesk.domain.inventory.reorder import ReorderInputs, ReorderPolicy, plan
from packdesk.domain.inventory.stock import (
    FBA,
    StockStatus,
    VariantStock,
    days_of_cover,
    stock_status,
)
from packdesk.domain.inventory.view import LocationLine, StockRow


@dataclass(frozen=True)
class Warehouse:
    """A Shopify location the view has a column for."""

    id: str
    code: str


@dataclass
class StockFacts:
    variants: Sequence[VariantStock]
    warehouses: Sequence[Warehouse]
    sales: Mapping[tuple[str, str], Mapping[date, int]] = field(default_factory=dict)
    """(variant id, location id) → units a day."""
    days: Mapping[tuple[str, str], Sequence[StockDay]] = field(default_factory=dict)
    """(inventory item id, location id) → observations."""
    fba_totals: Mapping[str, Sequence[tuple[datetime, int]]] = field(default_factory=dict)
    items: Mapping[str, SupplierItem] = field(default_factory=dict)
    """Supplier item by variant id."""
    suppliers: Mapping[int, Supplier] = field(default_factory=dict)
    open_po: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(variant id, location code) → units still to come on packdesk's POs."""
    alerts: frozenset[tuple[str, str]] = frozenset()
    """(variant id, location code) with an open low-stock alert."""
    snoozes: Mapping[str, Snooze] = field(default_factory=dict)


LeadSource = Literal["sku", "supplier", "default"]


def _lead(
    item: SupplierItem | None, supplier: Supplier | None, default: int
) -> tuple[int, LeadSource]:
    if item is not None and item.lead_time_days is not None:
        return item.lead_time_days, "sku"
    if supplier is not None:
        return supplier.lead_time_days, "supplier"
    return default, "default"


def assemble(
    facts: StockFacts, policy: ReorderPolicy, today: date, *, plan_fba: bool
) -> list[StockRow]:
    """One row per variant, in the order given."""
    return [_variant_row(v, facts, policy, today, plan_fba) for v in facts.variants]


EMPTY: dict[date, int] = {}


def _variant_row(
    v: VariantStock, facts: StockFacts, policy: ReorderPolicy, today: date, plan_fba: bool
) -> StockRow:
    item = facts.items.get(v.variant_id)
    supplier = facts.suppliers.get(item.supplier_id) if item else None
    lead, source = _lead(item, supplier, policy.default_lead_time_days)
    lines: list[LocationLine] = []

    def inputs(location: str, demand: Demand, available: int, **more: int) -> ReorderInputs:
        return ReorderInputs(
            variant_id=v.variant_id,
            sku=v.sku,
            title=v.title,
            location=location,
            demand=demand,
            available=available,
            on_hand=more.get("on_hand", 0),
            committed=more.get("committed", 0),
            incoming=more.get("incoming", 0),
            open_po=more.get("open_po", 0),
            supplier=supplier.name if supplier else "",
            lead_time_days=lead,
            lead_time_source=source,
            case_pack=item.case_pack if item else 1,
            min_order=item.min_order if item else 0,
        )

    for w in facts.warehouses:
        q = v.levels.get(w.id)
        if q is None:
            continue
        sales = facts.sales.get((v.variant_id, w.id), EMPTY)
        if not sales:  # nothing sold here in the window: no reorder point to plan by
            status = stock_status(q.available, 0, None, policy.overstock_days)
            lines.append(
                LocationLine(location=w.code, shopify=q, available=q.available, status=status)
            )
            continue
        demand = shop_demand(
            today,
            policy.window_days,
            sales,
            facts.days.get((v.inventory_item_id, w.id), ()),
        )
        open_po = facts.open_po.get((v.variant_id, w.code), 0)
        result = plan(
            inputs(
                w.code,
                demand,
                q.available,
                on_hand=q.on_hand,
                committed=q.committed,
                incoming=max(q.incoming - open_po, 0),
                open_po=open_po,
            ),
            policy,
        )
        lines.append(
            LocationLine(
                location=w.code,
                shopify=q,
                fba=None,
                available=q.available,
                plan=result,
                status=result.status,
            )
        )
    if v.fba is not None:
        fulfillable = v.fba.fulfillable or 0
        fba_plan = None
        if plan_fba:
            demand = fba_demand(today, policy.window_days, facts.fba_totals.get(v.variant_id, ()))
            fba_plan = plan(inputs(FBA, demand, fulfillable, incoming=v.fba.inbound), policy)
        status = (
            fba_plan.status
            if fba_plan
            else stock_status(fulfillable, 0, None, policy.overstock_days)
        )
        lines.append(
            LocationLine(
                location=FBA,
                shopify=None,
                fba=v.fba,
                available=fulfillable,
                plan=fba_plan,
                status=status,
            )
        )
    return _row(v, lines, facts)


def _row(v: VariantStock, lines: list[LocationLine], facts: StockFacts) -> StockRow:
    shop = [li for li in lines if li.shopify is not None]
    counted = [li for li in lines if li.shopify is not None or li.plan is not None]
    available = sum(li.available for li in shop)
    velocity = sum(li.plan.inputs.demand.velocity for li in shop if li.plan)
    fba = next((li.fba for li in lines if li.fba is not None), None)
    status = min((li.status for li in counted), key=lambda s: s.rank, default=StockStatus.OUT)
    snooze = facts.snoozes.get(v.variant_id)
    return StockRow(
        variant_id=v.variant_id,
        sku=v.sku,
        title=v.title,
        vendor=v.vendor,
        barcode=v.barcode,
        inventory_item_id=v.inventory_item_id,
        lines=tuple(lines),
        available=available,
        on_hand=sum(li.shopify.on_hand for li in shop if li.shopify),
        committed=sum(li.shopify.committed for li in shop if li.shopify),
        incoming=sum(li.shopify.incoming for li in shop if li.shopify),
        fba_fulfillable=fba.fulfillable if fba else None,
        fba_inbound=fba.inbound if fba else None,
        velocity=velocity,
        days_of_cover=days_of_cover(available, velocity),
        reorder_point=sum(li.plan.reorder_point for li in shop if li.plan),
        status=status,
        alert=any((v.variant_id, li.location) in facts.alerts for li in lines),
        snoozed_until=snooze.until if snooze else None,
    )
