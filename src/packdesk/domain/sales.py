"""An order's sales in shop money, broken down as Shopify's finance reports use them.

Shopify gives these per order (`subtotalPriceSet`, `currentSubtotalPriceSet`,
`totalDiscountsSet`, `totalTaxSet`, `totalShippingPriceSet`, each `shopMoney`); docs/analytics.md
says how analytics turns them into gross sales, discounts, returns and net sales.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class OrderSales(BaseModel):
    """The money of one order, in the shop's currency."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subtotal: Decimal
    """Line items after discounts, before returns, shipping and taxes (subtotalPriceSet)."""
    current_subtotal: Decimal
    """The same after returns and removed items (currentSubtotalPriceSet)."""
    discounts: Decimal = Decimal("0")
    """Discounts on the order (totalDiscountsSet)."""
    tax: Decimal = Decimal("0")
    """Taxes charged (totalTaxSet)."""
    shipping: Decimal = Decimal("0")
    """Shipping charged to the customer (totalShippingPriceSet)."""

    @property
    def gross(self) -> Decimal:
        """Gross sales: line items before discounts (subtotal + discounts)."""
        return self.subtotal + self.discounts

    @property
    def returns(self) -> Decimal:
        """Returned and removed items, after their discounts (subtotal − current subtotal)."""
        return self.subtotal - self.current_subtotal
