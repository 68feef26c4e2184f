"""Operations that only Shopify's 2026 versions accept (`@idempotent`, `changeFromQuantity`).

Kept apart from operations.py, whose operations are all held against the 2025-10 schema.
"""

from __future__ import annotations

INVENTORY_ADJUST_IDEMPOTENT = """
mutation InventoryAdjustIdempotent($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}
"""

INVENTORY_SET_IDEMPOTENT = """
mutation InventorySetIdempotent($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}
"""
