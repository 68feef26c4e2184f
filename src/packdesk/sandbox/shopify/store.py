"""The demo shop's state: catalog, order index, lookups by id, and paging in Shopify's order.

One `ShopState` per sandbox. Callers hold `state.lock` around a whole request, so a page of
orders never sees half a mutation. Orders are found by id arithmetic (ids are dense per
order) or by the registry of objects created at run time.

The demo data is the same on every start (same seed, same shop), but whatever is made at
run time (orders, fulfillments, adjustment groups, ...) takes ids from the real clock in
microseconds and order numbers from it in tenths of a second, so a restarted sandbox never
gives a new object the id or the name of one an earlier run made.

Changes are told to `listeners` as (topic, subject): an order head for `orders/...`, an
inventory level for `inventory_levels/update`. Every change made by one merchant action
(`with state.action():`) shares one event id, as Shopify's X-Shopify-Event-Id does.
"""

from __future__ import annotations

import bisect
import gc
import random
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from packdesk.sandbox.shopify.catalog import (
    OUT_OF_STOCK_SKU,
    SOLD_OUT_DAYS,
    Catalog,
    Node,
    build_catalog,
)
from packdesk.sandbox.shopify.demo_orders import OrderFactory
from packdesk.sandbox.shopify.long_orders import LONG_SPECIALS, ids_of
from packdesk.sandbox.shopify.order_heads import (
    FIRST_ORDER_NUMBER,
    ORDER_ID_BASE,
    SPECIALS,
    OrderHead,
    generate_heads,
    iso,
)
from packdesk.sandbox.shopify.paging import (
    decode_cursor,
    encode_cursor,
    make_connection,
    page_size,
)
from packdesk.sandbox.shopify.search import Term, compare, parse_query

_CACHE_SIZE = 4096
_NAME_EPOCH_S = 1_767_225_600  # 2026-01-01T00:00:00Z: run-time order numbers count from it


