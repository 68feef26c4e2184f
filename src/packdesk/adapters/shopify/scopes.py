"""The access scopes packdesk needs from its custom app, and the check of a token's scopes.

Shopify refuses little out loud: without the fulfillment-order scopes it answers with no
fulfillment orders at all (nothing is packable, no error), without `read_all_orders` it lists
only the last 60 days. So the scopes are compared up front, from
`currentAppInstallation { accessScopes { handle } }`, and each missing one is named with what
breaks without it. A write scope brings its read scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from packdesk.adapters.shopify.client import ShopifyClient

REQUIRED_SCOPES: dict[str, str] = {
    "read_orders": "no order reaches the station",
    "read_all_orders": "orders older than 60 days stay out of sync and history",
    "read_merchant_managed_fulfillment_orders": (
        "Shopify answers with no fulfillment orders, so no order is packable"
    ),
    "write_merchant_managed_fulfillment_orders": (
        "no fulfillment with tracking is created in Shopify"
    ),
    "read_products": "no barcodes, SKUs or weights, so no scan is recognised",
    "read_inventory": "stock levels are not synced",
    "write_inventory": "receiving and stock counts cannot change stock in Shopify",
    "read_locations": "the station cannot find its location or its ship-from address",
    "read_customers": "customer names and marketing consent are missing, so no marketing "
    "e-mail goes out",
}
"""Every access scope packdesk needs, with what breaks without it."""


@dataclass(frozen=True)
class MissingScope:
    handle: str
    consequence: str

    def sentence(self) -> str:
        return f"{self.handle}: without it {self.consequence}."


def granted_scopes(client: ShopifyClient) -> frozenset[str]:
    """The scopes the client's token has, with the read scope each write scope brings."""
    data = client.execute("AccessScopes")
    handles = {
        str(scope.get("handle", ""))
        for scope in (data.get("currentAppInstallation") or {}).get("accessScopes") or []
        if isinstance(scope, dict)
    }
    handles |= {"read_" + h.removeprefix("write_") for h in handles if h.startswith("write_")}
    return frozenset(handles)


def missing_scopes(client: ShopifyClient) -> list[MissingScope]:
    """The scopes packdesk needs that the client's token lacks, in REQUIRED_SCOPES order."""
    granted = granted_scopes(client)
    return [
        MissingScope(handle, consequence)
        for handle, consequence in REQUIRED_SCOPES.items()
        if handle not in granted
    ]
