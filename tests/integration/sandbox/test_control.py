"""The control API's own behaviour: time, health, bad input."""

from __future__ import annotations

from datetime import datetime

import httpx

from packdesk.sandbox.server import SandboxInfo, SandboxServer


def test_time_advances_and_only_forward(sandbox: SandboxInfo) -> None:
    before = datetime.fromisoformat(httpx.get(f"{sandbox.control_url}/time").json()["now"])
    moved = httpx.post(f"{sandbox.control_url}/time/advance", json={"seconds": 90})
    assert moved.status_code == 200
    after = datetime.fromisoformat(moved.json()["now"])
    assert 90 <= (after - before).total_seconds() < 100
    for body in ({"seconds": -5}, {"weeks": 1}, {}, ["days"]):
        answer = httpx.post(f"{sandbox.control_url}/time/advance", json=body)
        assert answer.status_code == 400
        assert answer.json()["error"]


def test_server_clock_is_the_control_clock(
    sandbox_server: SandboxServer, sandbox: SandboxInfo
) -> None:
    shown = datetime.fromisoformat(httpx.get(f"{sandbox.control_url}/time").json()["now"])
    assert abs((sandbox_server.clock.now() - shown).total_seconds()) < 5


def test_info_urls_and_tokens(sandbox: SandboxInfo) -> None:
    assert (
        sandbox.shopify_url
        == f"{sandbox.shopify_endpoint}/admin/api/{sandbox.api_version}/graphql.json"
    )
    assert sandbox.shippo_token.startswith("shippo_test_")
    assert sandbox.control_url.endswith("/control")
    assert httpx.get(sandbox.control_url).json()["ok"] is True


def test_rate_limit_control_refuses_unknown_kinds(sandbox: SandboxInfo) -> None:
    answer = httpx.put(f"{sandbox.control_url}/shippo/rate_limits", json={"put": 3})
    assert answer.status_code == 400
    assert "unknown rate limit" in answer.json()["error"]


def test_every_order_is_listed_a_page_at_a_time(sandbox: SandboxInfo) -> None:
    made = httpx.post(f"{sandbox.control_url}/shopify/orders", json={}).json()
    listed: list[dict[str, object]] = []
    page: int | None = 1
    while page is not None:
        answer = httpx.get(
            f"{sandbox.control_url}/shopify/orders", params={"page": page, "limit": 120}
        ).json()
        listed.extend(answer["orders"])
        page = answer["next_page"]
    names = [o["name"] for o in listed]
    assert names[:2] == ["#1001", "#1002"]
    assert names[-1] == made["name"]
    assert len(names) == len(set(names)) > 300
    bad = httpx.get(f"{sandbox.control_url}/shopify/orders", params={"limit": 0})
    assert bad.status_code == 400
