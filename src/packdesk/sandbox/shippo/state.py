"""The Shippo sandbox's memory: every object created, by object_id, plus shared helpers.

Objects are kept as the JSON dicts Shippo answers with, so what a client gets back is
exactly what was stored. Ids come from a seeded RNG, so a run with the same seed and the
same calls produces the same ids and tracking numbers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from packdesk.sandbox.clock import iso

OWNER = "sandbox@packdesk.invalid"
US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
CA_POSTAL = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")
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

    def __init__(self, seed: int, now: Callable[[], datetime]) -> None:
        self.rng = random.Random(seed * 7919 + 13)
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
        # transaction id -> (purchase time, estimated days, carrier) for tracking.
        self.purchases: dict[str, tuple[datetime, int]] = {}

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

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
) -> dict[str, Any]:
    """`{next, previous, results}` for `?page=&results=`; next/previous are full URLs or null."""
    try:
        page = max(1, int(request.query_params.get("page", "1")))
        size = min(100, max(1, int(request.query_params.get("results", str(default_results)))))
    except ValueError:
        page, size = 1, default_results
    start = (page - 1) * size
    chunk = items[start : start + size]
    others = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "results")]
    extra = "".join(f"&{k}={v}" for k, v in others)

    def link(number: int) -> str:
        return f"{str(request.base_url).rstrip('/')}{path}?page={number}&results={size}{extra}"

    return {
        "next": link(page + 1) if start + size < len(items) else None,
        "previous": link(page - 1) if page > 1 and items else None,
        "results": chunk,
    }


def listing(request: Request, items: list[dict[str, Any]], path: str) -> JSONResponse:
    """A list answer: `results` cleaned of nulls, `next`/`previous` null when there is none."""
    page = page_of(request, items, path)
    page["results"] = clean(page["results"])
    return JSONResponse(page)


def validation_messages(address: dict[str, Any]) -> list[dict[str, str]]:
    """What Shippo's validator would say about an address; empty means valid."""
    messages = []
    country = str(address.get("country") or "").upper()
    postal = str(address.get("zip") or "").strip()

    def say(code: str, text: str) -> None:
        messages.append(
            {
                "source": "Shippo Address Validator",
                "code": code,
                "type": "address_error",
                "text": text,
            }
        )

    if country == "US" and not US_ZIP.match(postal):
        say("Invalid Postal Code", f"The postal code '{postal}' is not a valid US ZIP code.")
    if country == "CA" and not CA_POSTAL.match(postal):
        say(
            "Invalid Postal Code",
            f"The postal code '{postal}' is not a valid Canadian postal code.",
        )
    street = str(address.get("street1") or "")
    if not any(ch.isdigit() for ch in street):
        say(
            "Address Not Found",
            "The address as submitted could not be found. Please check for excess "
            "abbreviations in the street address and verify the house number.",
        )
    if not str(address.get("city") or "").strip():
        say("Invalid City", "The city is missing. Please add the city.")
    return messages


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


def clean_object(value: dict[str, Any]) -> dict[str, Any]:
    """`clean` for one object, typed as one."""
    return {k: clean(v) for k, v in value.items() if v is not None}


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
