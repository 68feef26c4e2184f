"""Shippo resources before the purchase: addresses, parcels, customs, shipments with rates.

Shapes follow Shippo's public API (2024-06): objects nest as Shippo expands them (a
shipment answers with full address and parcel objects), lists answer `{next, previous,
results}`, bad input is a 400 with field -> messages.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.shippo import rates as pricing
from packdesk.sandbox.shippo.state import (
    ShippoState,
    bad_request,
    clean,
    json_body,
    listing,
    make_address,
    not_found,
)
from packdesk.sandbox.shippo.validation import validation_messages

PARCEL_FIELDS = ("length", "width", "height", "distance_unit", "weight", "mass_unit")
CUSTOMS_REQUIRED = ("certify", "certify_signer", "contents_type", "non_delivery_option")
ITEM_REQUIRED = (
    "description",
    "mass_unit",
    "net_weight",
    "origin_country",
    "quantity",
    "value_amount",
    "value_currency",
)


def make_parcel(state: ShippoState, data: dict[str, Any]) -> dict[str, Any]:
    """A parcel, or {"__errors__": ...} naming the missing fields."""
    missing = {k: ["This field is required."] for k in PARCEL_FIELDS if data.get(k) in (None, "")}
    if missing:
        return {"__errors__": missing}
    parcel: dict[str, Any] = {**state.stamp(), "object_state": "VALID"}
    for key in PARCEL_FIELDS:
        parcel[key] = str(data[key])
    for key in ("metadata", "extra", "template"):
        if data.get(key) is not None:
            parcel[key] = data[key]
    parcel.setdefault("metadata", "")
    state.parcels[parcel["object_id"]] = parcel
    return parcel


def make_customs(state: ShippoState, data: dict[str, Any]) -> dict[str, Any]:
    """A customs declaration, or {"__errors__": ...} naming the missing fields."""
    errors: dict[str, Any] = {
        k: ["This field is required."] for k in CUSTOMS_REQUIRED if data.get(k) in (None, "")
    }
    items = data.get("items")
    if not isinstance(items, list) or not items:
        errors["items"] = ["At least one customs item is required."]
    item_ids = []
    for index, item in enumerate(items or []):
        if isinstance(item, str):
            if item not in state.customs_items:
                errors[f"items.{index}"] = [f"Customs item {item} does not exist."]
            item_ids.append(item)
            continue
        missing = [
            k for k in ITEM_REQUIRED if not isinstance(item, dict) or item.get(k) in (None, "")
        ]
        if missing:
            errors[f"items.{index}"] = [f"{k}: This field is required." for k in missing]
            continue
        stored = {**state.stamp(), "object_state": "VALID", **item}
        stored["net_weight"] = str(stored["net_weight"])
        stored["value_amount"] = str(stored["value_amount"])
        state.customs_items[stored["object_id"]] = stored
        item_ids.append(stored["object_id"])
    if errors:
        return {"__errors__": errors}
    declaration: dict[str, Any] = {**state.stamp(), "object_state": "VALID"}
    for key, value in data.items():
        if key != "items" and value is not None:
            declaration[key] = value
    declaration["items"] = item_ids
    state.customs_declarations[declaration["object_id"]] = declaration
    return declaration


def _resolve_address(state: ShippoState, value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        return state.addresses.get(value)
    if isinstance(value, dict):
        return make_address(state, value, validate=bool(value.get("validate")))
    return None


def make_shipment(state: ShippoState, data: dict[str, Any]) -> dict[str, Any]:
    """A shipment with its rates computed now, or {"__errors__": ...}."""
    errors: dict[str, Any] = {}
    ends = {}
    for key in ("address_from", "address_to"):
        found = _resolve_address(state, data.get(key))
        if found is None:
            errors[key] = ["This field is required: an address object or an existing object_id."]
        else:
            ends[key] = found
    parcels = []
    raw_parcels = data.get("parcels")
    if isinstance(raw_parcels, dict):
        raw_parcels = [raw_parcels]
    if not isinstance(raw_parcels, list) or not raw_parcels:
        errors["parcels"] = ["At least one parcel is required."]
    for index, raw in enumerate(raw_parcels or []):
        parcel = (
            state.parcels.get(raw)
            if isinstance(raw, str)
            else (make_parcel(state, raw) if isinstance(raw, dict) else None)
        )
        if parcel is None or "__errors__" in parcel:
            errors[f"parcels.{index}"] = [
                "A parcel needs length, width, height, distance_unit, weight and mass_unit."
            ]
        else:
            parcels.append(parcel)
    customs = None
    raw_customs = data.get("customs_declaration")
    if isinstance(raw_customs, str):
        customs = state.customs_declarations.get(raw_customs)
        if customs is None:
            errors["customs_declaration"] = [f"Customs declaration {raw_customs} does not exist."]
    elif isinstance(raw_customs, dict):
        customs = make_customs(state, raw_customs)
        if "__errors__" in customs:
            errors["customs_declaration"] = customs["__errors__"]
            customs = None
    if errors:
        return {"__errors__": errors}
    shipment: dict[str, Any] = {
        **state.stamp(),
        "status": "SUCCESS",
        "address_from": ends["address_from"],
        "address_to": ends["address_to"],
        "address_return": ends["address_from"],
        "parcels": parcels,
        "carrier_accounts": list(data.get("carrier_accounts") or []),
        "metadata": str(data.get("metadata") or ""),
        "shipment_date": data.get("shipment_date") or None,
        "extra": data.get("extra") or {},
        "messages": [],
        "rates": [],
    }
    if customs is not None:
        shipment["customs_declaration"] = customs
    shipment["rates"] = _rates_for(state, shipment)
    state.shipments[shipment["object_id"]] = shipment
    return shipment


MILITARY_STATES = frozenset({"AA", "AE", "AP"})
MILITARY_CITIES = frozenset({"APO", "FPO", "DPO"})


def _military(address: dict[str, Any]) -> bool:
    """An APO/FPO/DPO address: in the US, state AA/AE/AP or city APO/FPO/DPO."""
    return str(address.get("country") or "US").upper() == "US" and (
        str(address.get("state") or "").upper() in MILITARY_STATES
        or str(address.get("city") or "").strip().upper() in MILITARY_CITIES
    )


def _rates_for(state: ShippoState, shipment: dict[str, Any]) -> list[dict[str, Any]]:
    """Quotes as Shippo gives them: none abroad or to APO/FPO/DPO without a customs
    declaration, and only USPS's to APO/FPO/DPO (no other carrier delivers there)."""
    origin, destination = shipment["address_from"], shipment["address_to"]
    country = str(destination.get("country") or "US").upper()
    military = _military(destination)
    if (country != "US" or military) and "customs_declaration" not in shipment:
        where = "to an APO/FPO/DPO address" if military else "abroad"
        shipment["messages"].append(
            {
                "source": "Shippo",
                "code": "customs_declaration_required",
                "text": f"This shipment goes {where}: add a customs_declaration to get rates.",
            }
        )
        return []
    allowed = set(shipment["carrier_accounts"])
    weight_g = sum(pricing.grams(float(p["weight"]), p["mass_unit"]) for p in shipment["parcels"])
    first = shipment["parcels"][0]
    unit = pricing.CM_PER.get(first["distance_unit"], 1.0)
    dims = (
        float(first["length"]) * unit,
        float(first["width"]) * unit,
        float(first["height"]) * unit,
    )
    quotes = pricing.quotes(
        str(origin.get("zip") or ""), str(destination.get("zip") or ""), country, weight_g, dims
    )
    quotes = [
        q for q in quotes if not allowed or pricing.CARRIER_ACCOUNTS[q.service.carrier] in allowed
    ]
    if military:
        for carrier in sorted({q.service.carrier for q in quotes} - {"USPS"}):
            shipment["messages"].append(
                {
                    "source": carrier,
                    "code": "",
                    "text": f"{carrier} does not deliver to APO/FPO/DPO addresses.",
                }
            )
        quotes = [q for q in quotes if q.service.carrier == "USPS"]
    marks = pricing.attributes(quotes)
    result = []
    for quote in quotes:
        service = quote.service
        days = quote.estimated_days
        rate = {
            **state.stamp(),
            "shipment": shipment["object_id"],
            "attributes": marks[service.token],
            "amount": quote.amount,
            "currency": "USD",
            "amount_local": quote.amount,
            "currency_local": "USD",
            "provider": service.carrier,
            "provider_image_75": f"https://shippo-static.s3.amazonaws.com/providers/75/{service.carrier}.png",
            "provider_image_200": f"https://shippo-static.s3.amazonaws.com/providers/200/{service.carrier}.png",
            "servicelevel": {
                "name": service.name,
                "token": service.token,
                "terms": service.terms,
                "extended_token": service.token,
            },
            "estimated_days": days,
            "duration_terms": f"Delivery in {days} business day{'s' if days != 1 else ''}.",
            "carrier_account": pricing.CARRIER_ACCOUNTS[service.carrier],
            "zone": quote.zone,
            "messages": [],
            "included_insurance_price": "0.00",
        }
        state.rates[rate["object_id"]] = rate
        result.append(rate)
    return result


