"""The config `packdesk demo` runs on ships every kind of demo order, the Canadian one too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from packdesk.cli import main
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxServer, Path]]:
    data_dir = tmp_path_factory.mktemp("demo")
    with SandboxServer(orders=40, bucket_size=20_000.0, restore_rate=1_000.0) as server:
        config = data_dir / "config.toml"
        server.write_config(config, data_dir)
        yield server, config


def test_demo_config_has_boxes_and_customs_for_every_sku(
    demo: tuple[SandboxServer, Path],
) -> None:
    server, config = demo
    settings = load_settings(config, require_tokens=True)
    assert [box.name for box in settings.boxes] == [
        "S-8x6x4",
        "M-12x10x6",
        "L-18x14x8",
        "XL-24x18x18",
    ]
    assert server.shopify is not None
    skus = {
        variant["sku"]
        for product in server.shopify.state.catalog.products
        for variant in product["variants"]
    }
    assert set(settings.shipping.customs) == skus


def test_the_multi_box_demo_order_ships_in_several_packages(
    demo: tuple[SandboxServer, Path],
) -> None:
    server, config = demo
    assert server.info is not None
    multi = httpx.get(f"{server.info.control_url}/shopify/demo", timeout=10).json()["multi_box"]
    runner = CliRunner()
    assert runner.invoke(main, ["--config", str(config), "sync", "--once"]).exit_code == 0
    rates = runner.invoke(main, ["--config", str(config), "rates", multi])
    assert rates.exit_code == 0, rates.output
    assert f"{multi} package 2:" in rates.output
    assert "fits no box" not in rates.output


def test_the_canadian_demo_order_gets_international_rates(
    demo: tuple[SandboxServer, Path],
) -> None:
    """With customs data in the config Shippo quotes the parcel to Canada; the default rules
    (five days, at most $60) then refuse its $100+ labels with a sentence naming the fix."""
    server, config = demo
    assert server.info is not None
    canada = httpx.get(f"{server.info.control_url}/shopify/demo", timeout=10).json()["canada"]
    runner = CliRunner()
    synced = runner.invoke(main, ["--config", str(config), "sync", "--once"])
    assert synced.exit_code == 0, synced.output

    rates = runner.invoke(main, ["--config", str(config), "rates", canada])
    assert rates.exit_code == 0, rates.output
    assert "International" in rates.output
    assert "No rate qualifies within 5 days" in rates.output

    shipped = runner.invoke(main, ["--config", str(config), "ship", canada])
    assert shipped.exit_code != 0
    assert "change the [shipping] rules" in shipped.output
    assert "Traceback" not in shipped.output