class ShopState:
    """Catalog plus orders, with the indexes the GraphQL resolvers and the control API use."""

    def __init__(
        self,
        *,
        shop: str,
        seed: int,
        orders: int,
        now: Callable[[], datetime],
        long_orders: bool = True,
    ) -> None:
        self.lock = threading.RLock()
        self.shop_domain = shop if "." in shop else f"{shop}.myshopify.com"
        self.now = now
        start = now().timestamp()
        rng = random.Random(seed)
        self.catalog: Catalog = build_catalog(rng, iso(start - 400 * 86_400))
        sold_out_at = start - SOLD_OUT_DAYS * 86_400
        self.factory = OrderFactory(
            seed, self.catalog, n_customers=min(2000, orders // 2 + 5), sold_out_at=sold_out_at
        )
        # The out-of-stock SKU's CA level last changed when its last unit sold.
        mic = self.catalog.by_sku[OUT_OF_STOCK_SKU]["inventoryItem"]
        mic["_levels"][self.catalog.locations["CA"]["id"]]["updatedAt"] = iso(sold_out_at)
        specials = SPECIALS if long_orders else tuple(s for s in SPECIALS if s not in LONG_SPECIALS)
        self.heads: list[OrderHead] = generate_heads(rng, orders, start, specials)
        # (updated, number, head), kept sorted; creation order is self.heads' own order.
        self._by_updated = sorted((h.updated, h.number, h) for h in self.heads)
        # the demo's named problem orders, e.g. {"simple": "#1299", ...}
        self.specials = {h.special: h.name for h in self.heads[-16:] if h.special}
        self._extra: dict[str, OrderHead] = {}  # gid of objects made at run time → order
        self._by_number: dict[int, OrderHead] = {}  # orders made at run time
        self._by_name: dict[str, OrderHead] = {}
        self._cache: OrderedDict[int, Node] = OrderedDict()
        self._last_id = 0
        self._last_order_number = FIRST_ORDER_NUMBER + len(self.heads) - 1
        self._event: str | None = None
        # called with (topic, subject) after a change; the webhook sender listens here
        self.listeners: list[Callable[[str, Any], None]] = []
        self.shop: Node = {
            "id": "gid://shopify/Shop/60000000001",
            "name": "BrightMinds Learning",
            "email": "orders@brightminds.example",
            "myshopifyDomain": self.shop_domain,
            "currencyCode": "USD",
            "ianaTimezone": "America/Los_Angeles",
        }
        for head in self.heads[-16:]:
            if head.special in LONG_SPECIALS:
                for found in ids_of(self.pin(head)):
                    self.register(found, head)
        # 100,000 heads make every full garbage collection scan them all, which slowed
        # paging tenfold; they live as long as the sandbox, so take them out of the GC.
        gc.freeze()

    # ---------------------------------------------------------------- ids and lookups

    def new_id(self) -> int:
        """A fresh numeric id for an object made at run time: the real clock in
        microseconds (or one more than the last), never one an earlier run gave out."""
        self._last_id = max(self._last_id + 1, time.time_ns() // 1000)
        return self._last_id

    def new_order_number(self) -> int:
        """The number (#N) of an order placed at run time: after the demo's orders, counted
        in tenths of a second of the real clock, so no restart hands out a name twice."""
        ticks = int(time.time() * 10) - _NAME_EPOCH_S * 10
        self._last_order_number = max(self._last_order_number + 1, 1001 + len(self.heads) + ticks)
        return self._last_order_number

    def order(self, head: OrderHead) -> Node:
        """The full order of a head (built on demand, cached, or kept if changed)."""
        if head.full is not None:
            return head.full
        got = self._cache.get(head.idx)
        if got is None:
            got = self.factory.materialise(head)
            self._cache[head.idx] = got
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return got

    def pin(self, head: OrderHead) -> Node:
        """The full order, kept for good because it is about to change."""
        if head.full is None:
            head.full = self.order(head)
            self._cache.pop(head.idx, None)
        return head.full

    def head_by_number(self, number: int) -> OrderHead | None:
        idx = number - ORDER_ID_BASE
        if 0 <= idx < len(self.heads) and self.heads[idx].number == number:
            return self.heads[idx]
        return self._by_number.get(number)

    def head_by_name(self, name: str) -> OrderHead | None:
        try:
            idx = int(name.lstrip("#")) - FIRST_ORDER_NUMBER
        except ValueError:
            return None
        if 0 <= idx < len(self.heads) and self.heads[idx].name == f"#{name.lstrip('#')}":
            return self.heads[idx]
        return self._by_name.get(f"#{name.lstrip('#')}")

    def head_for(self, gid: str) -> OrderHead | None:
        """The order owning an Order, FulfillmentOrder, LineItem or F.O. line item gid."""
        if gid in self._extra:
            return self._extra[gid]
        try:
            kind, number = gid.split("/")[-2], int(gid.rsplit("/", 1)[-1])
        except (ValueError, IndexError):
            return None
        if kind == "Order":
            return self.head_by_number(number)
        bases = {
            "FulfillmentOrder": (6_100_000_000, 4),
            "LineItem": (15_000_000_000, 8),
            "FulfillmentOrderLineItem": (16_000_000_000, 8),
        }
        if kind not in bases:
            return None
        base, per = bases[kind]
        idx, rest = divmod(number - base, per)
        if number < base or idx >= len(self.heads) or (kind == "FulfillmentOrder" and rest):
            return None
        return self.heads[idx]

    def register(self, gid: str, head: OrderHead) -> None:
        """Make an object created at run time findable by its gid."""
        self._extra[gid] = head

    def find_in_order(self, gid: str) -> tuple[OrderHead, Node, Node] | None:
        """(head, order, object) for a fulfillment order or line item gid inside an order."""
        head = self.head_for(gid)
        if head is None:
            return None
        order = self.order(head)
        for fo in order["fulfillmentOrders"]:
            if fo["id"] == gid:
                return head, order, fo
            for line in fo["lineItems"]:
                if line["id"] == gid:
                    return head, order, line
        for li in order["lineItems"]:
            if li["id"] == gid:
                return head, order, li
        return None

    def node(self, gid: str) -> Node | None:
        """Catalog object, order, or fulfillment order by gid."""
        got = self.catalog.by_id.get(gid)
        if got is not None:
            return got
        if gid.startswith("gid://shopify/Order/"):
            head = self.head_for(gid)
            return self.order(head) if head else None
        found = self.find_in_order(gid)
        return found[2] if found else None

    # ---------------------------------------------------------------- changes

    def touch(self, head: OrderHead, at: float | None = None) -> Node:
        """Pin the order and move its updatedAt to now (re-indexing it)."""
        order = self.pin(head)
        when = float(int(self.now().timestamp() if at is None else at))
        when = max(when, head.updated)
        pos = bisect.bisect_left(self._by_updated, (head.updated, head.number))
        if pos < len(self._by_updated) and self._by_updated[pos][2] is head:
            del self._by_updated[pos]
        head.updated = when
        bisect.insort(self._by_updated, (when, head.number, head))
        order["updatedAt"] = iso(when)
        head.refresh()
        return order

    @contextmanager
    def action(self) -> Iterator[str]:
        """One merchant action: every change inside shares one event id."""
        outer = self._event
        if outer is None:
            self._event = str(uuid.uuid4())
        try:
            yield str(self._event)
        finally:
            if outer is None:
                self._event = None

    def event_id(self) -> str:
        """The current action's event id (a fresh one outside any action)."""
        return self._event or str(uuid.uuid4())

    def emit(self, topic: str, subject: Any) -> None:
        """Tell listeners (webhooks) that something changed: an order, a level, ..."""
        for listener in self.listeners:
            listener(topic, subject)

    def level_changed(self, level: Node) -> None:
        """An inventory level's quantities changed."""
        self.emit("inventory_levels/update", level)

    def add_head(self, head: OrderHead, order: Node) -> None:
        """Append an order created now (the newest in every sort)."""
        head.full = order
        self.heads.append(head)
        self._by_number[head.number] = head
        self._by_name[head.name] = head
        bisect.insort(self._by_updated, (head.updated, head.number, head))

    # ---------------------------------------------------------------- paging orders

    def orders_page(self, args: dict[str, Any], created_since: float | None = None) -> Node:
        """orders(first, after, last, before, query, sortKey, reverse) as a connection;
        `created_since` hides older orders (a token without read_all_orders)."""
        size = page_size(args.get("first"), args.get("last"))
        terms = parse_query(args.get("query"))
        by_updated = args.get("sortKey") == "UPDATED_AT"
        seq: list[Any] = self._by_updated if by_updated else self.heads
        backwards = bool(args.get("reverse")) != (
            args.get("last") is not None and args.get("first") is None
        )
        lo, hi = self._bounds(seq, by_updated, terms)
        after, before = args.get("after"), args.get("before")
        if args.get("reverse"):
            after, before = before, after
        if after:
            lo = max(lo, self._position(seq, by_updated, decode_cursor(after), after=True))
        if before:
            hi = min(hi, self._position(seq, by_updated, decode_cursor(before), after=False))
        rows: list[tuple[str, Node]] = []
        more = False
        for head in self._walk(seq, by_updated, lo, hi, backwards):
            if not self._matches(head, terms) or (
                created_since is not None and head.created < created_since
            ):
                continue
            if len(rows) == size:
                more = True
                break
            value = head.updated if by_updated else head.created
            rows.append((encode_cursor(int(value), head.number), self.order(head)))
        if args.get("last") is not None and args.get("first") is None:
            rows.reverse()
            return make_connection(rows, bool(before), more)
        return make_connection(rows, more, bool(after))

    def _position(
        self, seq: list[Any], by_updated: bool, cursor: tuple[float, int], *, after: bool
    ) -> int:
        """Index of the first row after (or the first row at-or-after) a cursor's row."""
        value, ident = cursor
        probe = (value, ident + 0.5) if after else (value, ident - 0.5)
        if by_updated:
            return bisect.bisect_left(seq, probe)
        return bisect.bisect_left(seq, probe, key=lambda h: (h.created, h.number))

    def _bounds(self, seq: list[Any], by_updated: bool, terms: list[Term]) -> tuple[int, int]:
        """Narrow [lo, hi) by date terms on the sort column."""
        lo, hi = 0, len(seq)
        column = "updated_at" if by_updated else "created_at"
        for t in terms:
            if t.negate or (
                t.field != column and not (t.field == "processed_at" and not by_updated)
            ):
                continue
            assert isinstance(t.value, float)
            if by_updated:

                def key(item: Any) -> float:
                    return float(item[0])
            else:

                def key(item: Any) -> float:
                    return float(item.created)

            if t.op in (">", ">="):
                fn = bisect.bisect_right if t.op == ">" else bisect.bisect_left
                lo = max(lo, fn(seq, t.value, key=key))
            elif t.op in ("<", "<="):
                fn = bisect.bisect_left if t.op == "<" else bisect.bisect_right
                hi = min(hi, fn(seq, t.value, key=key))
        return lo, hi

    @staticmethod
    def _walk(
        seq: list[Any], by_updated: bool, lo: int, hi: int, backwards: bool
    ) -> Iterator[OrderHead]:
        rng = range(hi - 1, lo - 1, -1) if backwards else range(lo, hi)
        if by_updated:
            for i in rng:
                yield seq[i][2]
        else:
            for i in rng:
                yield seq[i]

    @staticmethod
    def _matches(head: OrderHead, terms: list[Term]) -> bool:
        return all(_holds(head, t) != t.negate for t in terms)


def _holds(head: OrderHead, t: Term) -> bool:
    """Whether one search term (without its negation) is true of an order."""
    f, v = t.field, t.value
    if f in ("updated_at", "created_at", "processed_at"):
        assert isinstance(v, float)
        return compare(int(head.updated if f == "updated_at" else head.created), t.op, v)
    if f == "status":
        return {
            "open": not (head.closed or head.cancelled),
            "closed": head.closed and not head.cancelled,
            "cancelled": head.cancelled,
            "not_closed": not head.closed,
        }.get(str(v), True)
    if f == "fulfillment_status":
        return _fulfillment_matches(head.fstatus, str(v))
    if f == "name":
        return head.name.lstrip("#") == str(v).lstrip("#")
    if f == "id" and str(v).isdigit():
        if t.op == ":":
            return head.number == int(v)
        return compare(head.number, t.op, int(v))
    return True


def _fulfillment_matches(status: str, wanted: str) -> bool:
    if wanted in ("shipped", "fulfilled"):
        return status == "FULFILLED"
    if wanted == "partial":
        return status == "PARTIALLY_FULFILLED"
    if wanted == "unshipped":
        return status == "UNFULFILLED"
    if wanted == "unfulfilled":
        return status in ("UNFULFILLED", "PARTIALLY_FULFILLED")
    return True
