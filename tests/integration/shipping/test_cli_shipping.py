"""`packdesk rates`, `ship`, `ship --batch` and `void` on a station synced from the sandbox:
what a person at a station without a scanner would run and read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from packdesk.bootstrap import Container
from packdesk.cli import main
from packdesk.domain.models import Transition
from packdesk.domain.states import StationState
from packdesk.settings import load_settings

pytest.importorskip(
    "packdesk.sandbox.server", reason="the sandbox (sandbox-core) is not in this build yet"
)

S = StationState
SMALL = [{"sku": "BM-HND-01", "quantity": 2}]  # two handwriting books: a small box


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str], str, str]]:
    """A small sandbox of its own, three new CA orders and one with ZIP 9021 created in it,
    and a station synced from it: (config, good names, the bad one, control URL)."""
    from packdesk.sandbox.server import SandboxServer

    tmp_path = tmp_path_factory.mktemp("cli")
    with SandboxServer(seed=11, orders=4) as server:
        info = server.info
        assert info is not None
        control = f"{info.control_url}/shopify/orders"
        good = [
            httpx.post(control, json={"location": "CA", "items": SMALL}, timeout=10).json()["name"]
            for _ in range(4)
        ]
        bad = httpx.post(
            control,
            json={"location": "CA", "items": SMALL, "shipping_address": {"zip": "9021"}},
            timeout=10,
        ).json()["name"]
        config = tmp_path / "config.toml"
        server.write_config(config, tmp_path / "data")
        with Container(load_settings(config)) as container:
            for resource in ("locations", "variants", "orders"):
                assert container.sync.run(resource).ok
        yield config, good, bad, info.control_url


def run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def test_rates_ship_void_and_ship_again(synced: tuple[Path, list[str], str, str]) -> None:
    config, good, _bad, control_url = synced
    name = good[0]
    rates = run(config, "rates", name)
    assert rates.exit_code == 0, rates.output
    assert f"{name} package 1: box " in rates.output
    assert "chosen: " in rates.output
    assert " — cheapest within " in rates.output
    assert rates.output.count("*") == 1

    ship = run(config, "ship", name.lstrip("#"), "--weight", "1.2kg")
    assert ship.exit_code == 0, ship.output
    assert f"{name} package 1: TEST label, " in ship.output  # a test token: ships nothing
    assert "fee)" in ship.output
    prints = config.parent / "data" / "print"
    assert f"Label printed on labels ({prints}); slip printed on slips ({prints})." in ship.output
    assert f"{name} is PRINTED; the fulfillment is queued for Shopify." in ship.output
    again = run(config, "ship", name)
    assert again.exit_code == 1
    assert "has a label already" in again.output

    void = run(config, "void", name, "--reason", "customer moved")
    assert void.exit_code == 0, void.output
    assert "voided" in void.output
    assert f"{name} is PACKED again" in void.output
    second = run(config, "ship", name)
    assert second.exit_code == 0, second.output

    sold = httpx.get(f"{control_url}/shippo/transactions", timeout=10).json()
    keys = sorted(t["metadata"] for t in sold if t["metadata"].endswith(("try:1", "try:2")))
    assert [k.rsplit(":", 1)[-1] for k in keys] == ["1", "2"]
    assert [t["status"] for t in sorted(sold, key=lambda t: t["metadata"])] == [
        "REFUNDED",
        "SUCCESS",
    ]


def test_batch_and_a_bad_address(synced: tuple[Path, list[str], str, str]) -> None:
    config, good, bad, _control = synced
    batch = run(config, "ship", "--batch", ",".join(good[1:3]))
    assert batch.exit_code == 0, batch.output
    assert "[2/2] ok" in batch.output
    assert "2 TEST labels bought, 0 not" in batch.output
    for name in good[1:3]:
        assert f"{name}: Label printed on labels (" in batch.output

    refused = run(config, "ship", bad)
    assert refused.exit_code == 1
    assert refused.output.startswith(f"Shippo refused the label of {bad}: ")
    assert "9021" in refused.output
    assert "Traceback" not in refused.output


def test_usage_mistakes_are_one_sentence(synced: tuple[Path, list[str], str, str]) -> None:
    config, good, _bad, _control = synced
    assert "not both or neither" in run(config, "ship").output
    weight = run(config, "ship", good[0], "--weight", "heavy")
    assert weight.exit_code == 2
    assert "is not a weight" in weight.output
    missing = run(config, "rates", "#999999")
    assert missing.exit_code == 1
    assert "No order #999999 in the local database" in missing.output


def test_tracking_moves_fulfilled_orders_to_delivered(
    synced: tuple[Path, list[str], str, str],
) -> None:
    config, good, _bad, control_url = synced
    name = good[3]
    assert run(config, "ship", name).exit_code == 0
    with Container(load_settings(config)) as services:
        order = services.store.orders.by_name(name)
        assert order is not None
        for state in (S.FULFILLED,):  # what the outbox does once Shopify has the fulfillment
            current = services.store.station.get(order.id)
            assert current is not None
            services.store.station.apply(
                Transition(
                    order_id=order.id,
                    from_state=current.state,
                    to_state=state,
                    actor="outbox",
                    at=datetime.now(UTC),
                )
            )
        assert services.tracking.refresh_tracking() == []  # still in transit
        httpx.post(f"{control_url}/time/advance", json={"days": 12}, timeout=10)
        assert services.tracking.refresh_tracking() == [name]
        delivered = services.store.station.get(order.id)
        assert delivered is not None
        assert delivered.state is S.DELIVERED
        assert delivered.reason.startswith("delivered ")
