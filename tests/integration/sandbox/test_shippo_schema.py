"""Sandbox Shippo answers validate against Shippo's own OpenAPI schemas (2024-06)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packdesk.sandbox.server import SandboxInfo

from .helpers import AUSTIN, OAKLAND, PARCEL, TORONTO, ShippoSchemas, buy_label, shippo_client


@pytest.fixture(scope="module")
def schemas(reference_dir: Path) -> ShippoSchemas:
    return ShippoSchemas(reference_dir)


def page(schemas: ShippoSchemas, name: str, answer: dict[str, Any]) -> None:
    """A list answer. Shippo sends `next`/`previous` as null on the first and last page,
    which its spec (type: string) forgets, so only those two nulls are left out."""
    assert set(answer) == {"next", "previous", "results"}
    schemas.validate(name, {k: v for k, v in answer.items() if v is not None})


def test_address_answers_match_the_schema(sandbox: SandboxInfo, schemas: ShippoSchemas) -> None:
    with shippo_client(sandbox) as client:
        made = client.post("/addresses", json={**AUSTIN, "validate": True})
        assert made.status_code == 201
        schemas.validate("Address", made.json())
        bad = client.post("/addresses", json={**AUSTIN, "street1": "Elm St", "validate": True})
        schemas.validate("Address", bad.json())
        schemas.validate(
            "Address", client.get(f"/addresses/{made.json()['object_id']}/validate").json()
        )
        page(
            schemas, "AddressPaginatedList", client.get("/addresses", params={"results": 2}).json()
        )


def test_shipment_rate_parcel_answers_match_the_schema(
    sandbox: SandboxInfo, schemas: ShippoSchemas
) -> None:
    with shippo_client(sandbox) as client:
        parcel = client.post("/parcels", json=PARCEL)
        assert parcel.status_code == 201
        schemas.validate("Parcel", parcel.json())
        shipment = client.post(
            "/shipments",
            json={
                "address_from": OAKLAND,
                "address_to": AUSTIN,
                "parcels": [parcel.json()["object_id"]],
            },
        ).json()
        schemas.validate("Shipment", shipment)
        for rate in shipment["rates"]:
            schemas.validate("Rate", rate)
        schemas.validate("Rate", client.get(f"/rates/{shipment['rates'][0]['object_id']}").json())
        page(
            schemas, "ShipmentPaginatedList", client.get("/shipments", params={"results": 1}).json()
        )
        page(schemas, "CarrierAccountPaginatedList", client.get("/carrier_accounts").json())


def test_transaction_refund_track_answers_match_the_schema(
    sandbox: SandboxInfo, schemas: ShippoSchemas
) -> None:
    with shippo_client(sandbox) as client:
        transaction = buy_label(client, "ZPLII", metadata="Order #1002")
        schemas.validate("Transaction", transaction)
        page(
            schemas,
            "TransactionPaginatedList",
            client.get("/transactions", params={"results": 3}).json(),
        )
        track = client.get(f"/tracks/usps/{transaction['tracking_number']}").json()
        schemas.validate("Track", track)
        refund = client.post(
            "/refunds", json={"transaction": transaction["object_id"], "async": False}
        )
        assert refund.status_code == 201
        schemas.validate("Refund", refund.json())
        page(schemas, "RefundPaginatedList", client.get("/refunds/").json())
        schemas.validate(
            "Transaction", client.get(f"/transactions/{transaction['object_id']}").json()
        )


def test_customs_declaration_matches_the_schema(
    sandbox: SandboxInfo, schemas: ShippoSchemas
) -> None:
    declaration = {
        "certify": True,
        "certify_signer": "Sam Packer",
        "contents_type": "MERCHANDISE",
        "non_delivery_option": "RETURN",
        "incoterm": "DDU",
        "items": [
            {
                "description": "Wooden puzzle",
                "mass_unit": "g",
                "net_weight": "700",
                "origin_country": "US",
                "quantity": 1,
                "value_amount": "24.00",
                "value_currency": "USD",
                "tariff_number": "9503.00",
            }
        ],
    }
    with shippo_client(sandbox) as client:
        made = client.post("/customs/declarations", json=declaration)
        assert made.status_code == 201, made.text
        schemas.validate("CustomsDeclaration", made.json())
        shipment = client.post(
            "/shipments",
            json={
                "address_from": OAKLAND,
                "address_to": TORONTO,
                "parcels": [PARCEL],
                "customs_declaration": made.json()["object_id"],
            },
        ).json()
        schemas.validate("Shipment", shipment)
