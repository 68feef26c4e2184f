"""Buying labels: transactions (synchronous, `async: false`), refunds, tracks, label files.

A transaction renders its label now and keeps it in memory under `/shippo/labels/<file>`;
its parcel then travels on sandbox time (tracking.py). Transactions are listed newest first,
filtered by `rate`, `object_status` and `tracking_status` and paged by `page`/`results` as
Shippo's list endpoint is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.clock import iso
from packdesk.sandbox.shippo import labels
from packdesk.sandbox.shippo import rates as pricing
from packdesk.sandbox.shippo.objects import make_shipment
from packdesk.sandbox.shippo.state import (
    ShippoState,
    bad_request,
    clean,
    json_body,
    listing,
    not_found,
    short_address,
)
from packdesk.sandbox.shippo.tracking import Parcel, place
from packdesk.sandbox.shippo.validation import validation_messages

TRANSACTION_STATUSES = (
    "WAITING",
    "QUEUED",
    "SUCCESS",
    "ERROR",
    "REFUNDED",
    "REFUNDPENDING",
    "REFUNDREJECTED",
)
TRACKING_STATUSES = ("UNKNOWN", "PRE_TRANSIT", "TRANSIT", "DELIVERED", "RETURNED", "FAILURE")


def public(state: ShippoState, transaction: dict[str, Any]) -> dict[str, Any]:
    """A transaction as Shippo answers it (private bookkeeping keys start with `_`)."""
    shown = {k: v for k, v in transaction.items() if not k.startswith("_")}
    if shown["status"] in ("SUCCESS", "REFUNDPENDING", "REFUNDED"):
        shown["tracking_status"] = state.tracking.status(str(shown["tracking_number"]))
    result: dict[str, Any] = clean(shown)
    # The API answers null for labels bought with an API token; the SDK needs the key present.
    result["created_by"] = None
    return result


def core_rate(rate: dict[str, Any]) -> dict[str, Any]:
    """The simplified rate a transaction carries (the SDK expects an object, not an id)."""
    return {
        "object_id": rate["object_id"],
        "amount": rate["amount"],
        "amount_local": rate["amount_local"],
        "currency": rate["currency"],
        "currency_local": rate["currency_local"],
        "provider": rate["provider"],
        "carrier_account": rate["carrier_account"],
        "servicelevel_name": rate["servicelevel"]["name"],
        "servicelevel_token": rate["servicelevel"]["token"],
    }


def buy(state: ShippoState, request: Request, body: dict[str, Any]) -> dict[str, Any] | Response:
    """Create a transaction from a rate id, or from an instant shipment + servicelevel."""
    label_type = str(body.get("label_file_type") or "PDF_4x6")
    if label_type not in labels.CONTENT_TYPES:
        return bad_request(
            {
                "label_file_type": [
                    f"'{label_type}' is not supported here; use one of "
                    f"{', '.join(labels.CONTENT_TYPES)}."
                ]
            }
        )
    if isinstance(body.get("shipment"), dict):
        shipment = make_shipment(state, body["shipment"])
        if "__errors__" in shipment:
            return bad_request({"shipment": shipment["__errors__"]})
        token = body.get("servicelevel_token")
        rate = next((r for r in shipment["rates"] if r["servicelevel"]["token"] == token), None)
        if rate is None:
            return bad_request({"servicelevel_token": [f"No rate for service level {token!r}."]})
    else:
        rate = state.rates.get(str(body.get("rate") or ""))
        if rate is None:
            return bad_request(
                {"rate": [f"Rate with object_id {body.get('rate')!r} does not exist."]}
            )
        shipment = state.shipments[rate["shipment"]]
    metadata = str(body.get("metadata") or "")
    if len(metadata) > 100:
        return bad_request({"metadata": ["Ensure this field has no more than 100 characters."]})
    transaction: dict[str, Any] = {
        **state.stamp(),
        "object_state": "VALID",
        "rate": core_rate(rate),
        "parcel": shipment["parcels"][0]["object_id"],
        "metadata": metadata,
        "label_file_type": label_type,
        "messages": [],
        "_shipment": shipment["object_id"],
        "_refund": None,
    }
    destination = shipment["address_to"]
    problems = validation_messages(destination)
    if problems:
        transaction.update(
            status="ERROR",
            object_state="INVALID",
            tracking_status="UNKNOWN",
            messages=[
                {"source": rate["provider"], "code": p["code"], "text": p["text"]} for p in problems
            ],
        )
        state.transactions[transaction["object_id"]] = transaction
        return transaction
    carrier = str(rate["provider"])
    number = pricing.tracking_number(carrier, state.rng)
    while state.tracking.sold(number):
        number = pricing.tracking_number(carrier, state.rng)
    parcel = shipment["parcels"][0]
    data = labels.LabelData(
        tracking_number=number,
        carrier=carrier,
        service=str(rate["servicelevel"]["name"]),
        ship_from=short_address(shipment["address_from"]),
        ship_to=short_address(destination),
        weight=f"{parcel['weight']} {parcel['mass_unit']}",
    )
    file_name = f"{transaction['object_id']}.{labels.EXTENSIONS[label_type]}"
    state.labels[file_name] = (labels.render(label_type, data), labels.CONTENT_TYPES[label_type])
    bought = state.now()
    days = int(rate.get("estimated_days") or 3)
    eta = iso(bought + timedelta(days=days))
    state.tracking.register(
        Parcel(
            transaction=transaction["object_id"],
            number=number,
            carrier=pricing.CARRIER_SLUG[carrier],
            bought=bought,
            days=days,
            origin=place(shipment["address_from"]),
            destination=place(destination),
            eta=eta,
            servicelevel={
                "name": str(rate["servicelevel"]["name"]),
                "token": str(rate["servicelevel"]["token"]),
            },
        )
    )
    transaction.update(
        status="SUCCESS",
        tracking_number=number,
        tracking_url_provider=pricing.tracking_url(carrier, number),
        label_url=f"{str(request.base_url).rstrip('/')}/shippo/labels/{file_name}",
        eta=eta,
    )
    state.transactions[transaction["object_id"]] = transaction
    return transaction


def purchase_routes(state: ShippoState) -> list[BaseRoute]:
    """Routes for /shippo/transactions, refunds, tracks and labels."""

    async def create_transaction(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        made = buy(state, request, body)
        if isinstance(made, Response):
            return made
        return JSONResponse(public(state, made), status_code=201)

    async def list_transactions(request: Request) -> Response:
        params = request.query_params
        problems = {
            key: [f'"{params[key]}" is not a valid choice; use one of {", ".join(allowed)}.']
            for key, allowed in (
                ("object_status", TRANSACTION_STATUSES),
                ("tracking_status", TRACKING_STATUSES),
            )
            if key in params and params[key] not in allowed
        }
        if problems:
            return bad_request(problems)
        items = [public(state, t) for t in reversed(state.transactions.values())]
        if params.get("object_status"):
            items = [t for t in items if t["status"] == params["object_status"]]
        if params.get("tracking_status"):
            items = [t for t in items if t.get("tracking_status") == params["tracking_status"]]
        if params.get("rate"):
            items = [t for t in items if t["rate"]["object_id"] == params["rate"]]
        return listing(request, items, "/shippo/transactions", cleaned=False)

    async def get_transaction(request: Request) -> Response:
        found = state.transactions.get(request.path_params["transaction_id"])
        return JSONResponse(public(state, found)) if found else not_found("transaction")

    async def create_refund(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        transaction = state.transactions.get(str(body.get("transaction") or ""))
        if transaction is None:
            return bad_request({"transaction": ["Transaction with this object_id does not exist."]})
        if transaction["status"] != "SUCCESS":
            return bad_request(
                {
                    "transaction": [
                        f"A transaction with status {transaction['status']} cannot be refunded."
                    ]
                }
            )
        refund = {**state.stamp(), "status": "SUCCESS", "transaction": transaction["object_id"]}
        state.refunds[refund["object_id"]] = refund
        transaction["status"] = "REFUNDED"
        transaction["object_updated"] = refund["object_updated"]
        transaction["_refund"] = refund["object_id"]
        return JSONResponse(refund, status_code=201)

    async def list_refunds(request: Request) -> Response:
        return listing(request, list(state.refunds.values())[::-1], "/shippo/refunds")

    async def get_refund(request: Request) -> Response:
        found = state.refunds.get(request.path_params["refund_id"])
        return JSONResponse(found) if found else not_found("refund")

    async def get_track(request: Request) -> Response:
        return JSONResponse(
            state.tracking.track(
                request.path_params["carrier"], request.path_params["number"], None
            )
        )

    async def register_track(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        if not body.get("carrier") or not body.get("tracking_number"):
            return bad_request({"tracking_number": ["carrier and tracking_number are required."]})
        found = state.tracking.track(
            str(body["carrier"]), str(body["tracking_number"]), body.get("metadata")
        )
        return JSONResponse(found, status_code=201)

    async def get_label(request: Request) -> Response:
        found = state.labels.get(request.path_params["file"])
        if found is None:
            return Response("label not found", status_code=404, media_type="text/plain")
        content, media_type = found
        return Response(content, media_type=media_type)

    return [
        Route("/shippo/transactions", create_transaction, methods=["POST"]),
        Route("/shippo/transactions", list_transactions, methods=["GET"]),
        Route("/shippo/transactions/", list_transactions, methods=["GET"]),
        Route("/shippo/transactions/{transaction_id}", get_transaction, methods=["GET"]),
        Route("/shippo/refunds", create_refund, methods=["POST"]),
        Route("/shippo/refunds/", list_refunds, methods=["GET"]),
        Route("/shippo/refunds", list_refunds, methods=["GET"]),
        Route("/shippo/refunds/{refund_id}", get_refund, methods=["GET"]),
        Route("/shippo/tracks", register_track, methods=["POST"]),
        Route("/shippo/tracks/", register_track, methods=["POST"]),
        Route("/shippo/tracks/{carrier}/{number}", get_track, methods=["GET"]),
        Route("/shippo/labels/{file}", get_label, methods=["GET"]),
    ]
