"""Values that look like settings but are not: the placeholders of config.example.toml and of
set-up guides (`example.myshopify.com`, `shpat_...`, `shippo_test_xxx`, `<your token>`).

A placeholder left in the config sends packdesk to nowhere, or worse to someone else's shop,
so `packdesk config check`, `doctor` and every command outside demo mode refuse one with the
key and the fix; `packdesk setup` refuses them as they are typed.
"""

from __future__ import annotations

import re

from pydantic import SecretStr

from packdesk.settings.base import ConfigError
from packdesk.settings.model import Settings

TOKENS = (
    (
        "shopify",
        "access_token",
        "paste the Admin API access token of the custom app (docs/shopify.md)",
    ),
    ("shippo", "api_token", "paste a Shippo API token (docs/shippo.md)"),
)
"""The tokens packdesk needs outside demo mode: (section, key, how to get one)."""

TOKEN_PREFIXES = ("shpat_", "shpca_", "shppa_", "shpss_", "shippo_test_", "shippo_live_", "sg.")
"""How Shopify's, Shippo's and SendGrid's tokens begin; what follows is random."""
_FILLER = re.compile(r"[.xX*_\- ]*|(?i:your|<|\[|\{).*")
"""What follows a token's prefix in a placeholder: nothing, dots, x's or stars, or words."""

EXAMPLE_SHOPS = frozenset(
    {"example", "your-shop", "yourshop", "your-store", "yourstore", "shop-name", "store-name"}
)
"""Shop names of guides and of config.example.toml (before `.myshopify.com`)."""
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


def is_placeholder_token(value: str) -> bool:
    """`shpat_...`, `shippo_test_xxx`, `SG.****`, `<token>`: a token's shape, not a token."""
    text = value.strip()
    if text.endswith("...") or text.startswith(("<", "[", "{")):
        return True
    prefix = next((p for p in TOKEN_PREFIXES if text.lower().startswith(p)), None)
    return prefix is not None and _FILLER.fullmatch(text[len(prefix) :]) is not None


def is_placeholder_shop(shop: str) -> bool:
    """`example.myshopify.com`, `your-shop.myshopify.com`, `<shop>.myshopify.com`."""
    name = shop.strip().lower().removesuffix(".myshopify.com")
    return name in EXAMPLE_SHOPS or any(c in name for c in "<>[]{}")


def check_token_placeholders(settings: Settings) -> None:
    """Refuse a Shopify or Shippo token that is a placeholder, naming the key and the fix."""
    where = settings.source_path or "the config file"
    for section, key, fix in TOKENS:
        value: SecretStr = getattr(getattr(settings, section), key)
        if is_placeholder_token(value.get_secret_value()):
            raise ConfigError(
                f"{where}: [{section}].{key} is still the placeholder "
                f"{value.get_secret_value()!r}, not a token: {fix}, or run `packdesk setup`."
            )


def check_placeholders(settings: Settings) -> None:
    """Refuse values copied from config.example.toml or a guide that would send packdesk to
    nowhere or mail from an address no inbox trusts, with the key and the fix (empty tokens
    are `check_tokens`'s business)."""
    check_token_placeholders(settings)
    where = settings.source_path or "the config file"
    shop = settings.shopify.shop.strip().lower()
    if is_placeholder_shop(shop):
        raise ConfigError(
            f"{where}: [shopify].shop is still {shop}, a placeholder: set your shop's "
            "myshopify.com domain (Shopify admin → Settings → Domains), or run `packdesk setup`."
        )
    email = settings.email
    domain = email.from_address.rpartition("@")[2].lower()
    if email.sender != "none" and domain in EXAMPLE_DOMAINS:
        raise ConfigError(
            f"{where}: [email].from_address is {email.from_address}, a placeholder no inbox "
            "accepts mail from: set the address your customers get e-mail from (docs/email.md)."
        )
    key = email.sendgrid_api_key.get_secret_value()
    if email.sender == "sendgrid" and is_placeholder_token(key):
        raise ConfigError(
            f"{where}: [email].sendgrid_api_key is still the placeholder {key!r}: paste a "
            "SendGrid API key with the Mail Send permission (docs/email.md)."
        )
