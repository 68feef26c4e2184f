"""The order index's entries: one small `OrderHead` per order, generated in O(N).

A head holds what filtering, sorting and rebuilding an order need (times, state, warehouse,
the demo's special role); demo_orders.py builds the full order from it when it is read. The
newest heads hold the demo's named problem orders (`SPECIALS`), among them two long ones
(long_orders.py).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import lru_cache

from packdesk.sandbox.shopify.catalog import Node, gid
from packdesk.sandbox.shopify.long_orders import LONG_SPECIALS

ORDER_ID_BASE = 5_800_000_000
FIRST_ORDER_NUMBER = 1001
DAY = 86_400.0

# Named problem orders, newest first: special name → position from the end of the order list.
SPECIALS = (
    "simple",
    "bad_address",
    "express",
    "gift",
    "multi_box",
    "canada",
    "out_of_stock",
    *LONG_SPECIALS,
)


@lru_cache(maxsize=4096)
def _date(day: int) -> str:
    return datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d")


def iso(t: float) -> str:
    """Epoch seconds as Shopify writes a DateTime (hot: every order built uses it)."""
    day, sec = divmod(int(t), 86_400)
    hour, sec = divmod(sec, 3600)
    minute, sec = divmod(sec, 60)
    return f"{_date(day)}T{hour:02d}:{minute:02d}:{sec:02d}Z"


class OrderHead:
    """What the order index needs to filter, sort and rebuild one order."""

    __slots__ = (
        "cancelled",
        "closed",
        "created",
        "fstatus",
        "full",
        "idx",
        "kind",
        "loc",
        "number",
        "order_number",
        "special",
        "updated",
    )

    def __init__(
        self,
        idx: int,
        created: float,
        updated: float,
        kind: str,
        loc: str,
        special: str | None = None,
        *,
        number: int | None = None,
        order_number: int | None = None,
    ) -> None:
        self.idx = idx
        self.number = number or ORDER_ID_BASE + idx
        self.order_number = order_number or FIRST_ORDER_NUMBER + idx
        self.created = created
        self.updated = updated
        self.kind = kind  # open | partial | fulfilled | closed | cancelled
        self.loc = loc
        self.special = special
        self.full: Node | None = None
        self.cancelled = kind == "cancelled"
        self.closed = kind in ("closed", "cancelled")
        self.fstatus = {
            "fulfilled": "FULFILLED",
            "closed": "FULFILLED",
            "partial": "PARTIALLY_FULFILLED",
        }.get(kind, "UNFULFILLED")

    @property
    def gid(self) -> str:
        return gid("Order", self.number)

    @property
    def name(self) -> str:
        return f"#{self.order_number}"

    def refresh(self) -> None:
        """Copy filterable fields back from the full order after a change."""
        o = self.full
        assert o is not None
        self.cancelled = o["cancelledAt"] is not None
        self.closed = bool(o["closed"])
        self.fstatus = o["displayFulfillmentStatus"]


def generate_heads(
    rng: random.Random, n: int, now: float, specials: tuple[str, ...] = SPECIALS
) -> list[OrderHead]:
    """N order heads spread over the last 90 days, oldest first, in every state, the
    newest holding `specials`."""
    heads: list[OrderHead] = []
    span = 90 * DAY
    start = now - span
    step = span / max(n, 1)
    n_special = min(len(specials), max(0, n - 3))
    for i in range(n):
        created = start + (i + 0.1 + 0.8 * rng.random()) * step
        age = now - created
        r = rng.random()
        if age < 3 * DAY:
            kind = (
                "open"
                if r < 0.84
                else "partial"
                if r < 0.89
                else ("cancelled" if r < 0.94 else "fulfilled")
            )
        else:
            kind = (
                "fulfilled"
                if r < 0.58
                else "closed"
                if r < 0.86
                else ("cancelled" if r < 0.92 else "partial" if r < 0.96 else "open")
            )
        loc = "CA" if rng.random() < 0.8 else "PA"
        if kind == "open":
            updated = created + 60 + rng.random() * 600
        else:
            updated = created + min(age * 0.9, DAY * (0.3 + 2.5 * rng.random()))
        updated = float(int(min(updated, now)))
        created = float(int(created))
        special = None
        from_end = n - 1 - i
        if 1 <= from_end <= n_special:  # the very newest stays an ordinary order
            special, kind, loc = specials[from_end - 1], "open", "CA"
            updated = float(int(min(created + 120, now)))
        heads.append(OrderHead(i, created, updated, kind, loc, special))
    return heads
