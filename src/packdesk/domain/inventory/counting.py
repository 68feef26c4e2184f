"""Cycle counts: a shelf counted by scanning every item on it.

Each item's count is compared, when it is sent to Shopify, with the available quantity
Shopify held when the item was first scanned (`changeFromQuantity`): a sale or receipt in
between makes Shopify refuse the count, so a count never overwrites a change it did not see.
Items counted at what Shopify holds need no write.
"""

from __future__ import annotations

from collections.abc import Sequence

from packdesk.domain.inventory.stock import Value


class CountLine(Value):
    variant_id: str
    inventory_item_id: str
    sku: str
    title: str
    expected: int | None
    """Shopify's available quantity when first scanned; None when it does not stock it."""
    counted: int = 0

    @property
    def difference(self) -> int | None:
        return None if self.expected is None else self.counted - self.expected


class StockCount(Value):
    id: int
    location: str
    location_id: str
    state: str
    """OPEN while scanning, DONE once sent."""
    lines: tuple[CountLine, ...] = ()

    def changed(self) -> list[CountLine]:
        """The lines whose count differs from what Shopify held."""
        return [li for li in self.lines if li.difference != 0]


def count_summary(lines: Sequence[CountLine]) -> str:
    changed = [li for li in lines if li.difference]
    same = len(lines) - len(changed)
    parts = [f"{li.sku} {li.expected} → {li.counted}" for li in changed]
    head = f"{len(lines)} item(s) counted, {same} as Shopify holds"
    return head + (": " + ", ".join(parts) if parts else "")
