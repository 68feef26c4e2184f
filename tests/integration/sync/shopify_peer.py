"""A tiny GraphQL server on loopback for the client's tests: a leaky bucket and scripted
failures (the sandbox covers the real schema; this covers the edges precisely)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from packdesk.adapters.shopify.server import ReceiverServer


@dataclass
class Peer:
    bucket_size: float = 100.0
    restore_rate: float = 50.0
    cost: float = 30.0
    script: list[Response] = field(default_factory=list)
    """Answers to give first, one per request (then normal answers)."""
    available: float = 100.0
    """Points in the bucket at the first request; it refills from then on."""
    at: float | None = None
    throttled: int = 0
    requests: int = 0
    tokens: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _cost_ext(self) -> dict[str, object]:
        return {
            "cost": {
                "requestedQueryCost": self.cost,
                "actualQueryCost": self.cost,
                "throttleStatus": {
                    "maximumAvailable": self.bucket_size,
                    "currentlyAvailable": self.available,
                    "restoreRate": self.restore_rate,
                },
            }
        }

    async def graphql(self, request: Request) -> Response:
        await request.json()
        with self.lock:
            self.requests += 1
            self.tokens.append(request.headers.get("x-shopify-access-token", ""))
            if self.script:
                return self.script.pop(0)
            now = time.monotonic()
            since = 0.0 if self.at is None else now - self.at
            self.available = min(self.bucket_size, self.available + since * self.restore_rate)
            self.at = now
            if self.available < self.cost:
                self.throttled += 1
                return JSONResponse(
                    {
                        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                        "extensions": {
                            **self._cost_ext(),
                            "cost": {**self._cost_ext()["cost"], "actualQueryCost": None},  # type: ignore[dict-item]
                        },
                    }
                )
            self.available -= self.cost
            return JSONResponse(
                {"data": {"shop": {"name": "Peer"}}, "extensions": self._cost_ext()}
            )


@contextmanager
def serve_peer(peer: Peer) -> Iterator[str]:
    app = Starlette(
        routes=[Route("/admin/api/2025-10/graphql.json", peer.graphql, methods=["POST"])]
    )
    server = ReceiverServer(app, "127.0.0.1", 0)
    base = server.start()
    try:
        yield base + "/admin/api/2025-10/graphql.json"
    finally:
        server.stop()
