"""Shippo REST details over plain HTTP: auth, bad input, customs, tracking, rate limits."""

from __future__ import annotations

import httpx

from packdesk.sandbox.server import SandboxInfo

from .helpers import AUSTIN, OAKLAND, PARCEL, TORONTO, buy_label, shippo_client

ALLENTOWN = {**AUSTIN, "city": "Allentown", "state": "PA", "zip": "18109"}
CUSTOMS = {
    "certify": True,
    "certify_signer": "Sam Packer",
    "contents_type": "MERCHANDISE",
    "non_delivery_option": "RETURN",
    "items": [
        {
            "description": "Wooden puzzle",
            "mass_unit": "g",
            "net_weight": "700",
            "origin_country": "US",
            "quantity": 1,
            "value_amount": "24.00",
            "value_currency": "USD",
        }
    ],
}


def test_requests_without_the_token_are_refused(sandbox: SandboxInfo) -> None:
    for headers in (
        {},
        {"Authorization": "ShippoToken wrong"},
        {"Authorization": sandbox.shippo_token},
    ):
        answer = httpx.get(f"{sandbox.shippo_url}/transactions", headers=headers)
        assert answer.status_code == 401
        assert answer.json() == {"detail": "Invalid token."}


def test_address_validation_says_what_is_wrong(sandbox: SandboxInfo) -> None:
    cases = [
        ({"zip": "9021"}, "Invalid Postal Code"),
        ({"street1": "Elm Street"}, "Address Not Found"),
        ({"city": ""}, "Invalid City"),
        ({**TORONTO, "zip": "M5H2N"}, "Invalid Postal Code"),
    ]
    with shippo_client(sandbox) as client:
        for change, code in cases:
            answer = client.post("/addresses", json={**AUSTIN, **change, "validate": True}).json()
            assert answer["validation_results"]["is_valid"] is False
            assert [m["code"] for m in answer["validation_results"]["messages"]] == [code]
        for good in (AUSTIN, {**AUSTIN, "zip": "78701-1234"}, TORONTO):
            answer = client.post("/addresses", json={**good, "validate": True}).json()
            assert answer["validation_results"] == {"is_valid": True, "messages": []}


