"""The client reads the API version Shopify answered with on every answer, against the
sandbox's Shopify (which answers versions as Shopify does on 2026-12-01): a retired version
is answered as the oldest supported one, and packdesk says so with the fix."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.shopify.versions import API_VERSION, ApiVersionWatch
from packdesk.bootstrap import Container
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import Settings, ShopifySettings, StationSettings


def client_for(sandbox: SandboxInfo, version: str) -> ShopifyClient:
    url = f"{sandbox.shopify_endpoint}/admin/api/{version}/graphql.json"
    return ShopifyClient(url, sandbox.shopify_token, config_file="/etc/packdesk.toml")


def test_packdesk_asks_for_the_version_it_is_written_for() -> None:
    assert ShopifySettings().api_version == API_VERSION == "2026-10"


def test_the_configured_version_answered_as_itself_says_nothing(
    sandbox: SandboxInfo, caplog: pytest.LogCaptureFixture
) -> None:
    with client_for(sandbox, "2026-10") as c, caplog.at_level(logging.WARNING):
        c.execute("Shop")
        assert c.versions.answered == "2026-10"
        assert c.versions.warning() == ""
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_sunset_version_is_reported_once_with_the_fix(
    sandbox: SandboxInfo, caplog: pytest.LogCaptureFixture
) -> None:
    with client_for(sandbox, "2025-10") as c, caplog.at_level(logging.WARNING):
        for _ in range(3):
            c.execute("Shop")
        assert c.versions.answered == "2026-01"
        warning = c.versions.warning()
    assert warning == (
        "Shopify answered with Admin API version 2026-01, not 2025-10 ([shopify].api_version): "
        "2025-10 is past its support window or not a version Shopify offers, so answers may "
        'lack what packdesk reads; set [shopify].api_version = "2026-10" in /etc/packdesk.toml '
        "(the version this packdesk is written for)."
    )
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert logged == [warning]


def test_packdesks_own_version_retired_asks_for_a_newer_packdesk(
    sandbox: SandboxInfo,
) -> None:
    moved = httpx.put(
        f"{sandbox.control_url}/shopify/api_versions",
        json={"date": "2027-11-15T00:00:00Z"},
        timeout=10,
    )
    assert moved.json()["oldest_supported"] == "2027-01"
    with client_for(sandbox, API_VERSION) as c:
        c.execute("Shop")
        assert c.versions.answered == "2027-01"
        assert c.versions.warning().endswith(
            "update packdesk to a release written for a newer Admin API version."
        )


def test_a_watch_shared_by_two_clients_knows_the_last_answer(sandbox: SandboxInfo) -> None:
    watch = ApiVersionWatch("2025-10")
    url = f"{sandbox.shopify_endpoint}/admin/api/2025-10/graphql.json"
    with (
        ShopifyClient(url, sandbox.shopify_token, versions=watch) as one,
        ShopifyClient(url, sandbox.shopify_token, versions=watch, max_attempts=1) as two,
    ):
        assert watch.answered == ""
        two.execute("Shop")
        assert one.versions is watch
        assert watch.answered == "2026-01"


def test_the_health_report_carries_the_warning(sandbox: SandboxInfo, tmp_path: Path) -> None:
    """What the status bar shows: the container's clients share one watch."""
    settings = Settings(
        station=StationSettings(data_dir=str(tmp_path)),
        shopify=ShopifySettings(
            shop=sandbox.shop,
            api_version="2025-10",
            access_token=sandbox.shopify_token,
            endpoint=sandbox.shopify_endpoint,
        ),
    )
    with Container(settings) as container:
        assert container.health.report().shopify_api_warning == ""
        container.outbox_client.execute("Shop")
        warning = container.health.report().shopify_api_warning
        assert warning.startswith("Shopify answered with Admin API version 2026-01, not 2025-10")
        assert container.sync_client.versions is container.outbox_client.versions
