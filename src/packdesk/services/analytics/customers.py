"""The Customers section: repeat rates, historic lifetime value, cohorts by first-order
month, and RFM segments."""

from __future__ import annotations

from collections import defaultdict

from packdesk.domain.analytics.facts import CohortCell, CustomerFacts, RfmCell
from packdesk.domain.analytics.formulas import money, per, ratio
from packdesk.domain.analytics.periods import Period
from packdesk.domain.analytics.report import Cell, Chart, Figure, Section, Table, Unit
from packdesk.domain.analytics.rfm import SEGMENTS, segment
from packdesk.domain.ports.analytics import CustomerReader
from packdesk.services.analytics.common import figure, units

TITLE = "Customers"
COHORT_MONTHS = 12


def customers_section(reader: CustomerReader, period: Period) -> Section:
    now = reader.customers(period.start, period.end)
    before = period.previous()
    then = reader.customers(before.start, before.end)
    months = period.months_back(COHORT_MONTHS)
    cells = reader.cohorts(months)
    rfm = reader.rfm(period.end)
    segments = _segments(rfm)
    return Section(
        key="customers",
        title=TITLE,
        figures=customer_figures(now, then),
        charts=[
            Chart(
                key="segments",
                title="Customers by RFM segment",
                kind="bar",
                labels=[name for name, _ in segments],
                series={"customers": [float(n) for _, (n, _s, _d) in segments]},
                unit="count",
            )
        ],
        tables=[
            _cohort_table(cells, "retention", [m.label for m in months]),
            _cohort_table(cells, "spend", [m.label for m in months]),
            _segment_table(segments, sum(c.customers for c in rfm)),
            Table(
                key="customers_rfm_scores",
                title="Customers by RFM score",
                columns=["recency", "frequency", "monetary", "segment", "customers", "net_sales"],
                units=units("count", "count", "count", "text", "count", "money"),
                rows=[[c.r, c.f, c.m, segment(c.r, c.f), c.customers, money(c.spend)] for c in rfm],
            ),
        ],
        notes=_notes(now, period),
    )


def customer_figures(now: CustomerFacts, then: CustomerFacts) -> list[Figure]:
    return [
        figure("customers", "Customers who ordered", "count", now.in_period, then.in_period),
        figure("new_customers", "New customers", "count", now.new_in_period, then.new_in_period),
        figure(
            "repeat_rate",
            "Repeat customers, all time",
            "percent",
            ratio(now.repeat, now.customers),
            ratio(then.repeat, then.customers),
        ),
        figure(
            "repeat_rate_period",
            "Repeat customers, in the period",
            "percent",
            ratio(now.repeat_in_period, now.in_period),
            ratio(then.repeat_in_period, then.in_period),
        ),
        figure(
            "lifetime_value",
            "Historic lifetime value",
            "money",
            per(now.net, now.customers),
            per(then.net, then.customers),
        ),
        figure(
            "orders_per_customer",
            "Orders per customer",
            "ratio",
            ratio(now.orders, now.customers),
            ratio(then.orders, then.customers),
        ),
    ]


def _segments(rfm: list[RfmCell]) -> list[tuple[str, tuple[int, int, float]]]:
    """(segment, (customers, net sales in cents, summed days since last order)), in the
    order of SEGMENTS."""
    found: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for c in rfm:
        totals = found[segment(c.r, c.f)]
        totals[0] += c.customers
        totals[1] += c.spend
        totals[2] += c.days_since * c.customers
    return [
        (name, (int(found[name][0]), int(found[name][1]), found[name][2]))
        for name in SEGMENTS
        if name in found
    ]


def _segment_table(segments: list[tuple[str, tuple[int, int, float]]], everyone: int) -> Table:
    body: list[list[Cell]] = [
        [
            name,
            n,
            ratio(n, everyone),
            ratio(days, n),
            money(spend),
            per(spend, n),
            SEGMENTS[name].meaning,
        ]
        for name, (n, spend, days) in segments
    ]
    return Table(
        key="customers_rfm_segments",
        title="RFM segments",
        columns=[
            "segment",
            "customers",
            "share",
            "days_since_last_order",
            "net_sales",
            "per_customer",
            "what_to_do",
        ],
        units=units("text", "count", "percent", "days", "money", "money", "text"),
        rows=body,
    )


def _cohort_table(cells: list[CohortCell], kind: str, labels: list[str]) -> Table:
    """Cohorts down, months since the first order across: the share of the cohort that
    ordered that month (retention), or its cumulative net sales per customer (spend)."""
    months = len(labels)
    by_cohort: dict[str, dict[int, CohortCell]] = defaultdict(dict)
    for c in cells:
        by_cohort[c.cohort][c.offset] = c
    rows: list[list[Cell]] = []
    for cohort, offsets in by_cohort.items():
        size = next(iter(offsets.values())).size
        row: list[Cell] = [cohort, size]
        running = 0
        for k in range(months - labels.index(cohort)):
            cell = offsets.get(k)
            if kind == "retention":
                row.append(ratio(cell.active, size) if cell else 0.0)
            else:
                running = cell.cumulative if cell else running
                row.append(per(running, size))
        rows.append(row)
    cell_unit: Unit = "percent" if kind == "retention" else "money"
    return Table(
        key=f"customers_cohort_{kind}",
        title=(
            "Cohorts: share ordering N months after the first order"
            if kind == "retention"
            else "Cohorts: cumulative net sales per customer"
        ),
        columns=["cohort", "customers", *(f"m{k}" for k in range(months))],
        units=units("text", "count", *([cell_unit] * months)),
        rows=[r + [None] * (months + 2 - len(r)) for r in rows],
    )


def _notes(now: CustomerFacts, period: Period) -> list[str]:
    notes = [
        "A customer is Shopify's customer, else the order's e-mail address; spend is net "
        "sales (after discounts and returns, without shipping and tax)."
    ]
    if not now.in_period:
        notes.append(f"No customer ordered from {period.first} to {period.last}.")
    if now.guest_orders:
        notes.append(
            f"{now.guest_orders} orders in the period have neither a customer nor an e-mail "
            "address and are left out of the customer figures."
        )
    return notes
