"""What `packdesk setup` asks the outside world while the owner answers its questions: is this
Shopify token good and what may it do, which locations does the store have, is this Shippo
token good and which carriers come with it, does this printer print.

Each check answers with what it found or raises `SetupProblem` with one sentence saying
what to do; none of them writes anything or keeps a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from packdesk.adapters.printers import make_printer
from packdesk.adapters.printers.testprint import printer_test_document
from packdesk.adapters.shippo import ShippoCarrier
from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.errors import ShopifyAuthError, ShopifyError, ShopifyUnavailable
from packdesk.adapters.shopify.scopes import AccessScope, missing_scopes
from packdesk.adapters.shopify.shop import ShopifyShop
from packdesk.bootstrap.printers import list_cups_queues
from packdesk.domain.models import Location
from packdesk.domain.ports import PrinterUnavailable, PrintRefused
from packdesk.domain.rating import RateRules
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable
from packdesk.services.carriers import CarrierAccountsService, CarrierUse
from packdesk.settings import PrinterSettings, ShopifySettings, is_placeholder_token

SHIPPO_TOKEN_PREFIXES = ("shippo_test_", "shippo_live_")


class SetupProblem(Exception):
    """A check failed; the message is one sentence with what to do."""


@dataclass(frozen=True)
class ShopAccess:
    """What a Shopify token opens: the shop's name, the scopes it lacks, the locations."""

    shop_name: str
    domain: str
    """The shop's myshopify.com domain as Shopify names it."""
    missing: tuple[AccessScope, ...]
    locations: tuple[Location, ...]


@dataclass(frozen=True)
class ShippoAccess:
    mode: str
    """TEST or LIVE."""
    carriers: tuple[CarrierUse, ...]


def connect_shop(shop: str, token: str, *, endpoint: str = "") -> ShopAccess:
    """Ask the shop with `token` for its name, the token's scopes and the shop's locations."""
    if is_placeholder_token(token):
        raise SetupProblem(
            "That is a placeholder, not a token: copy the Admin API access token from the "
            "app's API credentials (docs/shopify.md says where) and paste it whole."
        )
    settings = ShopifySettings(shop=shop, endpoint=endpoint)
    client = ShopifyClient(
        settings.graphql_url(), token, timeout_s=settings.timeout_s, max_attempts=2
    )
    try:
        with client:
            access = client.execute("ShopAccess")
            scopes = (access.get("currentAppInstallation") or {}).get("accessScopes") or []
            missing = tuple(missing_scopes(str(scope.get("handle")) for scope in scopes))
            lacks_locations = any(m.handle == "read_locations" for m in missing)
            locations = () if lacks_locations else tuple(ShopifyShop(client).locations())
    except ShopifyAuthError as exc:
        raise SetupProblem(
            "Shopify refused this token: copy the Admin API access token again from the app's "
            "API credentials (docs/shopify.md says where) and paste it whole."
        ) from exc
    except ShopifyUnavailable as exc:
        raise SetupProblem(
            f"{shop} did not answer ({exc}); check the shop's domain and the network."
        ) from exc
    except ShopifyError as exc:
        raise SetupProblem(f"Shopify did not answer as expected: {exc}") from exc
    found = access.get("shop") or {}
    name = str(found.get("name") or shop)
    return ShopAccess(name, str(found.get("myshopifyDomain") or shop), missing, locations)


def connect_shippo(
    token: str, *, endpoint: str = "", rules: RateRules | None = None
) -> ShippoAccess:
    """Ask Shippo with `token` for the account's carrier accounts (a call that buys nothing)."""
    if not token.startswith(SHIPPO_TOKEN_PREFIXES):
        raise SetupProblem(
            "A Shippo API token starts with shippo_test_ or shippo_live_: copy it from "
            "the Shippo API portal, API configuration → Developer keys (docs/shippo.md)."
        )
    if is_placeholder_token(token):
        raise SetupProblem(
            "That is a placeholder, not a token: copy a token from the Shippo API portal, "
            "API configuration → Developer keys (docs/shippo.md)."
        )
    carrier = ShippoCarrier(token, endpoint=endpoint, timeout_s=20)
    try:
        uses = CarrierAccountsService(carrier, rules or RateRules()).report()
    except CarrierRefused as exc:
        raise SetupProblem(
            "Shippo refused this token: copy it again from the Shippo API portal (API "
            "configuration → Developer keys); a key is shown whole only once."
        ) from exc
    except CarrierUnavailable as exc:
        raise SetupProblem(f"Shippo did not answer ({exc}); check the network.") from exc
    mode = "TEST" if token.startswith("shippo_test_") else "LIVE"
    return ShippoAccess(mode, tuple(uses))


def cups_queues() -> list[tuple[str, str]]:
    """The CUPS queues this machine prints to, as (queue, device URI)."""
    return list_cups_queues()


def print_test(printer: PrinterSettings, station: str, at: datetime) -> str:
    """Print the test label or page of `printer` now; returns where it went."""
    try:
        driver = make_printer(printer.name, printer.kind, printer.target, dict(printer.options))
        document, content_type, data = printer_test_document(
            printer.kind, printer.role, printer.name, station, at, dict(printer.options)
        )
        driver.send(document, content_type, data)
    except ValueError as exc:
        raise SetupProblem(str(exc)) from exc
    except (PrinterUnavailable, PrintRefused) as exc:
        raise SetupProblem(str(exc).replace("; the job waits in the queue.", ".")) from exc
    return driver.describe_target()