def _created(obj: dict[str, Any]) -> Response:
    if "__errors__" in obj:
        return bad_request(obj["__errors__"])
    return JSONResponse(clean(obj), status_code=201)


def object_routes(state: ShippoState) -> list[BaseRoute]:
    """Routes for /shippo/addresses, parcels, customs, shipments and rates."""

    def getter(table: dict[str, dict[str, Any]], key: str, kind: str) -> Any:
        async def get_one(request: Request) -> Response:
            found = table.get(request.path_params[key])
            return JSONResponse(clean(found)) if found else not_found(kind)

        return get_one

    def lister(table: dict[str, dict[str, Any]], path: str) -> Any:
        async def list_all(request: Request) -> Response:
            return listing(request, list(table.values())[::-1], path)

        return list_all

    async def create_address(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        if not body.get("country"):
            return bad_request({"country": ["This field is required."]})
        return _created(make_address(state, body, validate=bool(body.get("validate"))))

    async def validate_address(request: Request) -> Response:
        found = state.addresses.get(request.path_params["address_id"])
        if found is None:
            return not_found("address")
        problems = validation_messages(found)
        found["validation_results"] = {"is_valid": not problems, "messages": problems}
        found["is_complete"] = not problems and found["is_complete"]
        return JSONResponse(clean(found))

    async def create_parcel(request: Request) -> Response:
        body = await json_body(request)
        return body if isinstance(body, Response) else _created(make_parcel(state, body))

    async def create_customs(request: Request) -> Response:
        body = await json_body(request)
        return body if isinstance(body, Response) else _created(make_customs(state, body))

    async def create_shipment(request: Request) -> Response:
        body = await json_body(request)
        return body if isinstance(body, Response) else _created(make_shipment(state, body))

    async def shipment_rates(request: Request) -> Response:
        shipment = state.shipments.get(request.path_params["shipment_id"])
        if shipment is None:
            return not_found("shipment")
        return listing(request, shipment["rates"], request.url.path)

    return [
        Route("/shippo/addresses", create_address, methods=["POST"]),
        Route("/shippo/addresses", lister(state.addresses, "/shippo/addresses"), methods=["GET"]),
        Route("/shippo/addresses/{address_id}", getter(state.addresses, "address_id", "address")),
        Route("/shippo/addresses/{address_id}/validate", validate_address, methods=["GET"]),
        Route("/shippo/parcels", create_parcel, methods=["POST"]),
        Route("/shippo/parcels", lister(state.parcels, "/shippo/parcels"), methods=["GET"]),
        Route("/shippo/parcels/{parcel_id}", getter(state.parcels, "parcel_id", "parcel")),
        Route("/shippo/customs/declarations", create_customs, methods=["POST"]),
        Route(
            "/shippo/customs/declarations",
            lister(state.customs_declarations, "/shippo/customs/declarations"),
            methods=["GET"],
        ),
        Route(
            "/shippo/customs/declarations/{declaration_id}",
            getter(state.customs_declarations, "declaration_id", "customs declaration"),
        ),
        Route(
            "/shippo/customs/items/{item_id}",
            getter(state.customs_items, "item_id", "customs item"),
        ),
        Route("/shippo/shipments", create_shipment, methods=["POST"]),
        Route("/shippo/shipments", lister(state.shipments, "/shippo/shipments"), methods=["GET"]),
        Route(
            "/shippo/shipments/{shipment_id}", getter(state.shipments, "shipment_id", "shipment")
        ),
        Route("/shippo/shipments/{shipment_id}/rates", shipment_rates, methods=["GET"]),
        Route("/shippo/rates/{rate_id}", getter(state.rates, "rate_id", "rate")),
    ]
