"""Control routes for the sandbox Shopify (mounted at /control/shopify by the server).

Tests and `packdesk demo` use them to play the world: place, edit, cancel, move or fulfil
orders elsewhere, register webhook receivers and read deliveries, tune the cost bucket, and
find the demo's named problem orders. The shop's settings (tokens, API calendar, bulk
faults, stock) are in control_admin.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.shopify import fulfillment, order_changes, rest
from packdesk.sandbox.shopify.control_admin import admin_routes, body_of, guard
from packdesk.sandbox.shopify.order_heads import SPECIALS, OrderHead
from packdesk.sandbox.shopify.store import ShopState

if TYPE_CHECKING:
    from packdesk.sandbox.shopify import ShopifySandbox

Handler = Callable[[Request], Awaitable[Response]]


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


_body = body_of


class ShopifyControl:
    """Starlette handlers over the shop state, webhook sender and bucket."""

    def __init__(self, sandbox: ShopifySandbox) -> None:
        self.sandbox = sandbox
        self.state = sandbox.state
        self.webhooks = sandbox.webhooks
        self.bucket = sandbox.bucket
        self.endpoint = sandbox.graphql

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/orders", self._guard(self.create_order), methods=["POST"]),
            Route("/orders", self._guard(self.list_orders), methods=["GET"]),
            Route("/orders/{id}", self._guard(self.get_order), methods=["GET"]),
            Route("/orders/{id}/cancel", self._guard(self.cancel_order), methods=["POST"]),
            Route("/orders/{id}/edit", self._guard(self.edit_order), methods=["POST"]),
            Route("/orders/{id}/move", self._guard(self.move_order), methods=["POST"]),
            Route("/orders/{id}/fulfill", self._guard(self.fulfill_order), methods=["POST"]),
            Route("/webhooks", self._guard(self.subscribe), methods=["POST"]),
            Route("/webhooks", self._guard(self.deliveries), methods=["GET"]),
            Route("/webhooks", self._guard(self.clear_deliveries), methods=["DELETE"]),
            Route("/throttle", self._guard(self.throttle), methods=["PUT"]),
            Route("/throttle", self._guard(self.throttle_status), methods=["GET"]),
            Route("/stats", self._guard(self.stats), methods=["GET"]),
            Route("/demo", self._guard(self.demo), methods=["GET"]),
            *admin_routes(self.sandbox),
        ]

    _guard = staticmethod(guard)

    def _head(self, request: Request) -> OrderHead:
        """The order named in the path: numeric id, gid number, or order number (1001/#1001)."""
        raw = request.path_params["id"].lstrip("#")
        head = None
        if raw.isdigit():
            head = self.state.head_by_name(raw) or self.state.head_by_number(int(raw))
        if head is None:
            raise LookupError(raw)
        return head

    async def _with_order(
        self, request: Request, change: Callable[[OrderHead, dict[str, Any]], Any]
    ) -> Response:
        body = await _body(request)
        with self.state.lock, self.state.action():
            try:
                head = self._head(request)
            except LookupError:
                return _problem(
                    404,
                    f"No order {request.path_params['id']}; use its numeric "
                    "id or its order number like 1001.",
                )
            change(head, body)
            return JSONResponse(rest.order_with_fulfillment_orders(self.state.order(head)))

    async def create_order(self, request: Request) -> Response:
        body = await _body(request)
        with self.state.lock, self.state.action():
            head = order_changes.create_order(self.state, body)
            return JSONResponse(
                rest.order_with_fulfillment_orders(self.state.order(head)), status_code=201
            )

    async def list_orders(self, request: Request) -> Response:
        """Every order, oldest first, a page at a time: `?page=1&limit=250` →
        `{"orders": [...], "next_page": 2 or null}` (each as GET /orders/{id} answers)."""
        page = int(request.query_params.get("page", "1"))
        limit = int(request.query_params.get("limit", "250"))
        if page < 1 or not 1 <= limit <= 1000:
            raise ValueError("Send ?page=1&limit=250 (page from 1, limit 1 to 1000).")
        with self.state.lock:
            heads = self.state.heads[(page - 1) * limit : page * limit]
            orders = [rest.order_with_fulfillment_orders(self.state.order(h)) for h in heads]
            more = page * limit < len(self.state.heads)
        return JSONResponse({"orders": orders, "next_page": page + 1 if more else None})

    async def get_order(self, request: Request) -> Response:
        return await self._with_order(request, lambda head, body: None)

    async def cancel_order(self, request: Request) -> Response:
        return await self._with_order(
            request,
            lambda head, body: order_changes.cancel_order(
                self.state, head, str(body.get("reason", "CUSTOMER"))
            ),
        )

    async def edit_order(self, request: Request) -> Response:
        return await self._with_order(
            request, lambda head, body: order_changes.edit_order(self.state, head, body)
        )

    def _open_fos(self, head: OrderHead) -> list[dict[str, Any]]:
        return [
            fo
            for fo in self.state.order(head)["fulfillmentOrders"]
            if fo["status"] in ("OPEN", "IN_PROGRESS")
        ]

    async def move_order(self, request: Request) -> Response:
        def change(head: OrderHead, body: dict[str, Any]) -> None:
            key = str(body.get("location", ""))
            location = self.state.catalog.locations.get(key)
            if location is None:
                raise ValueError(f'Unknown location {key!r}; send {{"location": "PA"}} or "CA".')
            fos = self._open_fos(head)
            if not fos:
                raise ValueError("The order has no open fulfillment order to move.")
            for fo in fos:
                if fo["assignedLocation"]["location"]["id"] == location["id"]:
                    continue
                _, errors = fulfillment.move(self.state, fo["id"], location["id"], None)
                if errors:
                    raise ValueError(errors[0]["message"])

        return await self._with_order(request, change)

    async def fulfill_order(self, request: Request) -> Response:
        def change(head: OrderHead, body: dict[str, Any]) -> None:
            fos = self._open_fos(head)
            if not fos:
                raise ValueError("The order has nothing left to fulfil.")
            tracking = {
                "company": body.get("company", "UPS"),
                "number": body.get("tracking_number", f"1Z999AA1{head.number}"),
            }
            items = body.get("items")
            groups = (
                _part_of(fos, items)
                if items is not None
                else [{"fulfillmentOrderId": fo["id"]} for fo in fos]
            )
            _, errors = fulfillment.fulfill(
                self.state,
                {
                    "lineItemsByFulfillmentOrder": groups,
                    "trackingInfo": tracking,
                    "notifyCustomer": False,
                },
            )
            if errors:
                raise ValueError(errors[0]["message"])

        return await self._with_order(request, change)

    async def subscribe(self, request: Request) -> Response:
        body = await _body(request)
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError('Send {"url": "http://host:port/path", "topics": [...]}.')
        topics = self.webhooks.subscribe(url, body.get("topics"))
        return JSONResponse({"url": url, "topics": topics}, status_code=201)

    async def deliveries(self, request: Request) -> Response:
        return JSONResponse(self.webhooks.records())

    async def clear_deliveries(self, request: Request) -> Response:
        self.webhooks.clear()
        return Response(status_code=204)

    async def throttle(self, request: Request) -> Response:
        body = await _body(request)
        self.bucket.configure(
            size=body.get("bucket_size"), rate=body.get("restore_rate"), enabled=body.get("enabled")
        )
        return await self.throttle_status(request)

    async def throttle_status(self, request: Request) -> Response:
        return JSONResponse({"enabled": self.bucket.enabled, **self.bucket.status()})

    async def stats(self, request: Request) -> Response:
        s = self.endpoint.stats
        return JSONResponse(
            {
                "requests": s.requests,
                "throttled": s.throttled,
                "unauthorized": s.unauthorized,
                "max_cost_exceeded": s.max_cost_exceeded,
                "mutations": s.mutations,
                "fast_path": s.fast_path,
                "fallbacks": s.fallbacks,
                "webhooks_delivered": sum(
                    1 for d in self.webhooks.deliveries if d.status == "delivered"
                ),
            }
        )

    async def demo(self, request: Request) -> Response:
        return JSONResponse(demo_facts(self.state))


def _part_of(fos: list[dict[str, Any]], items: Any) -> list[dict[str, Any]]:
    """`lineItemsByFulfillmentOrder` for part of an order: `items` is
    `[{"sku": "BM-HND-01", "quantity": 1}, ...]`, taken from the open fulfillment orders'
    lines in order."""
    if not isinstance(items, list) or not items:
        raise ValueError('Send {"items": [{"sku": "BM-HND-01", "quantity": 1}]} to fulfil part.')
    wanted: dict[str, dict[str, int]] = {}
    for item in items:
        sku, quantity = str(item.get("sku", "")), int(item.get("quantity", 1))
        left = quantity
        for fo in fos:
            lines = wanted.setdefault(fo["id"], {})
            for line in fo["lineItems"]:
                if line["lineItem"]["sku"] != sku:
                    continue
                take = min(left, line["remainingQuantity"] - lines.get(line["id"], 0))
                if take > 0:
                    lines[line["id"]] = lines.get(line["id"], 0) + take
                    left -= take
        if left > 0:
            raise ValueError(f"The order has fewer than {quantity} × {sku} left to fulfil.")
    return [
        {
            "fulfillmentOrderId": fo_id,
            "fulfillmentOrderLineItems": [{"id": k, "quantity": q} for k, q in lines.items()],
        }
        for fo_id, lines in wanted.items()
        if lines
    ]


def demo_facts(state: ShopState) -> dict[str, Any]:
    """The named problem orders and the catalog's SKUs/barcodes, for tests and the demo."""
    specials: dict[str, Any] = dict.fromkeys(SPECIALS)
    specials.update(state.specials)
    return {
        **specials,
        "locations": {k: v["id"] for k, v in state.catalog.locations.items()},
        "skus": {v["sku"]: v["barcode"] for v in state.catalog.variants},
    }
