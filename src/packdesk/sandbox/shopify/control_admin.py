"""Control routes for the shop's settings, mounted with the rest at /control/shopify.

- `POST /tokens {"scopes": [...]}` → 201 `{"access_token", "scopes"}`: a token with just
  these scopes (plus the reads their writes imply);
- `GET /api_versions`, `PUT /api_versions {"date": "2027-01-15"}` (or `null` to follow the
  sandbox's clock): which versions the shop answers with, as on that day;
- `GET|PUT /processing {"mutation_ms": N}`: mutations take N ms to process after they are
  accepted, holding their idempotency keys meanwhile;
- `GET /bulk` (every bulk operation), `GET|PUT|DELETE /bulk/faults {"error_code":
  "TIMEOUT", "after_objects": 10, "object_delay_ms": 5}`, `POST /bulk/{id}/expire`;
- `POST /inventory {"sku", "location": "CA", "available": N}`: the merchant sets stock in
  the admin (inventory_levels/update follows).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.clock import iso
from packdesk.sandbox.shopify import versions
from packdesk.sandbox.shopify.access import ScopeError
from packdesk.sandbox.shopify.order_heads import iso as stamp

if TYPE_CHECKING:
    from packdesk.sandbox.shopify import ShopifySandbox

Handler = Callable[[Request], Awaitable[Response]]


async def body_of(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("Send a JSON object as the body.")
    return data


def guard(handler: Handler) -> Handler:
    """Bad input becomes a 400 with the sentence that says what to send."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except (ValueError, TypeError, KeyError) as exc:
            text = str(exc) if isinstance(exc, ValueError) else f"Bad request body: {exc}"
            return JSONResponse({"error": text}, status_code=400)
        except LookupError as exc:
            return JSONResponse({"error": f"Nothing here is called {exc}."}, status_code=404)

    return run


def admin_routes(sandbox: ShopifySandbox) -> list[BaseRoute]:
    async def make_token(request: Request) -> Response:
        body = await body_of(request)
        scopes = body.get("scopes")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise ValueError('Send {"scopes": ["read_orders", ...]}.')
        try:
            token, granted = sandbox.tokens.make(scopes)
        except ScopeError as exc:
            raise ValueError(str(exc)) from exc
        return JSONResponse({"access_token": token, "scopes": sorted(granted)}, status_code=201)

    async def get_versions(request: Request) -> Response:
        at = sandbox.api_now()
        return JSONResponse(
            {
                "date": iso(sandbox.api_date) if sandbox.api_date else None,
                "supported": [v.handle for v in versions.supported(at)],
                "oldest_supported": versions.oldest_supported(at),
                "newest_stable": versions.newest_stable(at),
                "release_candidate": versions.release_candidate(at),
            }
        )

    async def put_versions(request: Request) -> Response:
        body = await body_of(request)
        if "date" not in body:
            raise ValueError('Send {"date": "2027-01-15"} or {"date": null}.')
        raw = body["date"]
        if raw is None:
            sandbox.api_date = None
        else:
            moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
            sandbox.api_date = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return await get_versions(request)

    async def get_processing(request: Request) -> Response:
        return JSONResponse({"mutation_ms": sandbox.graphql.mutation_delay_ms})

    async def put_processing(request: Request) -> Response:
        body = await body_of(request)
        value = int(body.get("mutation_ms", 0))
        if value < 0:
            raise ValueError("mutation_ms must be 0 or more.")
        sandbox.graphql.mutation_delay_ms = value
        return await get_processing(request)

    async def bulk_list(request: Request) -> Response:
        return JSONResponse(sandbox.bulk.listing())

    async def bulk_faults(request: Request) -> Response:
        if request.method == "PUT":
            return JSONResponse(sandbox.bulk.set_faults(await body_of(request)))
        if request.method == "DELETE":
            sandbox.bulk.set_faults({})
            return Response(status_code=204)
        return JSONResponse(asdict(sandbox.bulk.faults))

    async def bulk_expire(request: Request) -> Response:
        return JSONResponse(sandbox.bulk.expire(request.path_params["id"]))

    async def set_stock(request: Request) -> Response:
        body = await body_of(request)
        state = sandbox.state
        variant = state.catalog.by_sku.get(str(body.get("sku")))
        location = state.catalog.locations.get(str(body.get("location", "CA")))
        if variant is None or location is None or not isinstance(body.get("available"), int):
            raise ValueError('Send {"sku": "BM-ABC-01", "location": "CA", "available": 12}.')
        with state.lock, state.action():
            level = state.catalog.level(variant["inventoryItem"], location["id"])
            if level is None:
                raise ValueError(f"{variant['sku']} is not stocked at {location['name']}.")
            delta = body["available"] - level["_q"]["available"]
            level["_q"]["available"] += delta
            level["_q"]["on_hand"] += delta
            level["updatedAt"] = stamp(state.now().timestamp())
            variant["inventoryQuantity"] += delta
            state.level_changed(level)
            return JSONResponse(
                {"sku": variant["sku"], "location": location["name"], **level["_q"]}
            )

    return [
        Route("/tokens", guard(make_token), methods=["POST"]),
        Route("/api_versions", guard(get_versions), methods=["GET"]),
        Route("/api_versions", guard(put_versions), methods=["PUT"]),
        Route("/processing", guard(get_processing), methods=["GET"]),
        Route("/processing", guard(put_processing), methods=["PUT"]),
        Route("/bulk", guard(bulk_list), methods=["GET"]),
        Route("/bulk/faults", guard(bulk_faults), methods=["GET", "PUT", "DELETE"]),
        Route("/bulk/{id}/expire", guard(bulk_expire), methods=["POST"]),
        Route("/inventory", guard(set_stock), methods=["POST"]),
    ]
