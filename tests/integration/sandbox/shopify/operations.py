"""Every GraphQL operation the sandbox's tests send, in one place.

test_schema_subset.py validates each against Shopify's real Admin schema, so the sandbox's
surface cannot drift from Shopify's names; test_fastexec.py runs each query through both
execution paths.
"""

from __future__ import annotations

from pathlib import Path

PACKDESK_OPERATIONS = (
    Path(__file__).resolve().parents[4] / "src/packdesk/adapters/shopify/operations"
)

SHOP = """
query Shop {
  shop { name myshopifyDomain currencyCode }
}
"""

LOCATIONS = """
query Locations($first: Int!, $after: String) {
  locations(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name isActive
      address { address1 address2 city provinceCode zip countryCode }
    }
  }
}
"""

VARIANTS = """
query Variants($first: Int!, $after: String, $query: String) {
  productVariants(first: $first, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id sku barcode title price updatedAt
        product { id title }
        dimensions: metafield(namespace: "packdesk", key: "dimensions_cm") { value }
        bin: metafield(namespace: "packdesk", key: "bin") { value }
        inventoryItem {
          id
          measurement { weight { unit value } }
          inventoryLevels(first: 2) {
            nodes {
              location { id }
              quantities(names: ["available", "on_hand"]) { name quantity }
            }
          }
        }
      }
    }
  }
}
"""

PRODUCTS = """
query Products($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id title updatedAt variants(first: 5) { nodes { id sku } } }
  }
}
"""

INVENTORY_ITEMS = """
query InventoryItems($first: Int!, $location: ID!) {
  inventoryItems(first: $first) {
    nodes {
      id sku
      inventoryLevel(locationId: $location) {
        quantities(names: ["available", "on_hand"]) { name quantity }
      }
    }
  }
}
"""

ORDERS = """
query Orders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys,
             $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt processedAt cancelledAt cancelReason closedAt
      displayFinancialStatus displayFulfillmentStatus email note tags
      customer { id displayName email emailMarketingConsent { marketingState } }
      shippingAddress { name company address1 address2 city provinceCode zip countryCodeV2 phone }
      shippingLines(first: 2) {
        nodes { title code source originalPriceSet { shopMoney { amount currencyCode } } }
      }
      totalPriceSet { shopMoney { amount currencyCode } }
      currentTotalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 5) {
        nodes {
          id sku title variantTitle quantity currentQuantity requiresShipping
          variant { id }
          originalUnitPriceSet { shopMoney { amount currencyCode } }
        }
      }
      fulfillments(first: 2) { id status trackingInfo { company number url } createdAt }
      fulfillmentOrders(first: 2) {
        nodes {
          id status updatedAt
          assignedLocation { location { id } }
          lineItems(first: 5) { nodes { id remainingQuantity totalQuantity lineItem { id } } }
        }
      }
    }
  }
}
"""

ORDER_IDS = """
query OrderIds($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys,
               $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name createdAt updatedAt displayFulfillmentStatus cancelledAt closed } }
  }
}
"""

ORDERS_LAST = """
query OrdersLast($last: Int!, $before: String) {
  orders(last: $last, before: $before) {
    pageInfo { hasPreviousPage startCursor }
    nodes { id name }
  }
}
"""

ORDERS_NO_PAGE_SIZE = """
query OrdersNoFirst { orders(query: "status:open") { nodes { id } } }
"""

ORDER = """
query Order($id: ID!) {
  order(id: $id) {
    id name updatedAt displayFulfillmentStatus note closed cancelledAt
    shippingAddress { zip countryCodeV2 provinceCode city address1 }
    shippingLines(first: 1) { nodes { title code } }
    lineItems(first: 10) { nodes { id sku quantity currentQuantity variant { id } } }
    fulfillments(first: 5) { id name status trackingInfo(first: 3) { company number url } }
    fulfillmentOrders(first: 5) {
      nodes {
        id status
        assignedLocation { name location { id name } }
        lineItems(first: 10) {
          nodes {
            id remainingQuantity totalQuantity
            lineItem {
              id sku
              variant {
                inventoryItem {
                  id
                  ca: inventoryLevel(locationId: "gid://shopify/Location/72001001") {
                    quantities(names: ["available", "on_hand"]) { name quantity }
                  }
                  pa: inventoryLevel(locationId: "gid://shopify/Location/72001002") {
                    quantities(names: ["available", "on_hand"]) { name quantity }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
"""

ORDER_WITH_FRAGMENT = """
query OrderFragment($id: ID!) {
  order(id: $id) { ...OrderBits __typename }
}
fragment OrderBits on Order {
  id name
  lineItems(first: 3) { edges { cursor node { ... on LineItem { sku } } } }
}
"""

BAD_QUANTITY_NAME = """
query BadQuantity($id: ID!) {
  inventoryItem(id: $id) {
    inventoryLevels(first: 2) { nodes { quantities(names: ["plenty"]) { name quantity } } }
  }
}
"""

FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}
"""

FULFILLMENT_ORDER_MOVE = """
mutation FulfillmentOrderMove($id: ID!, $newLocationId: ID!,
                              $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
  fulfillmentOrderMove(id: $id, newLocationId: $newLocationId,
                       fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
    movedFulfillmentOrder {
      id status assignedLocation { location { id } }
      lineItems(first: 10) { nodes { id remainingQuantity totalQuantity } }
    }
    originalFulfillmentOrder {
      id status
      lineItems(first: 10) { nodes { id remainingQuantity totalQuantity } }
    }
    userErrors { field message }
  }
}
"""

INVENTORY_ADJUST = """
mutation InventoryAdjust($input: InventoryAdjustQuantitiesInput!) {
  inventoryAdjustQuantities(input: $input) {
    inventoryAdjustmentGroup {
      reason referenceDocumentUri
      changes { name delta quantityAfterChange }
    }
    userErrors { field message code }
  }
}
"""

INVENTORY_SET = """
mutation InventorySet($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}
"""

COST_SMALL = """
query CostSmall { orders(first: 10) { nodes { id name } } }
"""

COST_NESTED = """
query CostNested {
  orders(first: 5) {
    edges { node { id customer { id } lineItems(first: 3) { nodes { id variant { id } } } } }
  }
}
"""

COST_TOO_BIG = """
query CostTooBig { orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }
"""

APP_SCOPES = """
query AppScopes { currentAppInstallation { accessScopes { handle } } }
"""

CUSTOMER_EMAIL = """
query CustomerEmail($id: ID!) {
  order(id: $id) {
    customer {
      email
      emailMarketingConsent { marketingState }
      defaultEmailAddress { emailAddress marketingState }
    }
  }
}
"""

ORDER_LINES_PAGE = """
query OrderLinesPage($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id sku quantity }
    }
  }
}
"""

ORDER_FULFILLMENT_ORDERS_PAGE = """
query OrderFulfillmentOrdersPage($id: ID!, $first: Int!, $after: String, $lines: Int = 10) {
  order(id: $id) {
    fulfillmentOrders(first: $first, after: $after) {
      pageInfo { hasNextPage hasPreviousPage endCursor }
      nodes {
        id
        status
        assignedLocation { location { id name } }
        lineItems(first: $lines) { pageInfo { hasNextPage endCursor } nodes { id } }
      }
    }
  }
}
"""

FULFILLMENT_ORDER_LINES_PAGE = """
query FulfillmentOrderLinesPage($id: ID!, $first: Int!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: $first, after: $after) {
      pageInfo { hasNextPage hasPreviousPage endCursor }
      nodes { id remainingQuantity lineItem { id } }
    }
  }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    id
    __typename
    ... on Order { name }
    ... on BulkOperation { status }
  }
}
"""

WEBHOOK_SUBSCRIBE = """
mutation WebhookSubscribe($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
    webhookSubscription { id topic uri format apiVersion { handle } }
    userErrors { field message }
  }
}
"""

WEBHOOK_SUBSCRIPTIONS = """
query WebhookSubscriptions($first: Int!, $after: String, $topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: $first, after: $after, topics: $topics) {
    pageInfo { hasNextPage endCursor }
    nodes { id topic uri createdAt }
  }
}
"""

WEBHOOK_UNSUBSCRIBE = """
mutation WebhookUnsubscribe($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}
"""

BULK_RUN = """
mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""

BULK_CURRENT = """
query BulkCurrent {
  currentBulkOperation {
    id status errorCode objectCount rootObjectCount fileSize url partialDataUrl
    createdAt completedAt query type
  }
}
"""

BULK_NODE = """
query BulkNode($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount url partialDataUrl } }
}
"""

BULK_CANCEL = """
mutation BulkCancel($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } }
}
"""

COST_DEFAULTS = """
query CostDefaults($first: Int = 25, $lines: Int = 10) {
  orders(first: $first) { nodes { id lineItems(first: $lines) { nodes { id } } } }
}
"""

# Deliberately invalid (Order has no `weight`): kept out of ALL, shows validation errors.
INVALID_FIELD = "{ orders(first: 1) { nodes { weight } } }"

ALL = {
    name: text
    for name, text in globals().items()
    if name.isupper() and isinstance(text, str) and name != "INVALID_FIELD"
}
QUERIES = {name: text for name, text in ALL.items() if text.lstrip().startswith("query")}


def packdesk_operations() -> dict[str, str]:
    """packdesk's own operations (adapters/shopify/operations/*.graphql), with the fragments
    their `#import "Name"` lines pull in, as packdesk's client sends them."""
    out = {}
    for path in sorted(PACKDESK_OPERATIONS.glob("*.graphql")):
        text = path.read_text()
        parts = [text]
        for line in text.splitlines():
            if line.startswith("#import "):
                name = line.removeprefix("#import ").strip().strip('"')
                parts.append((PACKDESK_OPERATIONS / "fragments" / f"{name}.graphql").read_text())
        out[path.stem] = "\n".join(parts)
    return out
