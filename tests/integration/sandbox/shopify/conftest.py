"""Fixtures: a demo shop on a Starlette app, reached through Starlette's TestClient."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from packdesk.sandbox.shopify import ShopifySandbox

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TOKEN = "sandbox-shopify-token"
SECRET = "sandbox-webhook-secret"
URL = "/admin/api/2024-12/graphql.json"
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.at = START

    def now(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


class Shop:
    """A ShopifySandbox plus an HTTP client on its routes, and small helpers."""

    def __init__(self, sandbox: ShopifySandbox, clock: Clock) -> None:
        self.sandbox = sandbox
        self.clock = clock
        app = Starlette(
            routes=[*sandbox.routes(), Mount("/control/shopify", routes=sandbox.control_routes())]
        )
        self.http = TestClient(app)

    def post(self, query: str, variables: dict[str, Any] | None = None, token: str = TOKEN) -> Any:
        r = self.http.post(
            URL,
            json={"query": query, "variables": variables or {}},
            headers={"X-Shopify-Access-Token": token},
        )
        assert r.status_code == 200, r.text
        return r.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        answer = self.post(query, variables)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


def make_shop(orders: int = 300, seed: int = 7, **kwargs: Any) -> Shop:
    clock = Clock()
    sandbox = ShopifySandbox(
        shop="brightminds-sandbox",
        access_token=TOKEN,
        webhook_secret=SECRET,
        seed=seed,
        orders=orders,
        now=clock.now,
        **kwargs,
    )
    return Shop(sandbox, clock)


@pytest.fixture
def shop() -> Iterator[Shop]:
    s = make_shop()
    s.sandbox.bucket.configure(enabled=False)
    yield s
    s.sandbox.close()


@pytest.fixture(scope="module")
def shop_ro() -> Iterator[Shop]:
    """A shop that tests only read (shared by a module to keep the suite quick)."""
    s = make_shop()
    s.sandbox.bucket.configure(enabled=False)
    yield s
    s.sandbox.close()
