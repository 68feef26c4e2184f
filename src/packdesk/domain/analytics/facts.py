"""What the store's analytical queries return: sums and counts, money in integer cents.

The store does the heavy work in SQL (sums, window functions, quantiles); these are its
answers, small whatever the history's size. `formulas` turns them into the figures a person
reads; docs/analytics.md writes every one down.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SalesFacts:
    """Orders placed in one bucket (or the whole period), cancelled orders left out."""

    label: str
    orders: int = 0
    units: int = 0
    """Units still on the orders (current quantities: after edits and removals)."""
    known: int = 0
    """Orders whose sales breakdown packdesk has read; the money below sums only these."""
    gross: int = 0
    discounts: int = 0
    returns: int = 0
    net: int = 0
    shipping: int = 0
    tax: int = 0


@dataclass(frozen=True)
class CurrencyMix:
    """The currencies of a period: the shop's, what customers paid in, what labels cost in."""

    shop: str
    paid_in: dict[str, int] = field(default_factory=dict)
    """Orders by the currency the customer paid in (presentment currency)."""
    label_currencies: dict[str, int] = field(default_factory=dict)
    """Bought labels by the currency they were billed in."""
    other_shop_currency: dict[str, int] = field(default_factory=dict)
    """Orders placed while the shop's currency was another one (left out of the sums)."""


@dataclass(frozen=True)
class ShippingTotals:
    """Labels bought in the period (state BOUGHT, billed in the shop's currency) and the
    orders they shipped."""

    orders: int = 0
    parcels: int = 0
    cost: int = 0
    """Label cost: the rate plus the label fee, in cents."""
    weight_g: float = 0.0
    weighed: int = 0
    """Parcels whose weight is known (their package row exists)."""
    weighed_cost: int = 0
    """Label cost of those parcels, in cents (for the cost per ounce)."""
    charged: int = 0
    """Shipping the customers paid on these orders (orders with a sales breakdown)."""
    charged_known: int = 0
    """Orders among them with a sales breakdown."""
    cost_known: int = 0
    """Label cost of those orders, in cents (against what they paid)."""
    net_sales: int = 0
    """Net sales of these orders (orders with a sales breakdown)."""
    days_to_label: float | None = None
    """Average days from the order to its first label."""
    same_day: int = 0
    next_day: int = 0
    later: int = 0
    """Orders labeled within 1 day of the order, within 2 days, after that."""


@dataclass(frozen=True)
class ShippingGroup:
    """Labels of one carrier, service, zone or warehouse."""

    key: str
    parcels: int
    orders: int
    cost: int
    weight_g: float
    weighed: int
    weighed_cost: int


@dataclass(frozen=True)
class ServiceMatch:
    """What the customer chose at checkout against the label bought."""

    requested: str
    bought: str
    parcels: int
    cost: int


@dataclass(frozen=True)
class ProductFacts:
    """One item sold in the period, with its ABC class by units."""

    key: str
    sku: str
    title: str
    units: int
    gross: int
    """Units × the line's original unit price, in cents."""
    unit_cost: int | None
    """The variant's unit cost now, in cents; None while Shopify has none."""
    abc: str
    share_before: float
    """Share of all units sold by the items ranked above this one."""
    ending_on_hand: int | None
    """On hand at the end of the period (snapshot, else today's stock); None: unknown."""


@dataclass(frozen=True)
class InventoryValue:
    """The average value of stock on hand over the period, from daily snapshots."""

    average: int | None
    """Cents; None when no day of the period has a snapshot."""
    days: int
    """Days of the period with a snapshot."""
    source: str
    """`snapshots`, or `current` when today's stock stands in for a period without any."""
    units_without_cost: int = 0
    """Units on hand (latest picture) whose unit cost is unknown: left out of the value."""


@dataclass(frozen=True)
class CustomerFacts:
    """Customers as of the end of a period, all-time and within it."""

    customers: int = 0
    """Customers with at least one order before the period's end."""
    repeat: int = 0
    """Of those, customers with two or more."""
    orders: int = 0
    net: int = 0
    """Net sales of every order of those customers (with a sales breakdown), in cents."""
    in_period: int = 0
    """Customers who ordered within the period."""
    repeat_in_period: int = 0
    """Of those, customers with two or more orders within the period."""
    new_in_period: int = 0
    """Customers whose first order is in the period."""
    guest_orders: int = 0
    """Orders in the period with neither a customer nor an e-mail address."""


@dataclass(frozen=True)
class CohortCell:
    """Customers of one first-order month, `offset` months later."""

    cohort: str
    offset: int
    size: int
    active: int
    spend: int
    cumulative: int
    """Net sales of the cohort from its first month through this one, in cents."""


@dataclass(frozen=True)
class RfmCell:
    """Customers with one recency, frequency and monetary score (1–5 each)."""

    r: int
    f: int
    m: int
    customers: int
    spend: int
    days_since: float
