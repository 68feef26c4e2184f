"""Cursor paging in Shopify's style: opaque cursors, first/after, last/before, at most 250.

Cursors are base64 JSON of the last row's sort value and id, as Shopify's are. Small lists
held in memory (line items, fulfillment orders and their lines, locations, products) are
paged by position; the orders index pages by its sort column (store.py).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from packdesk.sandbox.shopify.catalog import Node

MAX_PAGE = 250


class PageError(Exception):
    """A connection argument Shopify refuses (no first/last, page too large, bad cursor)."""


def encode_cursor(value: float | int, ident: int) -> str:
    """Opaque cursor in Shopify's style: base64 JSON of the last row's sort value and id."""
    raw = json.dumps({"last_id": ident, "last_value": value}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[float, int]:
    try:
        data = json.loads(base64.b64decode(cursor.encode()))
        return float(data["last_value"]), int(data["last_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PageError(f"Invalid cursor for current pagination sort: {cursor!r}.") from exc


_POSITION_CURSORS = [encode_cursor(i, i) for i in range(256)]


def position_cursor(i: int) -> str:
    """Cursor of the i-th row of a small in-memory list."""
    return _POSITION_CURSORS[i] if i < 256 else encode_cursor(i, i)


def page_size(first: int | None, last: int | None) -> int:
    """The page size asked for, checked as Shopify checks it."""
    if first is None and last is None:
        raise PageError("you must provide one of first or last")
    size = first if first is not None else last
    assert size is not None
    if size > MAX_PAGE:
        raise PageError(f"The page size of {size} exceeds the maximum of {MAX_PAGE} allowed.")
    if size < 0:
        raise PageError("The page size must be zero or more.")
    return size


def list_connection(nodes: list[Node], args: dict[str, Any]) -> Node:
    """A connection over a small in-memory list, cursors are positions."""
    size = page_size(args.get("first"), args.get("last"))
    seq = list(reversed(nodes)) if args.get("reverse") else nodes
    start, end = 0, len(seq)
    if args.get("after"):
        start = int(decode_cursor(args["after"])[1]) + 1
    if args.get("before"):
        end = int(decode_cursor(args["before"])[1])
    window = list(enumerate(seq))[start:end]
    if args.get("last") is not None and args.get("first") is None:
        picked = window[-size:] if size else []
        more_after, more_before = end < len(seq), len(window) > size
    else:
        picked = window[:size]
        more_after, more_before = len(window) > size, start > 0
    return make_connection([(position_cursor(i), n) for i, n in picked], more_after, more_before)


def make_connection(rows: list[tuple[str, Node]], has_next: bool, has_prev: bool) -> Node:
    """{edges, nodes, pageInfo} for (cursor, node) rows."""
    return {
        "edges": [{"cursor": c, "node": n} for c, n in rows],
        "nodes": [n for _, n in rows],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_prev,
            "startCursor": rows[0][0] if rows else None,
            "endCursor": rows[-1][0] if rows else None,
        },
    }
