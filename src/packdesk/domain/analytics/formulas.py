"""The formulas that turn the store's sums into figures (docs/analytics.md, one by one).

Each takes integer cents and counts and returns `Decimal` money or a float ratio; a ratio
whose denominator is zero is None (shown as "—"), never zero or infinity.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from packdesk.domain.analytics.facts import SalesFacts, ShippingGroup, ShippingTotals

CENT = Decimal("0.01")
GRAMS_PER_OUNCE = 28.349523125
A_SHARE = 0.80
"""A-class items: ranked by units sold, those while the items above them hold less than
80 % of all units (the item that crosses 80 % is A)."""
B_SHARE = 0.95
"""B-class items: the next ones below 95 %; C-class: the rest (about the last 5 %)."""


def money(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def ratio(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


def change(current: float | None, previous: float | None) -> float | None:
    """(current − previous) / previous; None when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


def average_order_value(sales: SalesFacts) -> Decimal | None:
    """AOV = (gross sales − discounts) / orders, tax and shipping excluded (Shopify's
    definition since 2023), over the orders whose breakdown is known."""
    if not sales.known:
        return None
    return (Decimal(sales.gross - sales.discounts) / 100 / sales.known).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def per(cents: int, count: float) -> Decimal | None:
    """An amount per order, per parcel, per ounce..."""
    if not count:
        return None
    return (Decimal(cents) / 100 / Decimal(str(count))).quantize(CENT, rounding=ROUND_HALF_UP)


def ounces(grams: float) -> float:
    return grams / GRAMS_PER_OUNCE


def cost_per_ounce(shipping: ShippingTotals | ShippingGroup) -> Decimal | None:
    """Label cost per ounce shipped, over the parcels whose weight is known."""
    if not shipping.weighed:
        return None
    return per(shipping.weighed_cost, ounces(shipping.weight_g))


def net_shipping(shipping: ShippingTotals) -> int:
    """What customers paid for shipping − what the labels cost (cents)."""
    return shipping.charged - shipping.cost


def turnover(cogs: int, average_inventory: int | None) -> float | None:
    """Inventory turnover = COGS / average inventory value, for the period."""
    if not average_inventory:
        return None
    return cogs / average_inventory


def days_of_inventory(days: int, turns: float | None) -> float | None:
    """Days of inventory = days in the period / turnover (how long the average stock lasts
    at the period's rate of sale)."""
    if not turns:
        return None
    return days / turns


def sell_through(units_sold: int, ending_on_hand: int | None) -> float | None:
    """Sell-through = units sold / (units sold + units on hand at the end)."""
    if ending_on_hand is None:
        return None
    return ratio(units_sold, units_sold + max(ending_on_hand, 0))
