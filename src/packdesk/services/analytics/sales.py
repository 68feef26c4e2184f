"""The Sales section: orders, units, gross and net sales, AOV, and their trend."""

from __future__ import annotations

from packdesk.domain.analytics.facts import CurrencyMix, SalesFacts
from packdesk.domain.analytics.formulas import average_order_value, money
from packdesk.domain.analytics.periods import Grain, Period
from packdesk.domain.analytics.report import Cell, Chart, Figure, Section, Table, Unit
from packdesk.domain.ports.analytics import SalesReader
from packdesk.services.analytics.common import figure, units

TITLE = "Orders and revenue"
MONEY_COLUMNS: tuple[Unit, ...] = ("money",) * 7


def sales_section(
    reader: SalesReader, period: Period, mix: CurrencyMix, grain: Grain | None = None
) -> Section:
    """Orders placed in the period (cancelled ones left out) by bucket, with the change
    from the period before."""
    currency = mix.shop
    buckets = period.buckets(grain)
    rows = reader.sales(buckets, currency)
    total = reader.sales_total(period.start, period.end, currency)
    before = period.previous()
    previous = reader.sales_total(before.start, before.end, currency)
    return Section(
        key="sales",
        title=TITLE,
        figures=sales_figures(total, previous),
        charts=[
            Chart(
                key="net_sales",
                title=f"Net sales by {(grain or period.grain()).value}",
                kind="bar",
                labels=[r.label for r in rows],
                series={"net sales": [float(money(r.net)) for r in rows]},
                unit="money",
            ),
            Chart(
                key="orders",
                title=f"Orders by {(grain or period.grain()).value}",
                kind="line",
                labels=[r.label for r in rows],
                series={"orders": [float(r.orders) for r in rows]},
                unit="count",
            ),
        ],
        tables=[_trend_table(rows, (grain or period.grain()).value)],
        notes=sales_notes(period, total, mix),
    )


def sales_figures(total: SalesFacts, previous: SalesFacts) -> list[Figure]:
    return [
        figure("orders", "Orders", "count", total.orders, previous.orders),
        figure("units", "Units", "count", total.units, previous.units),
        figure("gross_sales", "Gross sales", "money", money(total.gross), money(previous.gross)),
        figure(
            "discounts", "Discounts", "money", money(total.discounts), money(previous.discounts)
        ),
        figure("returns", "Returns", "money", money(total.returns), money(previous.returns)),
        figure("net_sales", "Net sales", "money", money(total.net), money(previous.net)),
        figure(
            "aov",
            "Average order value",
            "money",
            average_order_value(total),
            average_order_value(previous),
        ),
        figure(
            "shipping",
            "Shipping charged",
            "money",
            money(total.shipping),
            money(previous.shipping),
        ),
        figure("tax", "Taxes", "money", money(total.tax), money(previous.tax)),
    ]


def sales_notes(period: Period, total: SalesFacts, mix: CurrencyMix) -> list[str]:
    notes = [f"Amounts are in shop money ({mix.shop}); cancelled orders are left out."]
    if not total.orders:
        notes.append(f"No orders were placed from {period.first} to {period.last}.")
    elif total.known < total.orders:
        missing = total.orders - total.known
        notes.append(
            f"{missing} of {total.orders} orders have no sales breakdown yet (they were stored "
            "before packdesk read discounts and taxes; the running sync reads them again): the "
            f"money figures cover the other {total.known}."
        )
    paid_else = {c: n for c, n in mix.paid_in.items() if c != mix.shop}
    if paid_else:
        listed = ", ".join(f"{n} in {c}" for c, n in sorted(paid_else.items()))
        notes.append(
            f"Customers paid {listed}; those orders count at their {mix.shop} value, as "
            "Shopify records them in shop money."
        )
    if mix.other_shop_currency:
        listed = ", ".join(f"{n} in {c}" for c, n in sorted(mix.other_shop_currency.items()))
        notes.append(
            f"Orders placed while the shop's currency was another one are left out ({listed})."
        )
    return notes


def _trend_table(rows: list[SalesFacts], grain: str) -> Table:
    columns = [
        grain,
        "orders",
        "units",
        "gross_sales",
        "discounts",
        "returns",
        "net_sales",
        "shipping",
        "tax",
        "aov",
    ]
    kinds = units("text", "count", "count", *MONEY_COLUMNS)
    body: list[list[Cell]] = [
        [
            r.label,
            r.orders,
            r.units,
            money(r.gross),
            money(r.discounts),
            money(r.returns),
            money(r.net),
            money(r.shipping),
            money(r.tax),
            average_order_value(r),
        ]
        for r in rows
    ]
    return Table(
        key=f"sales_by_{grain}",
        title=f"Sales by {grain}",
        columns=columns,
        units=kinds,
        rows=body,
    )
