"""Every fault kind, seen by a real HTTP client over loopback."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import requests
import shippo
from shippo.models import components

from packdesk.sandbox.faults import Fault, FaultBoard, FaultSpecError, endpoint_of, parse_spec
from packdesk.sandbox.server import SandboxInfo

from .helpers import AUSTIN, OAKLAND, PARCEL, shippo_client


def set_faults(info: SandboxInfo, faults: dict[str, dict[str, Any]]) -> None:
    httpx.put(f"{info.control_url}/faults", json=faults).raise_for_status()


def transactions(info: SandboxInfo) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = httpx.get(f"{info.control_url}/shippo/transactions").json()
    return answer


def rate_id(client: httpx.Client) -> str:
    shipment = client.post(
        "/shipments", json={"address_from": OAKLAND, "address_to": AUSTIN, "parcels": [PARCEL]}
    ).json()
    return str(shipment["rates"][0]["object_id"])


def test_latency_delays_the_answer(sandbox: SandboxInfo) -> None:
    set_faults(sandbox, {"shippo.addresses": {"latency_ms": 500}})
    with shippo_client(sandbox) as client:
        started = time.monotonic()
        assert client.post("/addresses", json=AUSTIN).status_code == 201
        assert time.monotonic() - started >= 0.5
        started = time.monotonic()
        client.get("/carrier_accounts")
        assert time.monotonic() - started < 0.45


def test_error_rate_answers_503(sandbox: SandboxInfo) -> None:
    set_faults(sandbox, {"shippo": {"error_rate": 1.0}})
    with shippo_client(sandbox) as client:
        answer = client.post("/addresses", json=AUSTIN)
        assert answer.status_code == 503
        assert "sandbox fault" in answer.json()["detail"]


def test_burst_429_then_answers_again(sandbox: SandboxInfo) -> None:
    set_faults(sandbox, {"sendgrid": {"burst_429": 2}})
    url = f"{sandbox.sendgrid_url}/v3/mail/send"
    statuses = []
    for _ in range(3):
        answer = httpx.post(
            url, json={}, headers={"Authorization": f"Bearer {sandbox.sendgrid_api_key}"}
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert answer.headers["retry-after"] == "1"
            assert answer.json()["errors"][0]["message"].startswith("Request was throttled")
    assert statuses == [429, 429, 400]
    assert httpx.get(f"{sandbox.control_url}/faults").json()["sendgrid"]["burst_429"] == 0


def test_drop_closes_the_connection_before_the_purchase(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        rate = rate_id(client)
        before = len(transactions(sandbox))
        set_faults(sandbox, {"shippo.transactions": {"drop_rate": 1.0}})
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.post("/transactions", json={"rate": rate, "async": False})
        assert len(transactions(sandbox)) == before
        assert client.get("/carrier_accounts").status_code == 200


def test_commit_then_drop_buys_the_label_but_loses_the_answer(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        rate = rate_id(client)
        set_faults(sandbox, {"shippo.transactions": {"commit_then_drop_rate": 1.0}})
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.post(
                "/transactions", json={"rate": rate, "async": False, "metadata": "Order #2001"}
            )
    bought = [t for t in transactions(sandbox) if t["metadata"] == "Order #2001"]
    assert len(bought) == 1
    assert bought[0]["status"] == "SUCCESS"


def test_late_commit_buys_the_label_after_the_client_gave_up(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        rate = rate_id(client)
        set_faults(sandbox, {"shippo.transactions": {"late_commit_ms": 3000}})
        with pytest.raises(httpx.ReadTimeout):
            client.post(
                "/transactions",
                json={"rate": rate, "async": False, "metadata": "Order #2002"},
                timeout=0.5,
            )
        set_faults(sandbox, {"shippo.transactions": {"late_commit_ms": 0}})

        def listed() -> list[dict[str, Any]]:
            results = client.get("/transactions", params={"results": 100}).json()["results"]
            return [t for t in results if t["metadata"] == "Order #2002"]

        assert listed() == []  # the purchase is still being held
        deadline = time.monotonic() + 15
        while not listed() and time.monotonic() < deadline:
            time.sleep(0.05)
        [made] = listed()
        assert made["status"] == "SUCCESS"
        assert made["rate"]["object_id"] == rate


def test_late_commit_rate_holds_only_a_share_of_requests() -> None:
    board = FaultBoard(seed=5, spec="shippo.transactions:late_commit_ms=10,late_commit_rate=0.5")
    fault = board.lookup("shippo.transactions")
    assert fault == Fault(late_commit_ms=10, late_commit_rate=0.5)
    assert 10 < sum(board.roll(fault.late_commit_rate) for _ in range(50)) < 40


def test_the_shippo_sdk_sees_a_dropped_connection_as_a_connection_error(
    sandbox: SandboxInfo,
) -> None:
    set_faults(sandbox, {"*": {"drop_rate": 1.0}})
    sdk = shippo.Shippo(
        api_key_header=f"ShippoToken {sandbox.shippo_token}", server_url=sandbox.shippo_url
    )
    with pytest.raises(requests.ConnectionError):
        sdk.addresses.create(components.AddressCreateRequest(**AUSTIN))
    assert httpx.get(sandbox.control_url).status_code == 200


def test_control_api_validates_faults(sandbox: SandboxInfo) -> None:
    body: dict[str, Any]
    for body in ({"nowhere": {}}, {"shippo": {"error_rate": 2}}, {"shippo": {"explode": 1}}):
        answer = httpx.put(f"{sandbox.control_url}/faults", json=body)
        assert answer.status_code == 400
        assert answer.json()["error"]
    set_faults(sandbox, {"shopify": {"error_rate": 0.5}})
    assert httpx.get(f"{sandbox.control_url}/faults").json()["shopify"]["error_rate"] == 0.5
    httpx.delete(f"{sandbox.control_url}/faults").raise_for_status()
    assert httpx.get(f"{sandbox.control_url}/faults").json() == {}


def test_fault_spec_parses_the_cli_form() -> None:
    parsed = parse_spec(
        "shippo.transactions:commit_then_drop_rate=0.3,latency_ms=100;shopify:error_rate=0.1"
    )
    assert parsed == {
        "shippo.transactions": Fault(latency_ms=100, commit_then_drop_rate=0.3),
        "shopify": Fault(error_rate=0.1),
    }
    for bad in ("shippo", "shippo:error_rate", "mars:error_rate=1", "shippo:error_rate=x"):
        with pytest.raises(FaultSpecError):
            parse_spec(bad)


def test_specific_endpoint_beats_group_and_dice_are_seeded() -> None:
    board = FaultBoard(seed=3, spec="*:latency_ms=5;shippo:error_rate=1;shippo.refunds:drop_rate=1")
    assert board.lookup("shippo.refunds") == Fault(drop_rate=1.0)
    assert board.lookup("shippo.tracks") == Fault(error_rate=1.0)
    assert board.lookup("sendgrid") == Fault(latency_ms=5)
    assert endpoint_of("/admin/api/2025-10/graphql.json") == "shopify"
    assert endpoint_of("/shippo/customs/declarations") == "shippo.customs"
    assert endpoint_of("/control/faults") is None
    board_a, board_b = FaultBoard(seed=11), FaultBoard(seed=11)
    rolls_a = [board_a.roll(0.5) for _ in range(50)]
    assert rolls_a == [board_b.roll(0.5) for _ in range(50)]
    assert 10 < sum(rolls_a) < 40
