"""The Shippo sandbox's memory: every object created, by object_id, plus shared helpers.

Objects are kept as the JSON dicts Shippo answers with, so what a client gets back is
exactly what was stored. Object ids and tracking numbers are random (from the operating
system's entropy), so a restarted sandbox never hands out an id or a tracking number that
an earlier run gave to something else, just as Shippo never does.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse

from packdesk.sandbox.clock import iso
from packdesk.sandbox.shippo.tracking import TrackingBoard
from packdesk.sandbox.shippo.validation import validation_messages

OWNER = "sandbox@packdesk.invalid"
ADDRESS_FIELDS = (
    "name",
    "company",
    "street1",
    "street2",
    "street3",
    "street_no",
    "city",
    "state",
    "zip",
    "country",
    "phone",
    "email",
    "is_residential",
    "metadata",
)


class ShippoState:
    """All Shippo objects of this sandbox run."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.rng = random.Random()  # seeded from os.urandom: differs on every start
        self.now = now
        self.addresses: dict[str, dict[str, Any]] = {}
        self.parcels: dict[str, dict[str, Any]] = {}
        self.customs_items: dict[str, dict[str, Any]] = {}
        self.customs_declarations: dict[str, dict[str, Any]] = {}
        self.shipments: dict[str, dict[str, Any]] = {}
        self.rates: dict[str, dict[str, Any]] = {}
        self.transactions: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, tuple[bytes, str]] = {}
        self.tracking = TrackingBoard(now)

    def new_id(self) -> str:
        return uuid.uuid4().hex

    def stamp(self) -> dict[str, Any]:
        """The fields every Shippo object starts with."""
        moment = iso(self.now())
        return {
            "object_id": self.new_id(),
            "object_created": moment,
            "object_updated": moment,
            "object_owner": OWNER,
            "test": True,
        }


def not_found(kind: str = "object") -> JSONResponse:
    return JSONResponse({"detail": f"Not found. No {kind} with this object_id."}, status_code=404)


def bad_request(errors: dict[str, Any]) -> JSONResponse:
    """Shippo's 400: field name -> list of messages."""
    return JSONResponse(errors, status_code=400)


async def json_body(request: Request) -> dict[str, Any] | JSONResponse:
    try:
        body = await request.json()
    except ValueError:
        return bad_request({"detail": ["JSON parse error - the request body is not valid JSON."]})
    if not isinstance(body, dict):
        return bad_request({"detail": ["Expected a JSON object."]})
    return body


def page_of(
    request: Request, items: list[dict[str, Any]], path: str, default_results: int = 25
) -> dict[str, Any] | None:
    """`{next, previous, results}` for `?page=&results=` (at most 100 a page); next/previous
    are full URLs or null. None when the page asked for lies past the last one."""
    try:
        page = max(1, int(request.query_params.get("page", "1")))
        size = min(100, max(1, int(request.query_params.get("results", str(default_results)))))
    except ValueError:
        page, size = 1, default_results
    start = (page - 1) * size
    if page > 1 and start >= len(items):
        return None
    chunk = items[start : start + size]
    others = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "results")]

    def link(number: int) -> str:
        query = urlencode([("page", str(number)), ("results", str(size)), *others])
        return f"{str(request.base_url).rstrip('/')}{path}?{query}"

    return {
        "next": link(page + 1) if start + size < len(items) else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": chunk,
    }


def listing(
    request: Request, items: list[dict[str, Any]], path: str, *, cleaned: bool = True
) -> JSONResponse:
    """A list answer (`results` cleaned of nulls unless told not to), or Shippo's 404 for a
    page past the last."""
    page = page_of(request, items, path)
    if page is None:
        return JSONResponse({"detail": "Invalid page."}, status_code=404)
    if cleaned:
        page["results"] = clean(page["results"])
    return JSONResponse(page)


def make_address(state: ShippoState, data: dict[str, Any], *, validate: bool) -> dict[str, Any]:
    address: dict[str, Any] = state.stamp()
    for field in ADDRESS_FIELDS:
        value = data.get(field)
        if value is not None:
            address[field] = value
    address.setdefault("is_residential", not data.get("company"))
    address["country"] = str(address.get("country", "")).upper()
    complete = all(address.get(k) for k in ("name", "street1", "city", "zip", "country"))
    address["is_complete"] = complete
    if validate:
        problems = validation_messages(address)
        address["validation_results"] = {"is_valid": not problems, "messages": problems}
        if problems:
            address["is_complete"] = False
    else:
        address["validation_results"] = {}
    state.addresses[address["object_id"]] = address
    return address


def clean(value: Any) -> Any:
    """Drop None values inside objects: Shippo's schema has few nullable fields."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def short_address(address: dict[str, Any]) -> list[str]:
    """Lines for a label."""
    lines = [str(address.get("name") or "")]
    if address.get("company"):
        lines.append(str(address["company"]))
    lines.append(str(address.get("street1") or ""))
    if address.get("street2"):
        lines.append(str(address["street2"]))
    lines.append(
        f"{address.get('city', '')} {address.get('state', '')} {address.get('zip', '')} "
        f"{address.get('country', '')}".strip()
    )
    return [line for line in lines if line]
