"""Admin GraphQL over real HTTP to the session's sandbox, for the tests beside this file."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from packdesk.sandbox.server import SandboxInfo


def post(
    info: SandboxInfo,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    version: str | None = None,
    token: str | None = None,
) -> httpx.Response:
    """POST one operation; `version` picks the URL's API version (the sandbox's own if None)."""
    url = info.shopify_url
    if version is not None:
        url = f"{info.shopify_endpoint}/admin/api/{version}/graphql.json"
    return httpx.post(
        url,
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": token or info.shopify_token},
        timeout=30,
    )


def data(info: SandboxInfo, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
    """The answer's data, after checking it has no errors."""
    answer = post(info, query, variables, **kw)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def control(info: SandboxInfo, method: str, path: str, **kw: Any) -> httpx.Response:
    """A call to /control/shopify/<path>."""
    return httpx.request(method, f"{info.control_url}/shopify/{path}", timeout=30, **kw)


def wait_for(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll until `check()` returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.02)
