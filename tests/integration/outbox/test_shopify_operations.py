"""The outbox's GraphQL operations validate against Shopify's Admin schema, and the adapter
turns their answers into the outbox's values."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse, validate

from packdesk.adapters.shopify.fulfillments import ShopifyFulfillments
from packdesk.adapters.shopify.inventory import ShopifyInventory, reference_uri
from packdesk.domain.outbox import (
    DeliveryFailed,
    FulfillmentLine,
    FulfillmentOrderLines,
    FulfillmentRequest,
    InventoryAdjustment,
)

OPERATIONS = Path(__file__).resolve().parents[3] / "src/packdesk/adapters/shopify/operations"
MINE = [
    "FulfillmentCreate",
    "FulfillmentOrderStatus",
    "InventoryAdjustQuantities",
    "InventorySetQuantities",
    "InventoryLevel",
]


@pytest.mark.parametrize("name", MINE)
def test_operation_validates_against_the_real_schema(
    name: str, shopify_schema_2026: GraphQLSchema
) -> None:
    """Against 2025-10 and the 2026 additions (`@idempotent`, `changeFromQuantity`)."""
    document = parse((OPERATIONS / f"{name}.graphql").read_text("utf-8"))
    assert [e.message for e in validate(shopify_schema_2026, document)] == []
    [definition] = document.definitions
    assert isinstance(definition, OperationDefinitionNode)
    assert definition.name is not None
    assert definition.name.value == name  # one operation per file, named like the file


class Recorder:
    def __init__(self, answers: dict[str, dict[str, Any] | Exception]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def execute(self, operation: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append((operation, dict(variables or {})))
        answer = self.answers[operation]
        if isinstance(answer, Exception):
            raise answer
        return answer


REQUEST = FulfillmentRequest(
    order_id="gid://shopify/Order/1",
    fulfillment_orders=(
        FulfillmentOrderLines(
            id="gid://shopify/FulfillmentOrder/9",
            lines=(FulfillmentLine(id="gid://shopify/FulfillmentOrderLineItem/91", quantity=2),),
        ),
    ),
    tracking_company="USPS",
    tracking_number="9400",
    tracking_url="https://t.example/9400",
)


def test_fulfillment_create_sends_lines_tracking_and_notify() -> None:
    client = Recorder(
        {
            "FulfillmentCreate": {
                "fulfillmentCreate": {
                    "fulfillment": {"id": "gid://shopify/Fulfillment/5"},
                    "userErrors": [],
                }
            }
        }
    )
    assert ShopifyFulfillments(client).create_fulfillment(REQUEST) == "gid://shopify/Fulfillment/5"
    [(name, variables)] = client.calls
    assert name == "FulfillmentCreate"
    assert variables == {
        "fulfillment": {
            "lineItemsByFulfillmentOrder": [
                {
                    "fulfillmentOrderId": "gid://shopify/FulfillmentOrder/9",
                    "fulfillmentOrderLineItems": [
                        {"id": "gid://shopify/FulfillmentOrderLineItem/91", "quantity": 2}
                    ],
                }
            ],
            "notifyCustomer": False,
            "trackingInfo": {"company": "USPS", "number": "9400", "url": "https://t.example/9400"},
        }
    }


def test_user_errors_are_permanent_and_client_errors_retry() -> None:
    refused = Recorder(
        {
            "FulfillmentCreate": {
                "fulfillmentCreate": {
                    "fulfillment": None,
                    "userErrors": [{"field": None, "message": "Fulfillment order is closed"}],
                }
            }
        }
    )
    with pytest.raises(DeliveryFailed, match="Fulfillment order is closed") as failed:
        ShopifyFulfillments(refused).create_fulfillment(REQUEST)
    assert failed.value.permanent
    away = Recorder({"FulfillmentCreate": RuntimeError("Shopify did not answer")})
    with pytest.raises(DeliveryFailed, match="did not answer") as failed:
        ShopifyFulfillments(away).create_fulfillment(REQUEST)
    assert not failed.value.permanent


def test_upstream_reads_statuses_and_live_tracking_numbers() -> None:
    client = Recorder(
        {
            "FulfillmentOrderStatus": {
                "order": {
                    "id": "gid://shopify/Order/1",
                    "fulfillmentOrders": {
                        "nodes": [
                            {"id": "fo1", "status": "CLOSED"},
                            {"id": "fo2", "status": "OPEN"},
                        ]
                    },
                    "fulfillments": [
                        {"id": "f1", "status": "SUCCESS", "trackingInfo": [{"number": "9400"}]},
                        {"id": "f2", "status": "CANCELLED", "trackingInfo": [{"number": "1Z"}]},
                    ],
                }
            }
        }
    )
    upstream = ShopifyFulfillments(client).upstream_fulfillments("gid://shopify/Order/1")
    assert upstream.fulfillment_order_status == {"fo1": "CLOSED", "fo2": "OPEN"}
    assert upstream.tracking_numbers == ("9400",)


def test_inventory_adjustment_carries_the_outbox_key() -> None:
    client = Recorder(
        {"InventoryAdjustQuantities": {"inventoryAdjustQuantities": {"userErrors": []}}}
    )
    ShopifyInventory(client).adjust_inventory(
        InventoryAdjustment(
            inventory_item_id="gid://shopify/InventoryItem/3",
            location_id="gid://shopify/Location/1",
            delta=-2,
            key="inventory:pack:1001",
        )
    )
    [(_, variables)] = client.calls
    assert variables["idempotencyKey"] == "inventory:pack:1001"
    assert variables["input"]["referenceDocumentUri"] == reference_uri("inventory:pack:1001")
    assert variables["input"]["changes"] == [
        {
            "delta": -2,
            "inventoryItemId": "gid://shopify/InventoryItem/3",
            "locationId": "gid://shopify/Location/1",
        }
    ]
    assert variables["input"]["name"] == "available"
