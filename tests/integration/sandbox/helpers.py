"""Helpers for the sandbox tests: Shippo clients and OpenAPI schema validation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from packdesk.sandbox.server import SandboxInfo

OAKLAND = {
    "name": "CA Warehouse",
    "street1": "2100 Livingston St",
    "city": "Oakland",
    "state": "CA",
    "zip": "94606",
    "country": "US",
}
AUSTIN = {
    "name": "Ana Ruiz",
    "street1": "12 Elm St",
    "city": "Austin",
    "state": "TX",
    "zip": "78701",
    "country": "US",
}
TORONTO = {
    "name": "Jean Tremblay",
    "street1": "100 Queen St W",
    "city": "Toronto",
    "state": "ON",
    "zip": "M5H 2N2",
    "country": "CA",
}
PARCEL = {
    "length": "20",
    "width": "15",
    "height": "10",
    "distance_unit": "cm",
    "weight": "800",
    "mass_unit": "g",
}


def shippo_client(info: SandboxInfo) -> httpx.Client:
    return httpx.Client(
        base_url=info.shippo_url,
        headers={"Authorization": f"ShippoToken {info.shippo_token}"},
        timeout=10,
    )


def buy_label(
    client: httpx.Client, label_file_type: str = "PDF_4x6", metadata: str = ""
) -> dict[str, Any]:
    shipment = client.post(
        "/shipments", json={"address_from": OAKLAND, "address_to": AUSTIN, "parcels": [PARCEL]}
    ).json()
    rate = next(r for r in shipment["rates"] if "CHEAPEST" in r["attributes"])
    answer = client.post(
        "/transactions",
        json={
            "rate": rate["object_id"],
            "label_file_type": label_file_type,
            "async": False,
            "metadata": metadata,
        },
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


@cache
def _spec(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return spec


class ShippoSchemas:
    """Validate JSON against a component schema of Shippo's OpenAPI 3.1 file (JSON Schema 2020-12)."""

    def __init__(self, reference_dir: Path) -> None:
        self.spec = _spec(reference_dir / "shippo-api-2024-06.json")
        resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource("urn:shippo", resource)

    def validate(self, name: str, instance: Any) -> None:
        schema = {"$ref": f"urn:shippo#/components/schemas/{name}"}
        validator = jsonschema.Draft202012Validator(
            schema, registry=self.registry, format_checker=jsonschema.FormatChecker()
        )
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
