"""Shippo as a real account answers it: impossible addresses refused, test-mode tracking,
transactions listed and paged the way a reconciling client reads them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from packdesk.sandbox.server import SandboxInfo

from .helpers import AUSTIN, OAKLAND, PARCEL, buy_label, shippo_client

NOWHERE = {
    "name": "Nobody",
    "street1": "1 Nowhere Rd",
    "city": "Nowhere",
    "state": "ZZ",
    "zip": "00000",
    "country": "US",
}


def set_tracking(info: SandboxInfo, *, test_mode: bool) -> None:
    answer = httpx.put(f"{info.control_url}/shippo/tracking", json={"test_mode": test_mode})
    assert answer.json() == {"test_mode": test_mode}


def test_an_impossible_address_is_refused_with_shippo_shaped_messages(
    sandbox: SandboxInfo,
) -> None:
    with shippo_client(sandbox) as client:
        answer = client.post("/addresses", json={**NOWHERE, "validate": True}).json()
        results = answer["validation_results"]
        assert results["is_valid"] is False
        assert [m["code"] for m in results["messages"]] == ["Invalid State", "Invalid Postal Code"]
        for message in results["messages"]:
            assert set(message) == {"source", "code", "type", "text"}
            assert message["type"] == "address_error"
        assert "'ZZ'" in results["messages"][0]["text"]
        assert answer["is_complete"] is False
        wrong_region = client.post(
            "/addresses", json={**AUSTIN, "zip": "10001", "validate": True}
        ).json()
        assert [m["code"] for m in wrong_region["validation_results"]["messages"]] == [
            "Invalid City/State/Zip"
        ]
        shipment = client.post(
            "/shipments", json={"address_from": OAKLAND, "address_to": NOWHERE, "parcels": [PARCEL]}
        ).json()
        label = client.post(
            "/transactions", json={"rate": shipment["rates"][0]["object_id"], "async": False}
        ).json()
        assert label["status"] == "ERROR"
        assert {m["code"] for m in label["messages"]} == {"Invalid State", "Invalid Postal Code"}


@pytest.mark.parametrize(
    ("number", "status"),
    [
        ("SHIPPO_PRE_TRANSIT", "PRE_TRANSIT"),
        ("SHIPPO_TRANSIT", "TRANSIT"),
        ("SHIPPO_DELIVERED", "DELIVERED"),
        ("SHIPPO_RETURNED", "RETURNED"),
        ("SHIPPO_FAILURE", "FAILURE"),
        ("SHIPPO_UNKNOWN", "UNKNOWN"),
    ],
)
def test_test_numbers_resolve_only_under_carrier_shippo(
    sandbox: SandboxInfo, number: str, status: str
) -> None:
    set_tracking(sandbox, test_mode=True)
    with shippo_client(sandbox) as client:
        track = client.get(f"/tracks/shippo/{number}").json()
        assert track["carrier"] == "shippo"
        assert track["tracking_status"]["status"] == status
        assert track["tracking_history"][-1] == track["tracking_status"]
        elsewhere = client.get(f"/tracks/usps/{number}").json()
        assert elsewhere["tracking_status"]["status"] == "UNKNOWN"
        registered = client.post(
            "/tracks", json={"carrier": "shippo", "tracking_number": number, "metadata": "x"}
        )
        assert registered.status_code == 201
        assert registered.json()["tracking_status"]["status"] == status
        assert registered.json()["metadata"] == "x"


def test_in_test_mode_a_label_is_tracked_as_carrier_shippo_and_moved_by_control(
    sandbox: SandboxInfo,
) -> None:
    set_tracking(sandbox, test_mode=True)
    control = f"{sandbox.control_url}/shippo/tracking"
    with shippo_client(sandbox) as client:
        label = buy_label(client)
        number = label["tracking_number"]
        assert label["tracking_status"] == "UNKNOWN"  # what a real test label shows
        assert client.get(f"/tracks/usps/{number}").json()["tracking_status"]["status"] == (
            "UNKNOWN"
        )

        def status() -> str:
            return str(client.get(f"/tracks/shippo/{number}").json()["tracking_status"]["status"])

        assert status() == "PRE_TRANSIT"
        moved = httpx.post(f"{control}/{number}")  # the next step
        assert moved.json()["tracking_status"]["status"] == "TRANSIT"
        assert status() == "TRANSIT"
        httpx.post(f"{control}/{number}", json={"status": "DELIVERED"}).raise_for_status()
        track = client.get(f"/tracks/shippo/{number}").json()
        assert [e["status"] for e in track["tracking_history"]] == [
            "PRE_TRANSIT",
            "TRANSIT",
            "DELIVERED",
        ]
        assert track["tracking_status"]["location"]["city"] == AUSTIN["city"]
        assert track["transaction"] == label["object_id"]
        done = httpx.post(f"{control}/{number}")
        assert done.status_code == 400
        assert "is DELIVERED" in done.json()["error"]
        set_tracking(sandbox, test_mode=False)
        assert client.get(f"/tracks/usps/{number}").json()["tracking_status"]["status"] == (
            "DELIVERED"
        )
        assert client.get(f"/transactions/{label['object_id']}").json()["tracking_status"] == (
            "DELIVERED"
        )
    assert httpx.post(f"{control}/9400000000", json={}).status_code == 404
    bad = httpx.post(f"{control}/{number}", json={"status": "LOST"})
    assert bad.status_code == 400
    assert "use one of TRANSIT, DELIVERED, RETURNED, FAILURE" in bad.json()["error"]


def test_outside_test_mode_a_label_answers_only_under_its_own_carrier(
    sandbox: SandboxInfo,
) -> None:
    with shippo_client(sandbox) as client:
        label = buy_label(client)
        number = label["tracking_number"]
        assert label["tracking_status"] == "PRE_TRANSIT"
        assert client.get(f"/tracks/usps/{number}").json()["tracking_status"]["status"] == (
            "PRE_TRANSIT"
        )
        assert client.get(f"/tracks/ups/{number}").json()["tracking_status"]["status"] == (
            "UNKNOWN"
        )
        assert client.get("/tracks/usps/9400111111111111111111").json()["messages"] == [
            "Tracking number not found."
        ]


def _all_pages(client: httpx.Client, first: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    url: str | None = first
    while url:
        page = client.get(url).json()
        found.extend(page["results"])
        url = page["next"]
    return found


def test_transactions_list_filters_and_pages_like_shippo(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        bought = [buy_label(client, metadata=f"order:list-{i}:pkg:1:try:1") for i in range(5)]
        newest_first = client.get("/transactions", params={"results": 2}).json()
        assert [t["object_id"] for t in newest_first["results"]] == [
            bought[4]["object_id"],
            bought[3]["object_id"],
        ]
        assert newest_first["previous"] is None
        assert "page=2" in newest_first["next"]
        assert "results=2" in newest_first["next"]
        listed = _all_pages(client, "/transactions?results=2&object_status=SUCCESS")
        ids = [t["object_id"] for t in listed]
        assert len(ids) == len(set(ids))
        assert {b["object_id"] for b in bought} <= set(ids)
        assert all(t["status"] == "SUCCESS" for t in listed)
        assert "created_by" in listed[0]  # the SDK reads the key even when it is null
        mine = [t for t in listed if t["metadata"].startswith("order:list-")]
        assert sorted(t["metadata"] for t in mine) == sorted(b["metadata"] for b in bought)
        by_rate = client.get("/transactions", params={"rate": bought[2]["rate"]["object_id"]})
        assert [t["object_id"] for t in by_rate.json()["results"]] == [bought[2]["object_id"]]
        refused = client.get("/transactions", params={"object_status": "DONE"})
        assert refused.status_code == 400
        assert "object_status" in refused.json()
        past_the_end = client.get("/transactions", params={"page": 10_000, "results": 100})
        assert past_the_end.status_code == 404
        assert past_the_end.json() == {"detail": "Invalid page."}
        second = client.get("/transactions", params={"page": 2, "results": 2}).json()
        assert second["previous"] is not None
        assert "page=1" in second["previous"]
