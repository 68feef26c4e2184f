"""The GraphQL client against a loopback peer: throttling, retries and clear refusals."""

from __future__ import annotations

import pytest
from starlette.responses import JSONResponse, PlainTextResponse

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.errors import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyQueryError,
    ShopifyUnavailable,
)

from .shopify_peer import Peer, serve_peer


def client(url: str, **kw: object) -> ShopifyClient:
    return ShopifyClient(
        url,
        "sandbox-token",
        timeout_s=5,
        config_file="/etc/packdesk.toml",
        backoff_base_s=0.01,
        **kw,  # type: ignore[arg-type]
    )


def test_waits_for_the_bucket_instead_of_being_throttled() -> None:
    peer = Peer(bucket_size=100, restore_rate=200, cost=40, available=100)
    with serve_peer(peer) as url, client(url) as c:
        for _ in range(15):
            assert c.execute("Shop") == {"shop": {"name": "Peer"}}
        # the first query's cost is unknown until its answer; after that the client waits
        assert peer.throttled == 0
        assert c.stats.waited_s > 0
        assert c.stats.cost_used == 15 * 40
        assert set(peer.tokens) == {"sandbox-token"}


def test_throttled_answers_are_retried_never_raised() -> None:
    # the peer says "Throttled" with a bucket our estimate cannot foresee (another app spends it)
    peer = Peer(bucket_size=60, restore_rate=300, cost=50, available=0)
    with serve_peer(peer) as url, client(url) as c:
        for _ in range(5):
            c.execute("Shop")
        assert peer.throttled >= 1
        assert c.stats.throttled == peer.throttled


def test_429_is_retried_after_retry_after() -> None:
    peer = Peer(
        script=[PlainTextResponse("slow down", status_code=429, headers={"Retry-After": "0.05"})]
    )
    with serve_peer(peer) as url, client(url) as c:
        assert c.execute("Shop")["shop"]["name"] == "Peer"
        assert c.stats.throttled == 1


def test_5xx_are_retried_with_backoff() -> None:
    peer = Peer(script=[PlainTextResponse("oops", status_code=502)] * 3)
    with serve_peer(peer) as url, client(url) as c:
        assert c.execute("Shop")["shop"]["name"] == "Peer"
        assert c.stats.retries == 3


def test_5xx_forever_becomes_one_sentence() -> None:
    peer = Peer(script=[PlainTextResponse("oops", status_code=503)] * 10)
    with (
        serve_peer(peer) as url,
        client(url, max_attempts=3) as c,
        pytest.raises(ShopifyUnavailable, match=r"after 3 tries \(last: HTTP 503\)"),
    ):
        c.execute("Shop")


def test_a_dead_server_is_retried_then_one_sentence() -> None:
    url = "http://127.0.0.1:9/admin/api/2025-10/graphql.json"
    with (
        client(url, max_attempts=2) as c,
        pytest.raises(ShopifyUnavailable, match="Check the network"),
    ):
        c.execute("Shop")


def test_a_wrong_token_names_the_key_and_file() -> None:
    peer = Peer(script=[PlainTextResponse("no", status_code=401)])
    with serve_peer(peer) as url, client(url) as c, pytest.raises(ShopifyAuthError) as refused:
        c.execute("Shop")
    assert str(refused.value) == (
        "Shopify refused the access token (401): check [shopify].access_token in "
        "/etc/packdesk.toml."
    )
    assert peer.requests == 1  # never retried


def test_a_wrong_shop_or_version_is_named() -> None:
    peer = Peer(script=[PlainTextResponse("not found", status_code=404)])
    with (
        serve_peer(peer) as url,
        client(url) as c,
        pytest.raises(ShopifyError, match=r"\[shopify\]\.api_version"),
    ):
        c.execute("Shop")


def test_graphql_errors_are_a_query_error_with_a_hint() -> None:
    peer = Peer(
        script=[
            JSONResponse(
                {
                    "errors": [
                        {
                            "message": "Query cost is 1200, which exceeds the single query max cost limit (1000).",
                            "extensions": {"code": "MAX_COST_EXCEEDED"},
                        }
                    ]
                }
            )
        ]
    )
    with (
        serve_peer(peer) as url,
        client(url) as c,
        pytest.raises(ShopifyQueryError, match=r"lower \[sync\]\.page_size"),
    ):
        c.execute("Shop")
