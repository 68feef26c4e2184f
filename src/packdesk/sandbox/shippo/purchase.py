"""Buying labels: transactions (synchronous, `async: false`), refunds, tracks, label files.

A transaction renders its label now and keeps it in memory under `/shippo/labels/<file>`.
Tracking follows sandbox time: PRE_TRANSIT on the day of purchase, TRANSIT from one day
after, DELIVERED from `estimated_days + 1` days after.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
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
    clean_object,
    json_body,
    listing,
    not_found,
    page_of,
    short_address,
    validation_messages,
)

TEST_NUMBERS = {
    "SHIPPO_PRE_TRANSIT": "PRE_TRANSIT",
    "SHIPPO_TRANSIT": "TRANSIT",
    "SHIPPO_DELIVERED": "DELIVERED",
    "SHIPPO_RETURNED": "RETURNED",
    "SHIPPO_FAILURE": "FAILURE",
    "SHIPPO_UNKNOWN": "UNKNOWN",
}
DETAILS = {
    "PRE_TRANSIT": "Shipping label created; the carrier is awaiting the item.",
    "TRANSIT": "Accepted at the carrier's origin facility; in transit to the next facility.",
    "DELIVERED": "Your item was delivered at the front door or porch.",
    "RETURNED": "The item is being returned to the sender.",
    "FAILURE": "Delivery attempt failed.",
    "UNKNOWN": "The carrier has no information about this tracking number yet.",
}


def _place(address: dict[str, Any]) -> dict[str, str]:
    return {k: str(address.get(k) or "") for k in ("city", "state", "zip", "country")}


def history(
    state: ShippoState, bought: datetime, days: int, origin: dict[str, Any], dest: dict[str, Any]
) -> list[dict[str, Any]]:
    """The tracking events that have happened by sandbox now."""
    now = state.now()
    steps = [
        ("PRE_TRANSIT", bought, origin),
        ("TRANSIT", bought + timedelta(days=1), origin),
        ("DELIVERED", bought + timedelta(days=days + 1), dest),
    ]
    events = []
    for status, moment, where in steps:
        if moment > now:
            break
        events.append(_event(status, moment, where))
    return events


def _event(status: str, moment: datetime, where: dict[str, Any] | None) -> dict[str, Any]:
    stamp = iso(moment)
    event: dict[str, Any] = {
        "object_id": hashlib.md5(f"{status} {stamp}".encode()).hexdigest(),
        "object_created": stamp,
        "object_updated": stamp,
        "status": status,
        "status_details": DETAILS[status],
        "status_date": stamp,
    }
    if where is not None:
        event["location"] = _place(where)
    return event


def current_tracking(state: ShippoState, transaction: dict[str, Any]) -> str:
    bought_days = state.purchases.get(transaction["object_id"])
    if bought_days is None:
        return "UNKNOWN"
    shipment = state.shipments[transaction["_shipment"]]
    events = history(state, *bought_days, shipment["address_from"], shipment["address_to"])
    return str(events[-1]["status"]) if events else "PRE_TRANSIT"


def public(state: ShippoState, transaction: dict[str, Any]) -> dict[str, Any]:
    """A transaction as Shippo answers it (private bookkeeping keys start with `_`)."""
    shown = {k: v for k, v in transaction.items() if not k.startswith("_")}
    if shown["status"] in ("SUCCESS", "REFUNDPENDING", "REFUNDED"):
        shown["tracking_status"] = current_tracking(state, transaction)
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
    state.purchases[transaction["object_id"]] = (bought, days)
    transaction.update(
        status="SUCCESS",
        tracking_number=number,
        tracking_url_provider=pricing.tracking_url(carrier, number),
        label_url=f"{str(request.base_url).rstrip('/')}/shippo/labels/{file_name}",
        eta=iso(bought + timedelta(days=days)),
        _carrier=pricing.CARRIER_SLUG[carrier],
    )
    state.transactions[transaction["object_id"]] = transaction
    return transaction


def track(state: ShippoState, carrier: str, number: str, metadata: str | None) -> dict[str, Any]:
    """A Track for a number this sandbox sold, a Shippo test number, or UNKNOWN."""
    found = next(
        (t for t in state.transactions.values() if t.get("tracking_number") == number), None
    )
    result: dict[str, Any] = {
        "carrier": carrier,
        "tracking_number": number,
        "messages": [],
        "metadata": metadata,
        "tracking_history": [],
    }
    if number.upper() in TEST_NUMBERS:
        event = _event(TEST_NUMBERS[number.upper()], state.now(), None)
        result.update(tracking_status=event, tracking_history=[event])
        return clean_object(result)
    if found is None or found["object_id"] not in state.purchases:
        event = _event("UNKNOWN", state.now(), None)
        result.update(tracking_status=event, messages=["Tracking number not found."])
        return clean_object(result)
    shipment = state.shipments[found["_shipment"]]
    rate = state.rates[found["rate"]["object_id"]]
    bought, days = state.purchases[found["object_id"]]
    events = history(state, bought, days, shipment["address_from"], shipment["address_to"])
    result.update(
        transaction=found["object_id"],
        address_from=_place(shipment["address_from"]),
        address_to=_place(shipment["address_to"]),
        eta=found["eta"],
        original_eta=found["eta"],
        servicelevel={"name": rate["servicelevel"]["name"], "token": rate["servicelevel"]["token"]},
        tracking_status=events[-1],
        tracking_history=events,
        metadata=metadata if metadata is not None else found.get("metadata"),
    )
    return clean_object(result)


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
        items = [public(state, t) for t in reversed(state.transactions.values())]
        params = request.query_params
        for key in ("object_status", "tracking_status"):
            wanted = params.get(key)
            if wanted:
                field = "status" if key == "object_status" else key
                items = [t for t in items if str(t.get(field, "")) == wanted]
        if params.get("rate"):
            items = [t for t in items if t["rate"]["object_id"] == params["rate"]]
        return JSONResponse(page_of(request, items, "/shippo/transactions"))

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
            track(state, request.path_params["carrier"], request.path_params["number"], None)
        )

    async def register_track(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        if not body.get("carrier") or not body.get("tracking_number"):
            return bad_request({"tracking_number": ["carrier and tracking_number are required."]})
        found = track(
            state, str(body["carrier"]), str(body["tracking_number"]), body.get("metadata")
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
