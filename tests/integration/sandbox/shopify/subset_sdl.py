"""Cut the sandbox's Shopify SDL out of the real Admin schema, so names never drift.

`python tests/integration/sandbox/shopify/subset_sdl.py` rewrites `src/packdesk/sandbox/shopify/schema.graphql`
from the test data `tests/reference/shopify-admin-2025-10.graphql` (README.md there says where
that comes from); a test regenerates it and compares. Output types keep only the fields listed in FIELDS (with every argument the
real field has); input objects, enums and scalars they reach are copied whole; the `Node`
interface is kept on every type that implements it. Descriptions, other interfaces and
directives other than @deprecated are dropped: the sandbox does not serve them. What
Shopify added after 2025-10 lives beside it in schema_2026.graphql, written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeNode,
    parse,
    print_ast,
)
from graphql.language import DefinitionNode, DirectiveNode, FieldDefinitionNode

ROOT = Path(__file__).resolve().parents[4]
REFERENCE = ROOT / "tests" / "reference" / "shopify-admin-2025-10.graphql"
TARGET = ROOT / "src" / "packdesk" / "sandbox" / "shopify" / "schema.graphql"

_CONN = ["edges", "nodes", "pageInfo"]
_EDGE = ["cursor", "node"]

FIELDS: dict[str, list[str]] = {
    "QueryRoot": [
        "shop",
        "locations",
        "location",
        "products",
        "product",
        "productVariants",
        "productVariant",
        "inventoryItems",
        "inventoryItem",
        "orders",
        "order",
        "fulfillmentOrder",
        "currentAppInstallation",
        "currentBulkOperation",
        "node",
        "webhookSubscription",
        "webhookSubscriptions",
    ],
    "Mutation": [
        "fulfillmentCreate",
        "fulfillmentOrderMove",
        "inventoryAdjustQuantities",
        "inventorySetQuantities",
        "bulkOperationRunQuery",
        "bulkOperationCancel",
        "webhookSubscriptionCreate",
        "webhookSubscriptionDelete",
    ],
    "Node": ["id"],
    "AppInstallation": ["id", "accessScopes"],
    "AccessScope": ["handle", "description"],
    "BulkOperation": [
        "id",
        "status",
        "errorCode",
        "createdAt",
        "completedAt",
        "objectCount",
        "rootObjectCount",
        "fileSize",
        "url",
        "partialDataUrl",
        "query",
        "type",
    ],
    "BulkOperationRunQueryPayload": ["bulkOperation", "userErrors"],
    "BulkOperationCancelPayload": ["bulkOperation", "userErrors"],
    "BulkOperationUserError": ["field", "message", "code"],
    "WebhookSubscription": [
        "id",
        "legacyResourceId",
        "topic",
        "uri",
        "callbackUrl",
        "format",
        "filter",
        "includeFields",
        "metafieldNamespaces",
        "apiVersion",
        "createdAt",
        "updatedAt",
    ],
    "WebhookSubscriptionConnection": _CONN,
    "WebhookSubscriptionEdge": _EDGE,
    "WebhookSubscriptionCreatePayload": ["webhookSubscription", "userErrors"],
    "WebhookSubscriptionDeletePayload": ["deletedWebhookSubscriptionId", "userErrors"],
    "ApiVersion": ["handle", "displayName", "supported"],
    "PageInfo": ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"],
    "Shop": ["id", "name", "email", "myshopifyDomain", "currencyCode", "ianaTimezone"],
    "Location": ["id", "legacyResourceId", "name", "isActive", "fulfillsOnlineOrders", "address"],
    "LocationAddress": [
        "address1",
        "address2",
        "city",
        "province",
        "provinceCode",
        "zip",
        "country",
        "countryCode",
        "phone",
    ],
    "LocationConnection": _CONN,
    "LocationEdge": _EDGE,
    "Product": [
        "id",
        "legacyResourceId",
        "title",
        "handle",
        "vendor",
        "productType",
        "status",
        "createdAt",
        "updatedAt",
        "variants",
    ],
    "ProductConnection": _CONN,
    "ProductEdge": _EDGE,
    "ProductVariant": [
        "id",
        "legacyResourceId",
        "title",
        "displayName",
        "sku",
        "barcode",
        "price",
        "inventoryQuantity",
        "product",
        "inventoryItem",
        "metafield",
        "createdAt",
        "updatedAt",
    ],
    "ProductVariantConnection": _CONN,
    "ProductVariantEdge": _EDGE,
    "Metafield": ["id", "namespace", "key", "value", "type"],
    "InventoryItem": [
        "id",
        "legacyResourceId",
        "sku",
        "tracked",
        "unitCost",
        "harmonizedSystemCode",
        "countryCodeOfOrigin",
        "measurement",
        "inventoryLevels",
        "inventoryLevel",
        "variant",
        "createdAt",
        "updatedAt",
    ],
    "InventoryItemConnection": _CONN,
    "InventoryItemEdge": _EDGE,
    "InventoryItemMeasurement": ["id", "weight"],
    "Weight": ["unit", "value"],
    "InventoryLevel": ["id", "location", "item", "quantities", "createdAt", "updatedAt"],
    "InventoryLevelConnection": _CONN,
    "InventoryLevelEdge": _EDGE,
    "InventoryQuantity": ["id", "name", "quantity", "updatedAt"],
    "Order": [
        "id",
        "legacyResourceId",
        "name",
        "createdAt",
        "updatedAt",
        "processedAt",
        "cancelledAt",
        "cancelReason",
        "closed",
        "closedAt",
        "displayFinancialStatus",
        "displayFulfillmentStatus",
        "email",
        "phone",
        "note",
        "tags",
        "test",
        "currencyCode",
        "presentmentCurrencyCode",
        "customer",
        "shippingAddress",
        "shippingLines",
        "subtotalPriceSet",
        "currentSubtotalPriceSet",
        "totalDiscountsSet",
        "totalTaxSet",
        "totalPriceSet",
        "currentTotalPriceSet",
        "totalShippingPriceSet",
        "totalWeight",
        "lineItems",
        "fulfillments",
        "fulfillmentOrders",
    ],
    "OrderConnection": _CONN,
    "OrderEdge": _EDGE,
    "Customer": [
        "id",
        "legacyResourceId",
        "displayName",
        "firstName",
        "lastName",
        "email",
        "phone",
        "emailMarketingConsent",
        "defaultEmailAddress",
    ],
    "CustomerEmailAddress": [
        "emailAddress",
        "marketingState",
        "marketingOptInLevel",
        "marketingUpdatedAt",
    ],
    "CustomerEmailMarketingConsentState": [
        "marketingState",
        "marketingOptInLevel",
        "consentUpdatedAt",
    ],
    "MailingAddress": [
        "id",
        "name",
        "firstName",
        "lastName",
        "company",
        "address1",
        "address2",
        "city",
        "province",
        "provinceCode",
        "zip",
        "country",
        "countryCodeV2",
        "phone",
    ],
    "ShippingLine": [
        "id",
        "title",
        "code",
        "source",
        "carrierIdentifier",
        "originalPriceSet",
        "discountedPriceSet",
    ],
    "ShippingLineConnection": _CONN,
    "ShippingLineEdge": _EDGE,
    "MoneyBag": ["shopMoney", "presentmentMoney"],
    "MoneyV2": ["amount", "currencyCode"],
    "LineItem": [
        "id",
        "sku",
        "name",
        "title",
        "variantTitle",
        "quantity",
        "currentQuantity",
        "unfulfilledQuantity",
        "requiresShipping",
        "variant",
        "product",
        "originalUnitPriceSet",
        "discountedUnitPriceSet",
    ],
    "LineItemConnection": _CONN,
    "LineItemEdge": _EDGE,
    "Fulfillment": [
        "id",
        "legacyResourceId",
        "name",
        "status",
        "displayStatus",
        "createdAt",
        "updatedAt",
        "trackingInfo",
        "location",
        "fulfillmentLineItems",
    ],
    "FulfillmentTrackingInfo": ["company", "number", "url"],
    "FulfillmentLineItem": ["id", "lineItem", "quantity"],
    "FulfillmentLineItemConnection": _CONN,
    "FulfillmentLineItemEdge": _EDGE,
    "FulfillmentOrder": [
        "id",
        "status",
        "requestStatus",
        "createdAt",
        "updatedAt",
        "assignedLocation",
        "lineItems",
        "order",
    ],
    "FulfillmentOrderConnection": _CONN,
    "FulfillmentOrderEdge": _EDGE,
    "FulfillmentOrderAssignedLocation": ["name", "countryCode", "location"],
    "FulfillmentOrderLineItem": ["id", "sku", "remainingQuantity", "totalQuantity", "lineItem"],
    "FulfillmentOrderLineItemConnection": _CONN,
    "FulfillmentOrderLineItemEdge": _EDGE,
    "UserError": ["field", "message"],
    "FulfillmentCreatePayload": ["fulfillment", "userErrors"],
    "FulfillmentOrderMovePayload": [
        "movedFulfillmentOrder",
        "originalFulfillmentOrder",
        "remainingFulfillmentOrder",
        "userErrors",
    ],
    "InventoryAdjustQuantitiesPayload": ["inventoryAdjustmentGroup", "userErrors"],
    "InventoryAdjustQuantitiesUserError": ["field", "message", "code"],
    "InventorySetQuantitiesPayload": ["inventoryAdjustmentGroup", "userErrors"],
    "InventorySetQuantitiesUserError": ["field", "message", "code"],
    "InventoryAdjustmentGroup": ["id", "createdAt", "reason", "referenceDocumentUri", "changes"],
    "InventoryChange": ["name", "delta", "quantityAfterChange", "item", "location"],
}


INTERFACES = {"Node"}


def _named(t: TypeNode) -> str:
    while isinstance(t, NonNullTypeNode | ListTypeNode):
        t = t.type
    assert isinstance(t, NamedTypeNode)
    return t.name.value


def _deprecated_only(directives: tuple[DirectiveNode, ...] | None) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in directives or () if d.name.value == "deprecated")


def build_subset(reference_text: str) -> str:
    """Return the subset SDL text for the FIELDS above, cut from the reference schema."""
    doc = parse(reference_text, no_location=True)
    defs: dict[str, DefinitionNode] = {}
    schema_def: SchemaDefinitionNode | None = None
    for d in doc.definitions:
        if isinstance(d, SchemaDefinitionNode):
            schema_def = d
        elif hasattr(d, "name") and d.name is not None:
            defs[d.name.value] = d
    out: dict[str, DefinitionNode] = {}
    pending = list(FIELDS)
    builtin = {"String", "Int", "Float", "Boolean", "ID"}
    while pending:
        name = pending.pop()
        if name in out or name in builtin:
            continue
        d = defs[name]
        if isinstance(d, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            if name not in FIELDS:
                raise SystemExit(f"output type {name} is reached but not listed in FIELDS")
            wanted = FIELDS[name]
            fields: list[FieldDefinitionNode] = []
            for f in d.fields or ():
                if f.name.value not in wanted:
                    continue
                args = tuple(
                    a.__class__(
                        name=a.name,
                        type=a.type,
                        default_value=a.default_value,
                        directives=_deprecated_only(a.directives),
                        description=None,
                    )
                    for a in f.arguments or ()
                )
                fields.append(
                    FieldDefinitionNode(
                        name=f.name,
                        type=f.type,
                        arguments=args,
                        directives=_deprecated_only(f.directives),
                        description=None,
                    )
                )
                pending.append(_named(f.type))
                pending.extend(_named(a.type) for a in args)
            missing = set(wanted) - {f.name.value for f in fields}
            if missing:
                raise SystemExit(f"{name} has no fields {sorted(missing)} in the reference")
            kind = (
                InterfaceTypeDefinitionNode
                if isinstance(d, InterfaceTypeDefinitionNode)
                else ObjectTypeDefinitionNode
            )
            out[name] = kind(
                name=d.name,
                fields=tuple(fields),
                interfaces=tuple(i for i in d.interfaces or () if i.name.value in INTERFACES),
                directives=(),
                description=None,
            )
        elif isinstance(d, InputObjectTypeDefinitionNode):
            fields_in = tuple(
                f.__class__(
                    name=f.name,
                    type=f.type,
                    default_value=f.default_value,
                    directives=_deprecated_only(f.directives),
                    description=None,
                )
                for f in d.fields or ()
            )
            pending.extend(_named(f.type) for f in fields_in)
            out[name] = InputObjectTypeDefinitionNode(
                name=d.name, fields=fields_in, directives=(), description=None
            )
        elif isinstance(d, EnumTypeDefinitionNode):
            values = tuple(
                v.__class__(
                    name=v.name, directives=_deprecated_only(v.directives), description=None
                )
                for v in d.values or ()
            )
            out[name] = EnumTypeDefinitionNode(
                name=d.name, values=values, directives=(), description=None
            )
        elif isinstance(d, ScalarTypeDefinitionNode):
            out[name] = ScalarTypeDefinitionNode(name=d.name, directives=(), description=None)
        else:
            raise SystemExit(f"{name}: unsupported kind {d.kind}")
    assert schema_def is not None
    ordered = [schema_def, *(out[k] for k in sorted(out))]
    header = (
        "# Subset of Shopify's Admin GraphQL schema (2025-10) served by packdesk's sandbox.\n"
        "# Generated by tests/integration/sandbox/shopify/subset_sdl.py from the real schema; do not edit.\n\n"
    )
    return header + print_ast(DocumentNode(definitions=tuple(ordered))) + "\n"


if __name__ == "__main__":
    TARGET.write_text(build_subset(REFERENCE.read_text()))
    sys.stdout.write(f"wrote {TARGET}\n")
