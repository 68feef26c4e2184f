"""`packdesk doctor`'s Shopify checks: the token opens the configured shop, Shopify answers
with the configured API version, the token has every access scope packdesk needs (each
missing one named with what breaks without it), and [station].location is one of the shop's
locations.

They ask Shopify live, through the same client and operations packdesk runs on, with few
retries: a doctor that waits minutes helps nobody.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.errors import ShopifyAuthError, ShopifyError, ShopifyUnavailable
from packdesk.adapters.shopify.receiver import shop_domain
from packdesk.adapters.shopify.scopes import ACCESS_SCOPES, HOW_TO_GRANT, missing_scopes
from packdesk.adapters.shopify.shop import ShopifyShop
from packdesk.bootstrap.checks import Check
from packdesk.settings import Settings

GRANT = HOW_TO_GRANT.replace(", then run `packdesk doctor`", "")
"""The fix of a missing scope."""


def shopify_checks(settings: Settings) -> Iterator[Check]:
    """The Shopify lines of `packdesk doctor`, in the order a person would fix them."""
    token = settings.shopify.access_token.get_secret_value()
    if not token:
        yield Check(
            "shopify",
            False,
            "no access token",
            "set [shopify].access_token (or PACKDESK_SHOPIFY__ACCESS_TOKEN)",
        )
        return
    where = str(settings.source_path or "the config file")
    with ShopifyClient(
        settings.shopify.graphql_url(),
        token,
        timeout_s=min(settings.shopify.timeout_s, 10.0),
        config_file=where,
        max_attempts=2,
        backoff_base_s=0.2,
    ) as client:
        try:
            access = client.execute("ShopAccess")
        except ShopifyError as exc:
            yield _unreachable(settings, exc, where)
            return
        yield from _shop(settings, access, where)
        yield _api_version(client)
        handles = [
            str(s.get("handle"))
            for s in (access.get("currentAppInstallation") or {}).get("accessScopes") or []
        ]
        missing = missing_scopes(handles)
        for scope in missing:
            yield Check(f"shopify scope {scope.handle}", False, f"missing: {scope.breaks}", GRANT)
        if not missing:
            yield Check(
                "shopify scopes",
                True,
                f"the token has all {len(ACCESS_SCOPES)} scopes packdesk needs",
            )
        if "read_locations" not in {s.handle for s in missing}:
            yield _station_location(settings, ShopifyShop(client))


def _unreachable(settings: Settings, exc: ShopifyError, where: str) -> Check:
    url = settings.shopify.graphql_url()
    if isinstance(exc, ShopifyAuthError):
        if "(401)" in str(exc):
            return Check(
                "shopify",
                False,
                "the access token was refused (401)",
                f"check [shopify].access_token in {where}",
            )
        return Check("shopify", False, str(exc), GRANT)
    if isinstance(exc, ShopifyUnavailable):
        return Check(
            "shopify",
            False,
            f"cannot reach {url}",
            "check the network and [shopify].shop / [shopify].endpoint",
        )
    return Check("shopify", False, str(exc), f"check [shopify].shop and api_version in {where}")


def _shop(settings: Settings, access: dict[str, Any], where: str) -> Iterator[Check]:
    shop = access.get("shop") or {}
    name = str(shop.get("name") or "?")
    domain = str(shop.get("myshopifyDomain") or "")
    configured = shop_domain(settings.shopify.shop)
    yield Check("shopify", True, f"connected to {name!r} ({domain or configured})")
    if domain and domain != configured:
        yield Check(
            "shopify shop",
            False,
            f"[shopify].shop is {settings.shopify.shop!r} but the token opens {domain}; the "
            "webhook receiver would drop every delivery",
            f'set [shopify].shop = "{domain}" in {where}',
        )


def _api_version(client: ShopifyClient) -> Check:
    versions = client.versions
    if versions.warning():
        return Check(
            "shopify api version",
            False,
            f"asked for {versions.configured}, Shopify answered with {versions.answered} "
            f"({versions.configured} is past its support window or unknown)",
            versions.fix(),
        )
    return Check("shopify api version", True, f"Shopify answers with {versions.answered}")


def _station_location(settings: Settings, shop: ShopifyShop) -> Check:
    wanted = settings.station.location
    try:
        locations = shop.locations()
    except ShopifyError as exc:
        return Check("station location", False, str(exc), "run `packdesk doctor` again")
    found = [loc for loc in locations if loc.answers_to(wanted)]
    if found:
        here = sorted(found, key=lambda loc: not loc.active)[0]
        state = "" if here.active else " (inactive in Shopify)"
        return Check(
            "station location",
            here.active,
            f"{wanted!r} is Shopify location {here.name!r} ({here.id}){state}",
            "activate the location in Shopify or choose another for [station].location",
        )
    names = ", ".join(repr(loc.name) for loc in locations if loc.active) or "none"
    return Check(
        "station location",
        False,
        f"no Shopify location is named, coded or numbered {wanted!r}; the shop has {names}",
        "set [station].location to one of those names (or its id)",
    )
