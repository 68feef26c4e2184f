"""The control API under `/control`: what tests and the demo use to steer the sandbox.

Mail received, SendGrid API keys with chosen scopes, sandbox time, faults per endpoint, Shippo's transactions, the API versions
Shippo requests named, rate limits and tracking (test mode on or off; move one label's parcel on now). `/control/shopify/...`
belongs to the Shopify sandbox and is mounted by the server.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.clock import SandboxClock, iso
from packdesk.sandbox.faults import Fault, FaultBoard, FaultSpecError, check_endpoint
from packdesk.sandbox.mail import MailBox, SendGridKeys
from packdesk.sandbox.shippo import TEST_MODE_LIMITS, ShippoSandbox
from packdesk.sandbox.shippo.tracking import TrackingError


def _problem(text: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status)


async def _body(request: Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def control_routes(
    *,
    clock: SandboxClock,
    faults: FaultBoard,
    mailbox: MailBox,
    shippo: ShippoSandbox,
    sendgrid_keys: SendGridKeys,
) -> list[BaseRoute]:
    async def index(request: Request) -> Response:
        return JSONResponse({"ok": True, "now": iso(clock.now())})

    async def get_mail(request: Request) -> Response:
        return JSONResponse(mailbox.all())

    async def clear_mail(request: Request) -> Response:
        mailbox.clear()
        return Response(status_code=204)

    async def make_sendgrid_key(request: Request) -> Response:
        body = await _body(request)
        scopes = body.get("scopes") if body is not None else None
        if not isinstance(scopes, list) or not all(isinstance(x, str) for x in scopes):
            return _problem('Send {"scopes": ["mail.send", ...]}.')
        key = sendgrid_keys.make(scopes)
        return JSONResponse({"api_key": key, "scopes": sorted(set(scopes))}, status_code=201)

    async def get_time(request: Request) -> Response:
        return JSONResponse({"now": iso(clock.now())})

    async def advance_time(request: Request) -> Response:
        body = await _body(request)
        if body is None or not set(body) <= {"days", "hours", "minutes", "seconds"} or not body:
            return _problem('Send {"days": N} or {"seconds": N} (also hours, minutes).')
        try:
            delta = timedelta(**{k: float(v) for k, v in body.items()})
            clock.advance(delta)
        except (TypeError, ValueError) as exc:
            return _problem(f"Cannot advance time: {exc}.")
        return JSONResponse({"now": iso(clock.now())})

    async def get_faults(request: Request) -> Response:
        return JSONResponse(faults.snapshot())

    async def put_faults(request: Request) -> Response:
        body = await _body(request)
        if body is None:
            return _problem('Send {"endpoint": {"error_rate": 0.5, ...}, ...}.')
        try:
            parsed = {
                check_endpoint(name): Fault.from_mapping(
                    name, kinds if isinstance(kinds, dict) else {}
                )
                for name, kinds in body.items()
            }
        except FaultSpecError as exc:
            return _problem(str(exc))
        faults.set(parsed)
        return JSONResponse(faults.snapshot())

    async def clear_faults(request: Request) -> Response:
        faults.clear()
        return Response(status_code=204)

    async def shippo_transactions(request: Request) -> Response:
        return JSONResponse(shippo.transactions_for_control())

    async def get_limits(request: Request) -> Response:
        return JSONResponse(shippo.rate_limits.limits)

    async def put_limits(request: Request) -> Response:
        body = await _body(request)
        if body is None:
            return _problem('Send {"post": 50, "list": 10, "get": 400} or {"test_mode": true}.')
        if body.pop("test_mode", False):
            body = {**TEST_MODE_LIMITS, **body}
        try:
            shippo.rate_limits.set(body)
        except (TypeError, ValueError) as exc:
            return _problem(str(exc))
        return JSONResponse(shippo.rate_limits.limits)

    async def clear_limits(request: Request) -> Response:
        shippo.rate_limits.set({"post": None, "list": None, "get": None})
        return Response(status_code=204)

    async def api_versions(request: Request) -> Response:
        return JSONResponse(dict(shippo.api_versions))

    async def get_tracking(request: Request) -> Response:
        return JSONResponse({"test_mode": shippo.state.tracking.test_mode})

    async def put_tracking(request: Request) -> Response:
        body = await _body(request)
        if body is None or not isinstance(body.get("test_mode"), bool):
            return _problem('Send {"test_mode": true} or {"test_mode": false}.')
        shippo.state.tracking.test_mode = body["test_mode"]
        return await get_tracking(request)

    async def move_parcel(request: Request) -> Response:
        raw = await request.body()
        body = await _body(request) if raw.strip() else {}
        status = body.get("status") if body is not None else None
        if body is None or (status is not None and not isinstance(status, str)):
            return _problem('Send {"status": "DELIVERED"} (or nothing for the next step).')
        try:
            track = shippo.state.tracking.advance(request.path_params["number"], status)
        except TrackingError as exc:
            return _problem(str(exc), 404 if "was sold" in str(exc) else 400)
        return JSONResponse(track)

    return [
        Route("/control", index, methods=["GET"]),
        Route("/control/mail", get_mail, methods=["GET"]),
        Route("/control/mail", clear_mail, methods=["DELETE"]),
        Route("/control/sendgrid/keys", make_sendgrid_key, methods=["POST"]),
        Route("/control/time", get_time, methods=["GET"]),
        Route("/control/time/advance", advance_time, methods=["POST"]),
        Route("/control/faults", get_faults, methods=["GET"]),
        Route("/control/faults", put_faults, methods=["PUT"]),
        Route("/control/faults", clear_faults, methods=["DELETE"]),
        Route("/control/shippo/transactions", shippo_transactions, methods=["GET"]),
        Route("/control/shippo/rate_limits", get_limits, methods=["GET"]),
        Route("/control/shippo/rate_limits", put_limits, methods=["PUT"]),
        Route("/control/shippo/rate_limits", clear_limits, methods=["DELETE"]),
        Route("/control/shippo/api_versions", api_versions, methods=["GET"]),
        Route("/control/shippo/tracking", get_tracking, methods=["GET"]),
        Route("/control/shippo/tracking", put_tracking, methods=["PUT"]),
        Route("/control/shippo/tracking/{number}", move_parcel, methods=["POST"]),
    ]
