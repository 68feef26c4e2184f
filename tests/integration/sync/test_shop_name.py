"""Slips and e-mails carry the shop's own name from Shopify unless [brand].shop_name is set,
so a config copied from the example never writes to customers under another shop's name."""

from __future__ import annotations

from pathlib import Path

from packdesk.bootstrap import Container
from packdesk.domain.shop import ShopIdentity
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import (
    BrandSettings,
    Settings,
    ShopifySettings,
    StationSettings,
    load_settings,
)

from .conftest import Rig

EXAMPLE = Path(__file__).resolve().parents[3] / "config.example.toml"


def settings_for(
    tmp_path: Path, sandbox: SandboxInfo | None = None, *, name: str = "", dead: bool = False
) -> Settings:
    shopify = ShopifySettings(shop="bright-minds.myshopify.com")
    if sandbox is not None:
        shopify = ShopifySettings(
            shop=sandbox.shop,
            access_token=sandbox.shopify_token,
            endpoint="http://127.0.0.1:9" if dead else sandbox.shopify_endpoint,
        )
    return Settings(
        station=StationSettings(data_dir=str(tmp_path)),
        shopify=shopify,
        brand=BrandSettings(shop_name=name),
    )


def test_the_example_config_names_no_shop(tmp_path: Path) -> None:
    text = EXAMPLE.read_text().replace('data_dir = ""', f'data_dir = "{tmp_path}"')
    copied = tmp_path / "config.toml"
    copied.write_text(text)
    assert load_settings(str(copied)).brand.shop_name == ""


def test_the_catalog_sync_keeps_the_shops_name(rig: Rig) -> None:
    assert rig.store.catalog.shop() is None
    assert rig.sync.run("locations").ok
    assert rig.store.catalog.shop() == ShopIdentity(
        name="Demo Learning Co.", domain="demo.myshopify.com"
    )


def test_the_name_comes_from_shopify_and_is_kept(sandbox: SandboxInfo, tmp_path: Path) -> None:
    with Container(settings_for(tmp_path, sandbox)) as first:
        assert first.shop_name == "BrightMinds Learning"
        assert first.comms.policy.shop_name == "BrightMinds Learning"
        assert first.store.catalog.shop() == ShopIdentity(
            name="BrightMinds Learning", domain=sandbox.shop
        )
    with Container(settings_for(tmp_path, sandbox, dead=True)) as offline:
        assert offline.shop_name == "BrightMinds Learning"  # from the database, no network


def test_the_configured_name_wins(sandbox: SandboxInfo, tmp_path: Path) -> None:
    with Container(settings_for(tmp_path, sandbox, name="Bright Minds Learning")) as c:
        assert c.shop_name == "Bright Minds Learning"
        assert c.store.catalog.shop() is None  # Shopify was not asked


def test_without_shopify_or_a_sync_the_domain_stands_in(tmp_path: Path) -> None:
    with Container(settings_for(tmp_path)) as c:
        assert c.shop_name == "bright-minds.myshopify.com"


def test_shopify_out_of_reach_at_a_first_start_is_not_fatal(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    with Container(settings_for(tmp_path, sandbox, dead=True)) as c:
        assert c.shop_name == sandbox.shop
        assert c.store.catalog.shop() is None
