"""How `packdesk stock` and `packdesk reorder` show rows: a table for people, JSON lines for
scripts (one object per SKU, or per suggestion, with every number and input)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from packdesk.domain.inventory.reorder import ReorderPlan
from packdesk.domain.inventory.view import LocationLine, StockRow


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def line_json(line: LocationLine) -> dict[str, Any]:
    found: dict[str, Any] = {"status": line.status.value, "available": line.available}
    if line.shopify is not None:
        q = line.shopify
        found.update(
            available=q.available, committed=q.committed, on_hand=q.on_hand, incoming=q.incoming
        )
    if line.fba is not None:
        f = line.fba
        found.update(
            fulfillable=f.fulfillable,
            inbound_working=f.inbound_working,
            inbound_shipped=f.inbound_shipped,
            inbound_receiving=f.inbound_receiving,
            reserved=f.reserved,
            unsellable=f.unsellable,
            researching=f.researching,
            total=f.total,
            as_of=_when(f.as_of),
        )
    if line.plan is not None:
        p = line.plan
        found.update(
            velocity=_round(p.inputs.demand.velocity, 3),
            days_of_cover=_round(p.days_of_cover, 1),
            reorder_point=_round(p.reorder_point, 1),
            suggested=p.quantity,
        )
    elif line.shopify is not None:  # nothing sold there in the window
        found.update(velocity=0.0, days_of_cover=None, reorder_point=None, suggested=0)
    return found


def row_json(row: StockRow) -> dict[str, Any]:
    return {
        "sku": row.sku,
        "title": row.title,
        "vendor": row.vendor,
        "variant_id": row.variant_id,
        "status": row.status.value,
        "locations": {line.location: line_json(line) for line in row.lines},
        "totals": {
            "available": row.available,
            "on_hand": row.on_hand,
            "committed": row.committed,
            "incoming": row.incoming,
            "fba_fulfillable": row.fba_fulfillable,
            "fba_inbound": row.fba_inbound,
        },
        "velocity": _round(row.velocity, 3),
        "days_of_cover": _round(row.days_of_cover, 1),
        "reorder_point": _round(row.reorder_point, 1),
        "alert": row.alert,
        "snoozed_until": _when(row.snoozed_until),
    }


def plan_json(plan: ReorderPlan) -> dict[str, Any]:
    i = plan.inputs
    d = i.demand
    return {
        "sku": i.sku,
        "title": i.title,
        "location": i.location,
        "supplier": i.supplier,
        "quantity": plan.quantity,
        "status": plan.status.value,
        "inputs": {
            "velocity": _round(d.velocity, 4),
            "velocity_basis": d.basis,
            "window": [d.window_start.isoformat(), d.window_end.isoformat()],
            "days_in_window": d.days_in_window,
            "days_counted": d.days_counted,
            "out_of_stock_days": d.out_days,
            "inferred_out_of_stock_days": d.inferred_out_days,
            "units_sold": d.units,
            "sigma_daily": _round(d.sigma_daily, 4),
            "lead_time_days": i.lead_time_days,
            "lead_time_source": i.lead_time_source,
            "service_level_z": _round(plan.z, 4),
            "safety_stock": _round(plan.safety_stock, 2),
            "safety_method": plan.safety_method,
            "days_of_cover": plan.cover_target_days,
            "available": i.available,
            "on_hand": i.on_hand,
            "committed": i.committed,
            "incoming": i.incoming,
            "open_purchase_orders": i.open_po,
            "case_pack": i.case_pack,
            "min_order": i.min_order,
        },
        "reorder_point": _round(plan.reorder_point, 2),
        "position": plan.position,
        "target": _round(plan.target, 2),
        "raw_quantity": _round(plan.raw_quantity, 2),
        "explanation": plan.explain(),
    }


def _cell(line: LocationLine | None) -> str:
    if line is None:
        return "—"
    if line.fba is not None:
        inbound = line.fba.inbound
        return f"{line.available}" + (f"+{inbound}" if inbound else "")
    incoming = line.shopify.incoming if line.shopify else 0
    return f"{line.available}" + (f"+{incoming}" if incoming else "")


def table(rows: list[StockRow], locations: list[str]) -> list[str]:
    """The table `packdesk stock` prints: per location available (+ incoming or inbound)."""
    head = f"{'SKU':<14} {'STATUS':<9} " + " ".join(f"{code:>9}" for code in locations)
    head += f" {'VEL/DAY':>8} {'COVER':>6} {'ROP':>6}  TITLE"
    lines = [head]
    for row in rows:
        cover = f"{row.days_of_cover:.0f}d" if row.days_of_cover is not None else "—"
        mark = "!" if row.alert else ("z" if row.snoozed_until else " ")
        lines.append(
            f"{row.sku:<14} {row.status.value:<9} "
            + " ".join(f"{_cell(row.line(code)):>9}" for code in locations)
            + f" {row.velocity:>8.2f} {cover:>6} {row.reorder_point:>6.1f} {mark}{row.title[:40]}"
        )
    return lines
