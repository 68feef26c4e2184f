"""The stock view assembled from the store's facts: an open PO counted once, FBA counted
toward its own channel (planned only when the config says so), and the view's query."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from packdesk.domain.inventory.assemble import StockFacts, Warehouse, assemble
from packdesk.domain.inventory.reorder import ReorderPolicy
from packdesk.domain.inventory.stock import (
    FbaQuantities,
    ShopifyQuantities,
    StockStatus,
    VariantStock,
)
from packdesk.domain.inventory.view import StockQuery, select

TODAY = date(2026, 12, 1)
AS_OF = datetime(2026, 11, 30, tzinfo=UTC)
WAREHOUSES = [Warehouse("L-CA", "CA"), Warehouse("L-PA", "PA")]


def variant(
    n: int, ca: int, *, incoming: int = 0, fba: int | None = None, vendor: str = ""
) -> VariantStock:
    return VariantStock(
        variant_id=f"V{n}",
        sku=f"SKU-{n}",
        title=f"Item {n}",
        vendor=vendor,
        inventory_item_id=f"I{n}",
        levels={
            "L-CA": ShopifyQuantities(ca, 0, ca, incoming),
            "L-PA": ShopifyQuantities(50, 0, 50, 0),
        },
        fba=None if fba is None else FbaQuantities(fulfillable=fba, inbound_shipped=6, as_of=AS_OF),
    )


def daily(units: int) -> dict[date, int]:
    return {TODAY - timedelta(days=d): units for d in range(1, 31)}


def test_an_ordered_po_in_shopifys_incoming_is_counted_once() -> None:
    facts = StockFacts(
        variants=[variant(1, 5, incoming=30)],
        warehouses=WAREHOUSES,
        sales={("V1", "L-CA"): daily(2)},
        open_po={("V1", "CA"): 24},
    )
    [row] = assemble(facts, ReorderPolicy(), TODAY, plan_fba=False)
    line = row.line("CA")
    assert line is not None
    assert line.plan is not None
    assert (line.plan.inputs.incoming, line.plan.inputs.open_po, line.plan.position) == (6, 24, 35)


def test_fba_counts_toward_its_own_channel_unless_planned_here() -> None:
    facts = StockFacts(
        variants=[variant(1, 80, fba=0)],
        warehouses=WAREHOUSES,
        sales={("V1", "L-CA"): daily(1)},
        fba_totals={"V1": [(AS_OF - timedelta(days=14), 40), (AS_OF, 6)]},
    )
    [row] = assemble(facts, ReorderPolicy(), TODAY, plan_fba=False)
    fba = row.line("FBA")
    assert fba is not None
    assert (fba.plan, fba.status, row.status) == (None, StockStatus.OUT, StockStatus.OK)
    assert (row.available, row.fba_fulfillable, row.fba_inbound) == (130, 0, 6)
    [planned] = assemble(facts, ReorderPolicy(), TODAY, plan_fba=True)
    fba = planned.line("FBA")
    assert fba is not None
    assert fba.plan is not None
    assert fba.plan.inputs.demand.basis == "fba reports"
    assert fba.plan.inputs.demand.units == 34
    assert fba.plan.due
    assert planned.status is StockStatus.OUT


def test_sales_no_fulfillment_order_places_count_nowhere() -> None:
    facts = StockFacts(
        variants=[variant(1, 10)], warehouses=WAREHOUSES, sales={("V1", ""): daily(5)}
    )
    [row] = assemble(facts, ReorderPolicy(), TODAY, plan_fba=False)
    assert row.velocity == 0


def test_the_query_filters_by_status_location_vendor_and_words_and_pages() -> None:
    facts = StockFacts(
        variants=[
            variant(n, ca, vendor=v)
            for n, ca, v in (
                (1, 0, "LabBox"),
                (2, 3, "LabBox"),
                (3, 500, "Cardworks"),
                (4, 40, "Cardworks"),
            )
        ],
        warehouses=WAREHOUSES,
        sales={(f"V{n}", "L-CA"): daily(1) for n in range(1, 5)},
    )
    rows = assemble(facts, ReorderPolicy(), TODAY, plan_fba=False)
    low, total = select(rows, StockQuery(statuses=frozenset({StockStatus.LOW, StockStatus.OUT})))
    assert ([r.sku for r in low], total) == (["SKU-1", "SKU-2"], 2)
    by_vendor, _ = select(rows, StockQuery(vendor="card", sort="cover", descending=True))
    assert [r.sku for r in by_vendor] == ["SKU-3", "SKU-4"]
    found, _ = select(rows, StockQuery(search="sku-4"))
    assert [r.sku for r in found] == ["SKU-4"]
    page, total = select(rows, StockQuery(sort="sku", offset=1, limit=2))
    assert ([r.sku for r in page], total) == (["SKU-2", "SKU-3"], 4)
    at_fba, _ = select(rows, StockQuery(location="FBA"))
    assert at_fba == []
