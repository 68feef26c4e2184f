"""Shopify's ACCESS_DENIED (HTTP 200, a GraphQL error) becomes the sentence that names the
missing scope, what breaks without it and the fix, wherever packdesk meets it: a sync, an
outbox delivery. Against the sandbox's Shopify with tokens made for the test."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.errors import ShopifyAuthError, ShopifyScopeError
from packdesk.adapters.shopify.fulfillments import ShopifyFulfillments
from packdesk.adapters.shopify.scopes import ACCESS_SCOPES, denied_sentence, required_access
from packdesk.adapters.shopify.shop import ShopifyShop
from packdesk.bootstrap import Container
from packdesk.domain.outbox import DeliveryFailed, FulfillmentRequest
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import Settings, ShopifySettings, StationSettings


def token_without(sandbox: SandboxInfo, *left_out: str) -> str:
    scopes = [s.handle for s in ACCESS_SCOPES if s.handle not in left_out]
    made = httpx.post(f"{sandbox.control_url}/shopify/tokens", json={"scopes": scopes}, timeout=10)
    assert made.status_code == 201, made.text
    return str(made.json()["access_token"])


def test_the_scope_is_read_from_shopifys_error() -> None:
    error = {
        "message": "Access denied for fulfillmentCreate field.",
        "extensions": {
            "code": "ACCESS_DENIED",
            "requiredAccess": "`write_assigned_fulfillment_orders` access scope or "
            "`write_merchant_managed_fulfillment_orders` access scope.",
        },
    }
    assert required_access(error) == [
        "write_merchant_managed_fulfillment_orders",
        "write_assigned_fulfillment_orders",
    ]
    no_extension = {"message": "Access denied for customer field. Required access: "
                    "`read_customers` access scope."}  # fmt: skip
    assert required_access(no_extension) == ["read_customers"]
    assert denied_sentence("Thing", ["read_unknown"]) == (
        "Shopify refused Thing: the access token lacks `read_unknown`. To fix it, grant it to "
        "packdesk's app in Shopify (the app's Admin API access scopes) and install the app "
        "again, then run `packdesk doctor`."
    )


def test_an_order_read_without_read_customers_names_the_scope(sandbox: SandboxInfo) -> None:
    token = token_without(sandbox, "read_customers")
    with (
        ShopifyClient(sandbox.shopify_url, token) as client,
        pytest.raises(ShopifyScopeError) as refused,
    ):
        ShopifyShop(client).orders_page(query="", after="", first=5)
    assert refused.value.scopes == ["read_customers"]
    assert str(refused.value) == (
        "Shopify refused Orders: the access token lacks the `read_customers` access scope; "
        "without `read_customers`, customers' names, e-mail addresses and marketing consent "
        "are hidden, so order sync fails and no customer e-mail can be sent. To fix it, grant "
        "it to packdesk's app in Shopify (the app's Admin API access scopes) and install the "
        "app again, then run `packdesk doctor`."
    )
    assert isinstance(refused.value, ShopifyAuthError)


def test_a_sync_records_the_sentence(sandbox: SandboxInfo, tmp_path: Path) -> None:
    token = token_without(sandbox, "read_locations")
    settings = Settings(
        station=StationSettings(data_dir=str(tmp_path)),
        shopify=ShopifySettings(
            shop=sandbox.shop, access_token=token, endpoint=sandbox.shopify_endpoint
        ),
    )
    with Container(settings) as container:
        result = container.sync.run("locations")
        assert not result.ok
        assert result.error.startswith(
            "Shopify refused Locations: the access token lacks the `read_locations` access scope"
        )
        assert container.store.sync.status("locations").last_error == result.error


def test_an_outbox_fulfillment_waits_for_the_scope(sandbox: SandboxInfo) -> None:
    """Retrying cannot help until the owner grants the scope, and then it must: the item
    fails with the sentence and stays retryable."""
    token = token_without(sandbox, "write_merchant_managed_fulfillment_orders")
    with (
        ShopifyClient(sandbox.shopify_url, token, max_attempts=1) as client,
        pytest.raises(DeliveryFailed) as failed,
    ):
        ShopifyFulfillments(client).create_fulfillment(
            FulfillmentRequest(order_id="gid://shopify/Order/1", fulfillment_orders=())
        )
    assert not failed.value.permanent
    assert "lacks the `write_merchant_managed_fulfillment_orders` access scope" in str(failed.value)
