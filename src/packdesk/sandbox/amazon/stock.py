"""The demo seller's FBA stock: one entry per seller SKU, selling down by the day.

Built from the demo shop's SKUs and a seeded RNG, so it is the same on every start. Most
SKUs are at Amazon, a few are not, and two are Amazon's own bundles no Shopify variant
has. Each entry sells `rate` units a day of sandbox time (Amazon's orders, which packdesk
does not see), so two reports days apart show what left the network.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

Node = dict[str, object]

AMAZON_ONLY = (
    ("BM-BNDL-STEM", "BrightMinds STEM Starter Bundle (3 kits)"),
    ("BM-BNDL-CARDS", "BrightMinds Flash Card Value Pack"),
)
QUANTITIES = (
    "fulfillable",
    "inbound_working",
    "inbound_shipped",
    "inbound_receiving",
    "reserved",
    "unsellable",
    "researching",
)


@dataclass
class FbaEntry:
    sku: str
    title: str
    asin: str
    fnsku: str
    price: str
    fulfillable: int = 0
    inbound_working: int = 0
    inbound_shipped: int = 0
    inbound_receiving: int = 0
    reserved: int = 0
    unsellable: int = 0
    researching: int = 0
    rate: float = 0.0
    """Units sold a day at Amazon."""
    since: datetime | None = None
    """When `fulfillable` was true; sales since then come off it."""
    updated: dict[str, object] = field(default_factory=dict)

    def now(self, at: datetime) -> dict[str, int]:
        """The quantities at `at`: fulfillable less what sold since `since`."""
        sold = 0
        if self.since is not None and self.rate > 0:
            sold = int(max((at - self.since).total_seconds(), 0) / 86_400 * self.rate)
        values = {name: int(getattr(self, name)) for name in QUANTITIES}
        values["fulfillable"] = max(values["fulfillable"] - sold, 0)
        return values

    def total(self, at: datetime) -> int:
        return sum(self.now(at).values())


def demo_stock(
    seed: int, products: Sequence[tuple[str, str, str]], start: datetime
) -> dict[str, FbaEntry]:
    """FBA entries for the demo shop's (sku, title, price), plus Amazon-only bundles."""
    rng = random.Random(seed * 7919 + 17)
    stock: dict[str, FbaEntry] = {}
    rows = [*products, *((sku, title, "34.99") for sku, title in AMAZON_ONLY)]
    for n, (sku, title, price) in enumerate(sorted(rows)):
        if rng.random() < 0.2 and not sku.startswith("BM-BNDL"):
            continue  # not sold through FBA
        entry = FbaEntry(
            sku=sku,
            title=f"BrightMinds® {title}",
            asin=f"B0{rng.randrange(16**8):08X}",
            fnsku=f"X00{rng.randrange(16**7):07X}",
            price=price,
            fulfillable=rng.randint(0, 90),
            reserved=rng.randint(0, 4),
            unsellable=rng.choice((0, 0, 0, 1, 2)),
            researching=rng.choice((0, 0, 0, 1)),
            rate=round(rng.uniform(0.2, 2.5), 2),
            since=start,
        )
        if n % 4 == 0:
            entry.inbound_working = rng.randint(6, 48)
        elif n % 4 == 1:
            entry.inbound_shipped = rng.randint(6, 48)
        elif n % 7 == 2:
            entry.inbound_receiving = rng.randint(1, 12)
        stock[sku] = entry
    return stock
