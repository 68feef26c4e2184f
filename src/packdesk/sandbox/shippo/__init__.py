"""Shippo's REST API (2024-06) under `/shippo`, faithful enough for the real `shippo` SDK.

`ShippoSandbox` owns the state, the routes and the gate in front of them: `ShippoToken`
auth (401 otherwise) and Shippo's per-minute rate limits with 429 (off unless set; Shippo's
test mode allows POST 50/min, list GET 10/min, single GET 400/min). The gate also counts the
API versions requests name in `SHIPPO-API-VERSION` ("" for none: the account's default), for
the control API. Tracking answers as a
live account by default, or as a test token really does once `tracking.test_mode` is set
(tracking.py).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.routing import BaseRoute

from packdesk.sandbox.faults import ASGIApp, Receive, Scope, Send
from packdesk.sandbox.shippo.accounts import account_routes
from packdesk.sandbox.shippo.objects import object_routes
from packdesk.sandbox.shippo.purchase import public, purchase_routes
from packdesk.sandbox.shippo.state import ShippoState

TEST_MODE_LIMITS = {"post": 50, "list": 10, "get": 400}
LIST_PATHS = {
    "/shippo/addresses",
    "/shippo/parcels",
    "/shippo/shipments",
    "/shippo/transactions",
    "/shippo/refunds",
    "/shippo/customs/declarations",
    "/shippo/carrier_accounts",
}


class RateLimits:
    """Calls per kind in the last 60 seconds (a sliding window); a limit of None is unlimited."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.limits: dict[str, int | None] = {"post": None, "list": None, "get": None}
        self._calls: dict[str, deque[float]] = {kind: deque() for kind in self.limits}

    def set(self, limits: dict[str, int | None]) -> None:
        with self._lock:
            for kind, value in limits.items():
                if kind not in self.limits:
                    raise ValueError(f"unknown rate limit {kind!r}; use post, list or get")
                self.limits[kind] = None if value is None else int(value)
            for calls in self._calls.values():
                calls.clear()

    def take(self, kind: str) -> int:
        """0 if the call may go ahead, else the whole seconds until it may."""
        now = time.monotonic()
        with self._lock:
            limit = self.limits.get(kind)
            if limit is None:
                return 0
            calls = self._calls[kind]
            while calls and calls[0] <= now - 60:
                calls.popleft()
            if len(calls) >= limit:
                return max(1, math.ceil(calls[0] + 60 - now))
            calls.append(now)
            return 0


def call_kind(method: str, path: str) -> str:
    if method != "GET":
        return "post"
    return "list" if path.rstrip("/") in LIST_PATHS else "get"


async def _answer(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


class ShippoSandbox:
    """The Shippo part of the sandbox: state, routes, auth and rate limits."""

    def __init__(self, *, token: str, now: Callable[[], datetime]) -> None:
        self.token = token
        self.state = ShippoState(now)
        self.rate_limits = RateLimits()
        self.api_versions: Counter[str] = Counter()

    def routes(self) -> list[BaseRoute]:
        return [*object_routes(self.state), *account_routes(), *purchase_routes(self.state)]

    def transactions_for_control(self) -> list[dict[str, Any]]:
        """Every transaction ever created, oldest first, with refund state, for exactly-once checks."""
        result = []
        for transaction in self.state.transactions.values():
            shown = public(self.state, transaction)
            refund_id = transaction.get("_refund")
            shown["refund"] = self.state.refunds.get(refund_id) if refund_id else None
            shown["shipment"] = transaction["_shipment"]
            result.append(shown)
        return result

    def gate(self, app: ASGIApp) -> ASGIApp:
        """ASGI wrapper: auth and rate limits for /shippo paths (label files are public)."""

        async def gated(scope: Scope, receive: Receive, send: Send) -> None:
            path = str(scope.get("path", ""))
            if (
                scope["type"] != "http"
                or not path.startswith("/shippo/")
                or path.startswith("/shippo/labels/")
            ):
                await app(scope, receive, send)
                return
            headers = dict(scope.get("headers") or [])
            self.api_versions[headers.get(b"shippo-api-version", b"").decode("latin-1")] += 1
            auth = headers.get(b"authorization", b"").decode("latin-1")
            if auth != f"ShippoToken {self.token}":
                await _answer(send, 401, {"detail": "Invalid token."}, [])
                return
            wait = self.rate_limits.take(call_kind(str(scope.get("method")), path))
            if wait:
                await _answer(
                    send,
                    429,
                    {"detail": f"Request was throttled. Expected available in {wait} seconds."},
                    [(b"retry-after", str(wait).encode())],
                )
                return
            await app(scope, receive, send)

        return gated
