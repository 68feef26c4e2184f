"""The Shipping section: what labels cost, per order, parcel and ounce, against revenue and
what customers paid, by carrier, service, zone and warehouse."""

from __future__ import annotations

from packdesk.domain.analytics.facts import CurrencyMix, ShippingGroup, ShippingTotals
from packdesk.domain.analytics.formulas import (
    cost_per_ounce,
    money,
    net_shipping,
    per,
    ratio,
)
from packdesk.domain.analytics.periods import Period
from packdesk.domain.analytics.report import Cell, Chart, Figure, Section, Table
from packdesk.domain.ports.analytics import ShippingReader
from packdesk.services.analytics.common import figure, units

TITLE = "Shipping"


def shipping_section(reader: ShippingReader, period: Period, mix: CurrencyMix) -> Section:
    """Labels bought in the period (BOUGHT, billed in the shop's currency)."""
    currency = mix.shop
    now = reader.shipping(period.start, period.end, currency)
    before = period.previous()
    then = reader.shipping(before.start, before.end, currency)
    groups = reader.shipping_groups(period.start, period.end, currency)
    matches = reader.service_matches(period.start, period.end, currency)
    tables = [_group_table(by, rows) for by, rows in groups.items()]
    tables.append(
        Table(
            key="shipping_requested_vs_bought",
            title="Service chosen at checkout against the label bought",
            columns=["requested", "bought", "parcels", "label_cost", "per_parcel"],
            units=units("text", "text", "count", "money", "money"),
            rows=[
                [m.requested, m.bought, m.parcels, money(m.cost), per(m.cost, m.parcels)]
                for m in matches
            ],
        )
    )
    tables.append(_days_table(now))
    return Section(
        key="shipping",
        title=TITLE,
        figures=shipping_figures(now, then),
        charts=[
            _chart("cost_by_carrier", "Label cost by carrier", groups["carrier"]),
            _chart("cost_by_zone", "Label cost by zone", groups["zone"]),
        ],
        tables=tables,
        notes=_notes(period, now, mix),
    )


def shipping_figures(now: ShippingTotals, then: ShippingTotals) -> list[Figure]:
    return [
        figure("label_cost", "Label cost", "money", money(now.cost), money(then.cost)),
        figure("parcels", "Parcels", "count", now.parcels, then.parcels),
        figure(
            "cost_per_order",
            "Cost per order",
            "money",
            per(now.cost, now.orders),
            per(then.cost, then.orders),
        ),
        figure(
            "cost_per_parcel",
            "Cost per parcel",
            "money",
            per(now.cost, now.parcels),
            per(then.cost, then.parcels),
        ),
        figure(
            "cost_per_ounce", "Cost per ounce", "money", cost_per_ounce(now), cost_per_ounce(then)
        ),
        figure(
            "shipping_share",
            "Label cost / net sales",
            "percent",
            ratio(now.cost_known, now.net_sales),
            ratio(then.cost_known, then.net_sales),
        ),
        figure(
            "net_shipping",
            "Net shipping (paid − cost)",
            "money",
            money(net_shipping(now)),
            money(net_shipping(then)),
        ),
        figure(
            "days_to_label",
            "Days from order to label",
            "days",
            now.days_to_label,
            then.days_to_label,
        ),
    ]


def _chart(key: str, title: str, rows: list[ShippingGroup]) -> Chart:
    return Chart(
        key=key,
        title=title,
        kind="bar",
        labels=[r.key for r in rows],
        series={"label cost": [float(money(r.cost)) for r in rows]},
        unit="money",
    )


def _group_table(by: str, rows: list[ShippingGroup]) -> Table:
    body: list[list[Cell]] = [
        [
            r.key,
            r.parcels,
            r.orders,
            money(r.cost),
            per(r.cost, r.orders),
            per(r.cost, r.parcels),
            cost_per_ounce(r),
        ]
        for r in rows
    ]
    return Table(
        key=f"shipping_by_{by}",
        title=f"Labels by {by}",
        columns=[by, "parcels", "orders", "label_cost", "per_order", "per_parcel", "per_ounce"],
        units=units("text", "count", "count", "money", "money", "money", "money"),
        rows=body,
    )


def _days_table(now: ShippingTotals) -> Table:
    spans = [
        ("under 1 day", now.same_day),
        ("1 to 2 days", now.next_day),
        ("2 days or more", now.later),
    ]
    return Table(
        key="shipping_days_to_label",
        title="Days from order to first label",
        columns=["days", "orders", "share"],
        units=units("text", "count", "percent"),
        rows=[[label, n, ratio(n, now.orders)] for label, n in spans],
    )


def _notes(period: Period, now: ShippingTotals, mix: CurrencyMix) -> list[str]:
    notes = [
        f"Label cost is the rate plus the label fee, in {mix.shop}; voided (refunded) labels "
        "are left out."
    ]
    if not now.parcels:
        notes.append(f"No labels were bought from {period.first} to {period.last}.")
    other = {c: n for c, n in mix.label_currencies.items() if c != mix.shop}
    if other:
        listed = ", ".join(f"{n} billed in {c}" for c, n in sorted(other.items()))
        notes.append(f"Labels in another currency are left out of the costs ({listed}).")
    if now.parcels and now.weighed < now.parcels:
        notes.append(
            f"{now.parcels - now.weighed} of {now.parcels} parcels have no weight recorded: "
            "the cost per ounce covers the others."
        )
    if now.orders and now.charged_known < now.orders:
        notes.append(
            f"{now.orders - now.charged_known} labeled orders have no sales breakdown yet: "
            "shipping paid and the share of net sales cover the others."
        )
    return notes
