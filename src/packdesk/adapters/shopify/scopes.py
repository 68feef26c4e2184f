"""The access scopes packdesk's Shopify app needs, each with what breaks without it.

Shopify answers a field outside the token's scopes with HTTP 200 and an error whose
`extensions.code` is `ACCESS_DENIED`, naming the scope in `requiredAccess`; worse, it leaves
fulfillment orders the token has no scope for out of every answer without any error, so a
station without `read_merchant_managed_fulfillment_orders` simply never sees a packable
order. `packdesk doctor` reads the token's scopes (`currentAppInstallation { accessScopes }`)
and names every missing one with its consequence; the client turns an ACCESS_DENIED answer
into the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

HOW_TO_GRANT = (
    "grant it to packdesk's app in Shopify (the app's Admin API access scopes) and install "
    "the app again, then run `packdesk doctor`"
)


@dataclass(frozen=True)
class AccessScope:
    handle: str
    breaks: str
    """What goes wrong without it, in the owner's words."""

    def sentence(self) -> str:
        return f"without `{self.handle}`, {self.breaks}"


ACCESS_SCOPES: tuple[AccessScope, ...] = (
    AccessScope(
        "read_orders",
        "no order reaches the station: sync, the queue and the order webhooks stay empty",
    ),
    AccessScope(
        "read_all_orders",
        "Shopify shows only the last 60 days of orders, so older history, analytics and "
        "reorder figures are missing",
    ),
    AccessScope(
        "read_merchant_managed_fulfillment_orders",
        "Shopify silently leaves the shop's fulfillment orders out of every answer, so no "
        "order is ever packable at any location",
    ),
    AccessScope(
        "write_merchant_managed_fulfillment_orders",
        "Shopify refuses the fulfillments with tracking packdesk creates after each label, "
        "and orders cannot be moved to the warehouse that ships them",
    ),
    AccessScope(
        "read_products",
        "no product or variant is synced, so scans match no barcode or SKU and parcel "
        "weights are unknown",
    ),
    AccessScope(
        "read_inventory",
        "stock levels at the locations are not synced and stock webhooks cannot be received",
    ),
    AccessScope(
        "write_inventory",
        "Shopify refuses the stock changes packdesk sends (adjustments and counts)",
    ),
    AccessScope(
        "read_locations",
        "the station's location and its ship-from address are unknown, so no label can be bought",
    ),
    AccessScope(
        "read_customers",
        "customers' names, e-mail addresses and marketing consent are hidden, so order sync "
        "fails and no customer e-mail can be sent",
    ),
)
"""Every scope packdesk needs, in the order `packdesk doctor` lists them."""

_BY_HANDLE = {scope.handle: scope for scope in ACCESS_SCOPES}
_NAMED = re.compile(r"`([a-z_]+)` access scope")


def with_implied(handles: Iterable[str]) -> frozenset[str]:
    """The scopes a token really has: each `write_x` brings `read_x`."""
    given = set(handles)
    given |= {"read_" + h.removeprefix("write_") for h in given if h.startswith("write_")}
    return frozenset(given)


def missing_scopes(handles: Iterable[str]) -> list[AccessScope]:
    """The scopes packdesk needs that a token with `handles` lacks, in ACCESS_SCOPES order."""
    has = with_implied(handles)
    return [scope for scope in ACCESS_SCOPES if scope.handle not in has]


def required_access(error: Mapping[str, object]) -> list[str]:
    """The scope handles an ACCESS_DENIED error names (`requiredAccess`, else its message),
    those packdesk knows first."""
    extensions = error.get("extensions")
    text = ""
    if isinstance(extensions, dict):
        text = str(extensions.get("requiredAccess") or "")
    text = text or str(error.get("message") or "")
    named = list(dict.fromkeys(_NAMED.findall(text)))
    return sorted(named, key=lambda handle: handle not in _BY_HANDLE)


def denied_sentence(operation: str, handles: list[str]) -> str:
    """Shopify refused `operation` for want of one of `handles`: what breaks, and the fix."""
    known = [_BY_HANDLE[h] for h in handles if h in _BY_HANDLE]
    if known:
        scope = known[0]
        return (
            f"Shopify refused {operation}: the access token lacks the `{scope.handle}` access "
            f"scope; {scope.sentence()}. To fix it, {HOW_TO_GRANT}."
        )
    needs = " or ".join(f"`{h}`" for h in handles) or "an access scope packdesk needs"
    return (
        f"Shopify refused {operation}: the access token lacks {needs}. To fix it, {HOW_TO_GRANT}."
    )