def test_missing_fields_answer_400_by_field(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        answer = client.post("/shipments", json={"address_to": AUSTIN, "parcels": []})
        assert answer.status_code == 400
        assert set(answer.json()) == {"address_from", "parcels"}
        assert client.post("/transactions", json={"rate": "nope"}).status_code == 400
        assert client.get("/transactions/nope").status_code == 404


def test_prices_grow_with_weight_and_distance(sandbox: SandboxInfo) -> None:
    def price(to: dict[str, str], grams: str, token: str = "usps_priority") -> float:
        shipment = client.post(
            "/shipments",
            json={
                "address_from": OAKLAND,
                "address_to": to,
                "parcels": [{**PARCEL, "weight": grams}],
            },
        ).json()
        return next(
            float(r["amount"]) for r in shipment["rates"] if r["servicelevel"]["token"] == token
        )

    near = {**AUSTIN, "city": "San Francisco", "state": "CA", "zip": "94110"}
    with shippo_client(sandbox) as client:
        assert price(near, "500") < price(AUSTIN, "500") < price(ALLENTOWN, "500")
        assert price(ALLENTOWN, "500") < price(ALLENTOWN, "5000")


def test_canada_needs_customs_and_costs_more(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        bare = client.post(
            "/shipments", json={"address_from": OAKLAND, "address_to": TORONTO, "parcels": [PARCEL]}
        ).json()
        assert bare["rates"] == []
        assert bare["messages"][0]["code"] == "customs_declaration_required"
        abroad = client.post(
            "/shipments",
            json={
                "address_from": OAKLAND,
                "address_to": TORONTO,
                "parcels": [PARCEL],
                "customs_declaration": CUSTOMS,
            },
        ).json()
        home = client.post(
            "/shipments",
            json={"address_from": OAKLAND, "address_to": ALLENTOWN, "parcels": [PARCEL]},
        ).json()
        assert {r["provider"] for r in abroad["rates"]} == {"USPS", "UPS", "FedEx"}
        assert all(r["zone"] == "INTL" for r in abroad["rates"])
        assert min(float(r["amount"]) for r in abroad["rates"]) > min(
            float(r["amount"]) for r in home["rates"]
        )
        assert abroad["customs_declaration"]["items"]
        incomplete = client.post("/customs/declarations", json={**CUSTOMS, "certify_signer": None})
        assert incomplete.status_code == 400
        assert "certify_signer" in incomplete.json()


def test_an_apo_address_needs_customs_and_gets_only_usps(sandbox: SandboxInfo) -> None:
    apo = {**AUSTIN, "street1": "Unit 2050 Box 4190", "city": "APO", "state": "AP", "zip": "96278"}
    with shippo_client(sandbox) as client:
        bare = client.post(
            "/shipments", json={"address_from": OAKLAND, "address_to": apo, "parcels": [PARCEL]}
        ).json()
        assert bare["rates"] == []
        assert bare["messages"] == [
            {
                "source": "Shippo",
                "code": "customs_declaration_required",
                "text": "This shipment goes to an APO/FPO/DPO address: add a customs_declaration "
                "to get rates.",
            }
        ]
        declared = client.post(
            "/shipments",
            json={
                "address_from": OAKLAND,
                "address_to": apo,
                "parcels": [PARCEL],
                "customs_declaration": CUSTOMS,
            },
        ).json()
    assert declared["rates"]
    assert {r["provider"] for r in declared["rates"]} == {"USPS"}
    assert [(m["source"], m["text"]) for m in declared["messages"]] == [
        ("FedEx", "FedEx does not deliver to APO/FPO/DPO addresses."),
        ("UPS", "UPS does not deliver to APO/FPO/DPO addresses."),
    ]


def test_a_label_for_a_bad_address_fails_like_shippo(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        shipment = client.post(
            "/shipments",
            json={
                "address_from": OAKLAND,
                "address_to": {**AUSTIN, "zip": "9021"},
                "parcels": [PARCEL],
            },
        ).json()
        answer = client.post(
            "/transactions", json={"rate": shipment["rates"][0]["object_id"], "async": False}
        )
        assert answer.status_code == 201
        assert answer.json()["status"] == "ERROR"
        assert "label_url" not in answer.json()
        assert answer.json()["messages"][0]["code"] == "Invalid Postal Code"


def test_instant_transaction_from_a_shipment_and_service_level(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        answer = client.post(
            "/transactions",
            json={
                "shipment": {"address_from": OAKLAND, "address_to": AUSTIN, "parcels": [PARCEL]},
                "carrier_account": "any",
                "servicelevel_token": "fedex_ground",
                "label_file_type": "ZPLII",
                "metadata": "Order #1003",
            },
        ).json()
        assert answer["status"] == "SUCCESS"
        assert answer["rate"]["servicelevel_token"] == "fedex_ground"


def test_tracking_moves_with_sandbox_time(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        transaction = buy_label(client, "ZPLII")
        days = client.get(f"/rates/{transaction['rate']['object_id']}").json()["estimated_days"]
        number = transaction["tracking_number"]

        def status() -> str:
            track = client.get(f"/tracks/usps/{number}").json()
            assert (
                client.get(f"/transactions/{transaction['object_id']}").json()["tracking_status"]
                == track["tracking_status"]["status"]
            )
            return str(track["tracking_status"]["status"])

        assert status() == "PRE_TRANSIT"
        httpx.post(
            f"{sandbox.control_url}/time/advance", json={"days": 1, "seconds": 1}
        ).raise_for_status()
        assert status() == "TRANSIT"
        httpx.post(f"{sandbox.control_url}/time/advance", json={"days": days}).raise_for_status()
        assert status() == "DELIVERED"
        history = client.get(f"/tracks/usps/{number}").json()["tracking_history"]
        assert [event["status"] for event in history] == ["PRE_TRANSIT", "TRANSIT", "DELIVERED"]
        assert history[-1]["location"]["city"] == "Austin"
        test_number = client.get("/tracks/shippo/SHIPPO_DELIVERED").json()
        assert test_number["tracking_status"]["status"] == "DELIVERED"


def test_rate_limits_answer_429_with_retry_after(sandbox: SandboxInfo) -> None:
    limits = httpx.put(f"{sandbox.control_url}/shippo/rate_limits", json={"test_mode": True})
    assert limits.json() == {"post": 50, "list": 10, "get": 400}
    with shippo_client(sandbox) as client:
        answers = [client.get("/transactions").status_code for _ in range(11)]
        assert answers == [200] * 10 + [429]
        throttled = client.get("/transactions")
        assert 1 <= int(throttled.headers["retry-after"]) <= 60
        assert throttled.json()["detail"].startswith("Request was throttled.")
        assert client.post("/parcels", json=PARCEL).status_code == 201
    httpx.delete(f"{sandbox.control_url}/shippo/rate_limits").raise_for_status()
    with shippo_client(sandbox) as client:
        assert client.get("/transactions").status_code == 200


def test_control_lists_every_transaction_with_refund_state(sandbox: SandboxInfo) -> None:
    with shippo_client(sandbox) as client:
        kept = buy_label(client, metadata="Order #1004")
        refunded = buy_label(client, metadata="Order #1005")
        client.post("/refunds", json={"transaction": refunded["object_id"]}).raise_for_status()
    everything = httpx.get(f"{sandbox.control_url}/shippo/transactions").json()
    by_id = {t["object_id"]: t for t in everything}
    assert by_id[kept["object_id"]]["metadata"] == "Order #1004"
    assert by_id[kept["object_id"]]["refund"] is None
    assert by_id[refunded["object_id"]]["status"] == "REFUNDED"
    assert by_id[refunded["object_id"]]["refund"]["status"] == "SUCCESS"
