"""Fault injection per endpoint, as ASGI middleware in front of the whole sandbox.

Kinds: `latency_ms` (a wait before the request is even read); `error_rate` (a 503 instead of
the answer); `burst_429` (the next N answers are 429 with Retry-After); `drop_rate` (the
connection is closed with no answer before the handler runs); `commit_then_drop_rate` (the
handler runs, so the purchase or mutation happens, then the connection is closed with no
answer); `late_commit_ms` with `late_commit_rate` (the request is read, then held that long
before it is processed, whether or not the client is still waiting: a client that times out
meanwhile sees nothing, and the purchase is made anyway, to be found by a later list; the
rate is the share of requests held, all of them when it is 0).

Closing "with no answer" needs the raw TCP transport: an exception in an ASGI app makes
uvicorn send a 500, which is not what a lost answer looks like. `AbortingH11Protocol` puts
the transport's `abort` into the request scope, and the middleware calls it; the client sees
the connection reset (httpx: RemoteProtocolError / ReadError).
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ABORT_KEY = "packdesk.abort"

ENDPOINTS = (
    "shopify",
    "shippo.addresses",
    "shippo.parcels",
    "shippo.shipments",
    "shippo.rates",
    "shippo.transactions",
    "shippo.refunds",
    "shippo.tracks",
    "shippo.customs",
    "shippo.carrier_accounts",
    "shippo.labels",
    "sendgrid",
    "amazon",
    "lwa",
)
GROUPS = ("shippo", "*")


_WHOLE = ("latency_ms", "burst_429", "late_commit_ms")


class FaultSpecError(ValueError):
    """A fault spec that cannot be understood; the message names the fix."""


@dataclass
class Fault:
    """What goes wrong at one endpoint; all zero means nothing does."""

    latency_ms: int = 0
    error_rate: float = 0.0
    burst_429: int = 0
    drop_rate: float = 0.0
    commit_then_drop_rate: float = 0.0
    late_commit_ms: int = 0
    late_commit_rate: float = 0.0

    @classmethod
    def from_mapping(cls, name: str, data: MutableMapping[str, Any] | dict[str, Any]) -> Fault:
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in known:
                raise FaultSpecError(
                    f"fault {name!r}: unknown kind {key!r}; use one of {', '.join(known)}"
                )
            try:
                value: int | float = int(raw) if key in _WHOLE else float(raw)
            except (TypeError, ValueError):
                raise FaultSpecError(f"fault {name}.{key}: {raw!r} is not a number") from None
            if value < 0 or (key.endswith("_rate") and value > 1):
                raise FaultSpecError(
                    f"fault {name}.{key}: {raw!r} is out of range (rates are 0..1, others >= 0)"
                )
            values[key] = value
        return cls(**values)


def parse_spec(spec: str) -> dict[str, Fault]:
    """`"shippo.transactions:commit_then_drop_rate=0.3,latency_ms=100;shopify:error_rate=0.1"`."""
    result: dict[str, Fault] = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        name, sep, kinds = part.partition(":")
        if not sep:
            raise FaultSpecError(
                f"fault spec {part!r} has no ':'; write ENDPOINT:kind=value,kind=value"
            )
        pairs: dict[str, Any] = {}
        for item in filter(None, (k.strip() for k in kinds.split(","))):
            key, eq, value = item.partition("=")
            if not eq:
                raise FaultSpecError(f"fault spec {item!r} has no '='; write kind=value")
            pairs[key.strip()] = value.strip()
        result[check_endpoint(name.strip())] = Fault.from_mapping(name, pairs)
    return result


def check_endpoint(name: str) -> str:
    if name not in ENDPOINTS and name not in GROUPS:
        raise FaultSpecError(
            f"unknown fault endpoint {name!r}; use one of {', '.join(ENDPOINTS + GROUPS)}"
        )
    return name


def endpoint_of(path: str) -> str | None:
    """The fault endpoint name a request path belongs to; None for control and unknown paths."""
    if path.startswith("/admin/api/"):
        return "shopify"
    if path.startswith("/sendgrid/"):
        return "sendgrid"
    if path.startswith("/amazon/auth/"):
        return "lwa"  # Login with Amazon is its own service (api.amazon.com)
    if path.startswith("/amazon/"):
        return "amazon"
    if path.startswith("/shippo/"):
        first = path.split("/")[2]
        name = f"shippo.{first}"
        return name if name in ENDPOINTS else "shippo"
    return None


class FaultBoard:
    """The faults in force, changed at run time through the control API; dice are seeded."""

    def __init__(self, seed: int = 7, spec: str = "") -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._faults: dict[str, Fault] = parse_spec(spec)

    def set(self, faults: dict[str, Fault]) -> None:
        with self._lock:
            self._faults.update(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {name: asdict(fault) for name, fault in self._faults.items()}

    def lookup(self, endpoint: str) -> Fault | None:
        """The most specific fault for `endpoint`: its own, then `shippo`, then `*`."""
        with self._lock:
            for name in (endpoint, endpoint.split(".")[0], "*"):
                if name in self._faults:
                    return self._faults[name]
        return None

    def take_429(self, fault: Fault) -> bool:
        with self._lock:
            if fault.burst_429 > 0:
                fault.burst_429 -= 1
                return True
        return False

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate


async def _json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _body(endpoint: str, status: int) -> dict[str, Any]:
    """A 429 or 503 body in the shape the real service uses, so clients parse it as usual."""
    text = (
        "Request was throttled. Expected available in 1 second."
        if status == 429
        else "Service temporarily unavailable (sandbox fault)."
    )
    if endpoint == "shopify":
        return {"errors": text}
    if endpoint == "sendgrid":
        return {"errors": [{"message": text, "field": None, "help": None}]}
    if endpoint == "amazon":
        code = "QuotaExceeded" if status == 429 else "ServiceUnavailable"
        message = (
            "You exceeded your quota for the requested resource."
            if status == 429
            else "Service temporarily unavailable (sandbox fault)."
        )
        return {"errors": [{"code": code, "message": message, "details": ""}]}
    return {"detail": text}


async def _abort(scope: Scope) -> None:
    abort = scope.get("extensions", {}).get(ABORT_KEY)
    if abort is None:
        raise ConnectionAbortedError("sandbox fault: drop the connection (no transport to abort)")
    abort()
    # Let connection_lost run so uvicorn marks the request disconnected and sends nothing.
    for _ in range(3):
        await asyncio.sleep(0)


async def _held(receive: Receive, milliseconds: int) -> Receive:
    """Read the whole request now, wait, then replay it: what the handler gets once it runs.

    uvicorn neither cancels the handler when the client goes away nor sends what it answers
    afterwards, so the handler's work is done and its answer is lost, as with a server that
    finishes a purchase after the client's timeout.
    """
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    await asyncio.sleep(milliseconds / 1000)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        return await receive()

    return replay


class FaultMiddleware:
    """Wraps the sandbox app; must be the outermost layer so it sees uvicorn's own scope."""

    def __init__(self, app: ASGIApp, board: FaultBoard) -> None:
        self.app = app
        self.board = board

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = endpoint_of(scope.get("path", "")) if scope["type"] == "http" else None
        fault = self.board.lookup(endpoint) if endpoint else None
        if fault is None or endpoint is None:
            await self.app(scope, receive, send)
            return
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if self.board.take_429(fault):
            await _json(send, 429, _body(endpoint, 429), [(b"retry-after", b"1")])
            return
        if self.board.roll(fault.drop_rate):
            await _abort(scope)
            return
        if self.board.roll(fault.error_rate):
            await _json(send, 503, _body(endpoint, 503), [])
            return
        if fault.late_commit_ms and self.board.roll(fault.late_commit_rate or 1.0):
            await self.app(scope, await _held(receive, fault.late_commit_ms), send)
            return
        if self.board.roll(fault.commit_then_drop_rate):

            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await _abort(scope)
            return
        await self.app(scope, receive, send)


class AbortingH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with the transport's `abort` in every request's scope."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        inner = self.app

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            extensions = scope.setdefault("extensions", {})
            extensions[ABORT_KEY] = transport.abort
            await inner(scope, receive, send)

        self.app = app
