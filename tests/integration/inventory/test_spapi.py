"""The SP-API adapter over real HTTP against the sandbox's copy of Amazon: summaries paged
by nextToken, the Reports API end to end, and every way Amazon fails — throttling, expired
access tokens and page tokens, FATAL and CANCELLED reports, expired document URLs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from packdesk.adapters.amazon.lwa import LwaTokens
from packdesk.adapters.amazon.spapi import Pacing, SpApiFba
from packdesk.domain.ports.inventory import FbaUnavailable
from packdesk.sandbox.server import SandboxInfo, SandboxServer


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def fba(
    sandbox: SandboxInfo, http: httpx.Client, *, source: str = "summaries", **pacing: Any
) -> SpApiFba:
    tokens = LwaTokens(
        http,
        client_id=sandbox.amazon_client_id,
        client_secret=sandbox.amazon_client_secret,
        refresh_token=pacing.pop("refresh_token", sandbox.amazon_refresh_token),
        url=sandbox.amazon_token_url,
    )
    return SpApiFba(
        tokens,
        http,
        marketplace_id=sandbox.amazon_marketplace_id,
        endpoint=sandbox.amazon_url,
        source=source,
        pacing=Pacing(backoff_s=0.01, report_poll_s=0.01, **pacing),
    )


def control(sandbox: SandboxInfo, method: str, path: str, body: Any = None) -> Any:
    answer = httpx.request(method, f"{sandbox.control_url}{path}", json=body)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def test_summaries_read_every_sku_with_its_details(
    sandbox: SandboxInfo, http: httpx.Client
) -> None:
    expected = control(sandbox, "GET", "/amazon/inventory")
    snapshot = fba(sandbox, http).fetch()
    assert snapshot.source == "sp-api"
    assert {i.sku for i in snapshot.items} == set(expected)
    for item in snapshot.items:
        q = expected[item.sku]
        assert (item.fulfillable, item.reserved, item.unsellable, item.researching) == (
            q["fulfillable"], q["reserved"], q["unsellable"], q["researching"],
        )  # fmt: skip
        assert item.inbound_working == q["inbound_working"]
        assert item.total == sum(v for k, v in q.items() if k != "rate")


def test_many_skus_come_in_pages_of_fifty(sandbox: SandboxInfo, http: httpx.Client) -> None:
    extra = {f"AMZ-{n:03d}": n for n in range(120)}
    control(
        sandbox,
        "PUT",
        "/amazon/inventory",
        [{"sku": k, "fulfillable": v} for k, v in extra.items()],
    )
    snapshot = fba(sandbox, http).fetch()
    found = {i.sku: i.fulfillable for i in snapshot.items}
    assert all(found[sku] == units for sku, units in extra.items())
    assert len(found) == len(control(sandbox, "GET", "/amazon/inventory")) > 150


def test_throttled_answers_are_waited_out(sandbox: SandboxInfo, http: httpx.Client) -> None:
    control(sandbox, "PUT", "/faults", {"amazon": {"burst_429": 2}})
    control(
        sandbox, "PUT", "/amazon/rate_limits", {"getInventorySummaries": {"rate": 5, "burst": 1}}
    )
    control(sandbox, "PUT", "/amazon/inventory", [{"sku": f"AMZ-{n:03d}"} for n in range(120)])
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    reader = fba(sandbox, http, sleep=sleep)
    assert len(reader.fetch().items) > 150
    assert len(slept) >= 2  # the two 429s, and the sandbox's own bucket


def test_amazon_answering_429_for_ever_is_a_sentence(
    sandbox: SandboxInfo, http: httpx.Client
) -> None:
    control(sandbox, "PUT", "/faults", {"amazon": {"burst_429": 50}})
    with pytest.raises(FbaUnavailable, match=r"kept answering 429 \(QuotaExceeded\)"):
        fba(sandbox, http).fetch()


def test_an_expired_page_token_starts_the_read_over(
    sandbox: SandboxInfo, sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    control(sandbox, "PUT", "/amazon/inventory", [{"sku": f"AMZ-{n:03d}"} for n in range(120)])
    moved: list[bool] = []

    def sleep(seconds: float) -> None:
        if not moved:  # the first wait between pages outlives the page token
            sandbox_server.clock.advance(timedelta(seconds=31))
            moved.append(True)
        time.sleep(seconds)

    snapshot = fba(sandbox, http, sleep=sleep).fetch()
    assert moved
    assert len({i.sku for i in snapshot.items}) == len(snapshot.items) > 150


def test_an_expired_access_token_is_fetched_again(
    sandbox: SandboxInfo, sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    reader = fba(sandbox, http)
    reader.fetch()
    issued = sandbox_server.amazon.tokens_issued
    sandbox_server.clock.advance(timedelta(hours=2))
    reader.fetch()
    assert sandbox_server.amazon.tokens_issued == issued + 1


def test_a_refused_refresh_token_says_how_to_authorise_again(
    sandbox: SandboxInfo, http: httpx.Client
) -> None:
    with pytest.raises(FbaUnavailable, match=r"invalid_grant.*\[amazon\]\.refresh_token"):
        fba(sandbox, http, refresh_token="Atzr|revoked").fetch()


def test_the_report_is_made_polled_downloaded_and_read(
    sandbox: SandboxInfo, http: httpx.Client
) -> None:
    expected = control(sandbox, "GET", "/amazon/inventory")
    snapshot = fba(sandbox, http, source="report").fetch()
    assert snapshot.source == "sp-api"
    assert snapshot.name.startswith("GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA ")
    assert {i.sku: i.fulfillable for i in snapshot.items} == {
        sku: q["fulfillable"] for sku, q in expected.items()
    }
    assert snapshot.encoding == "Windows-1252"
    assert "store" in snapshot.ignored_columns


@pytest.mark.parametrize(
    ("outcome", "sentence"),
    [
        ("FATAL", r"stopped report \d+ \(FATAL\): Report processing failed.*nothing was imported"),
        ("CANCELLED", r"cancelled report \d+ .*no data to return.*nothing was imported"),
    ],
)
def test_a_report_that_ends_badly_is_a_sentence(
    sandbox: SandboxInfo, http: httpx.Client, outcome: str, sentence: str
) -> None:
    control(sandbox, "POST", "/amazon/reports/next", {"outcome": outcome, "polls": 3})
    with pytest.raises(FbaUnavailable, match=sentence):
        fba(sandbox, http, source="report").fetch()


def test_an_expired_document_url_is_asked_for_again(
    sandbox: SandboxInfo, http: httpx.Client
) -> None:
    control(sandbox, "POST", "/amazon/documents/expire", {"count": 1})
    assert fba(sandbox, http, source="report").fetch().items
    control(sandbox, "POST", "/amazon/documents/expire", {"count": 3})
    with pytest.raises(FbaUnavailable, match="URLs kept expiring"):
        fba(sandbox, http, source="report").fetch()
