"""A partly shipped order against the sandbox, end to end: part of it is fulfilled in
Shopify, the station syncs and runs `packdesk ship`, and what the world receives counts only
what remains: the label Shippo sold (its parcel's weight), the printed slip, the fulfillment
and the customer's e-mail."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from packdesk.bootstrap import Container
from packdesk.cli import main
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings

GRAMS = {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}
EARLIER = "9400100000000000000777"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=5, orders=4) as server:
        yield server


def run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def sold_parcel_grams(server: SandboxServer, order_number: str) -> list[float]:
    """The weight of each parcel Shippo sold a live label for, for this order (grams)."""
    info = server.info
    assert info is not None
    sold = httpx.get(f"{info.control_url}/shippo/transactions", timeout=10).json()
    mine = [t for t in sold if f":{order_number}:" in t["metadata"] and t["status"] == "SUCCESS"]
    weights = []
    for t in mine:
        shipment = httpx.get(
            f"{info.shippo_url}/shipments/{t['shipment']}",
            headers={"Authorization": f"ShippoToken {info.shippo_token}"},
            timeout=10,
        ).json()
        [parcel] = shipment["parcels"]
        weights.append(float(parcel["weight"]) * GRAMS[parcel["mass_unit"]])
    return weights


def test_the_label_slip_and_email_of_a_partly_shipped_order_count_what_remains(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    info = sandbox.info
    assert info is not None
    control = f"{info.control_url}/shopify/orders"
    made = httpx.post(
        control,
        json={
            "location": "CA",
            "items": [{"sku": "BM-HND-01", "quantity": 2}, {"sku": "BM-VOL-01", "quantity": 1}],
        },
        timeout=10,
    ).json()
    name, number = made["name"], str(made["id"])
    httpx.post(
        f"{control}/{name.lstrip('#')}/fulfill",
        json={
            "items": [{"sku": "BM-VOL-01", "quantity": 1}, {"sku": "BM-HND-01", "quantity": 1}],
            "tracking_number": EARLIER,
            "company": "USPS",
        },
        timeout=10,
    ).raise_for_status()
    config = tmp_path / "config.toml"
    sandbox.write_config(config, tmp_path / "data")
    with Container(load_settings(config)) as station:
        for resource in ("locations", "variants", "orders"):
            assert station.sync.run(resource).ok
        order = station.store.orders.by_name(name)
        assert order is not None
        assert [f.tracking_numbers for f in order.fulfillments or ()] == [(EARLIER,)]
        weight = {
            v.sku: v.weight_g
            for v in station.store.catalog.variants_by_id(
                [li.variant_id for li in order.line_items]
            ).values()
        }
        boxes = {b.name: b.tare_g for b in station.settings.boxes}

    shipped = run(config, "ship", name)
    assert shipped.exit_code == 0, shipped.output
    prints = tmp_path / "data" / "print"
    assert (
        f"Label printed on labels ({prints}); slip printed on slips ({prints})." in shipped.output
    )

    with Container(load_settings(config)) as station:
        [package] = station.store.shipments.packages(order.id)
    remains = weight["BM-HND-01"] + boxes[package.box]
    everything = 2 * weight["BM-HND-01"] + weight["BM-VOL-01"] + boxes[package.box]
    assert sold_parcel_grams(sandbox, number) == [pytest.approx(remains, abs=0.5)]
    assert remains < everything - 1

    slip = subprocess.run(
        ["pdftotext", "-layout", str(prints / f"{name.lstrip('#')}-slip.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "BM-HND-01" in slip
    assert "BM-VOL-01" not in slip
    assert next(row for row in slip.splitlines() if "BM-HND-01" in row).split()[0] == "1"

    delivered = run(config, "outbox", "run", "--once")
    assert delivered.exit_code == 0, delivered.output
    upstream = httpx.get(f"{control}/{name.lstrip('#')}", timeout=10).json()
    assert upstream["fulfillment_status"] == "fulfilled"
    ours = [f for f in upstream["fulfillments"] if f["tracking_number"] != EARLIER]
    assert [[(li["quantity"]) for li in f["line_items"]] for f in ours] == [[1]]
    [email] = [
        m for m in httpx.get(f"{info.control_url}/mail", timeout=10).json() if name in m["subject"]
    ]
    parcel = email["text"].split("In the parcel:", 1)[1]
    assert "× 1" in parcel
    assert "Volcano" not in parcel
