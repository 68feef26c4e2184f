"""`packdesk doctor` against the sandbox's Shopify: tokens with chosen scopes, a retired API
version, and [station].location by code, name or number. Shippo, the printers and e-mail are
set up to pass, so the exit status is Shopify's alone."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from packdesk.adapters.shopify.scopes import ACCESS_SCOPES
from packdesk.cli import main
from packdesk.sandbox.server import SandboxInfo

FULFILLMENT_SCOPES = (
    "read_merchant_managed_fulfillment_orders",
    "write_merchant_managed_fulfillment_orders",
)


def token_with(sandbox: SandboxInfo, scopes: list[str]) -> str:
    made = httpx.post(f"{sandbox.control_url}/shopify/tokens", json={"scopes": scopes}, timeout=10)
    assert made.status_code == 201, made.text
    return str(made.json()["access_token"])


def doctor(
    sandbox: SandboxInfo,
    tmp_path: Path,
    *,
    token: str | None = None,
    version: str = "2026-10",
    location: str = "CA",
) -> Result:
    config = tmp_path / "config.toml"
    config.write_text(f"""
[station]
location = "{location}"
data_dir = "{tmp_path / "data"}"
[shopify]
shop = "{sandbox.shop}"
endpoint = "{sandbox.shopify_endpoint}"
api_version = "{version}"
access_token = "{token or sandbox.shopify_token}"
[shippo]
api_token = "{sandbox.shippo_token}"
endpoint = "{sandbox.shippo_url}"
[[printers]]
name = "labels"
kind = "folder"
role = "label"
target = "{tmp_path / "print"}"
[[printers]]
name = "slips"
kind = "folder"
role = "slip"
target = "{tmp_path / "print"}"
""")
    return CliRunner().invoke(main, ["--config", str(config), "doctor"])


def shopify_lines(result: Result) -> list[str]:
    lines = result.output.splitlines()
    keep = []
    for i, line in enumerate(lines):
        if "shopify" in line.split(":")[0] or "station location" in line.split(":")[0]:
            keep.append(line)
            if i + 1 < len(lines) and lines[i + 1].strip().startswith("fix:"):
                keep.append(lines[i + 1].strip())
    return keep


def test_a_token_with_every_scope_passes(sandbox: SandboxInfo, tmp_path: Path) -> None:
    result = doctor(sandbox, tmp_path)
    assert shopify_lines(result) == [
        f"[ok  ] shopify: connected to 'BrightMinds Learning' ({sandbox.shop})",
        "[ok  ] shopify api version: Shopify answers with 2026-10",
        f"[ok  ] shopify scopes: the token has all {len(ACCESS_SCOPES)} scopes packdesk needs",
        "[ok  ] station location: 'CA' is Shopify location 'CA Warehouse' "
        "(gid://shopify/Location/72001001)",
    ]
    assert result.exit_code == 0, result.output


def test_missing_fulfillment_order_scopes_are_named_and_fail(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    everything_else = [s.handle for s in ACCESS_SCOPES if s.handle not in FULFILLMENT_SCOPES]
    result = doctor(sandbox, tmp_path, token=token_with(sandbox, everything_else))
    assert result.exit_code == 1
    lines = shopify_lines(result)
    assert lines[0].startswith("[ok  ] shopify: connected to")
    assert lines[2:6] == [
        "[FAIL] shopify scope read_merchant_managed_fulfillment_orders: missing: Shopify "
        "silently leaves the shop's fulfillment orders out of every answer, so no order is "
        "ever packable at any location",
        "fix: grant it to packdesk's app in Shopify (the app's Admin API access scopes) and "
        "install the app again",
        "[FAIL] shopify scope write_merchant_managed_fulfillment_orders: missing: Shopify "
        "refuses the fulfillments with tracking packdesk creates after each label, and orders "
        "cannot be moved to the warehouse that ships them",
        "fix: grant it to packdesk's app in Shopify (the app's Admin API access scopes) and "
        "install the app again",
    ]
    assert sum(line.startswith("[FAIL]") for line in result.output.splitlines()) == 2


def test_a_write_scope_counts_as_its_read(sandbox: SandboxInfo, tmp_path: Path) -> None:
    writes_only = [
        s.handle
        for s in ACCESS_SCOPES
        if not s.handle.startswith("read_")
        or s.handle.replace("read_", "write_", 1) not in {x.handle for x in ACCESS_SCOPES}
    ]
    assert "read_inventory" not in writes_only
    result = doctor(sandbox, tmp_path, token=token_with(sandbox, writes_only))
    assert result.exit_code == 0, result.output


def test_a_sunset_api_version_is_reported_with_the_fix(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    result = doctor(sandbox, tmp_path, version="2025-10")
    assert result.exit_code == 1
    lines = shopify_lines(result)
    assert lines[1:3] == [
        "[FAIL] shopify api version: asked for 2025-10, Shopify answered with 2026-01 "
        "(2025-10 is past its support window or unknown)",
        f'fix: set [shopify].api_version = "2026-10" in {tmp_path / "config.toml"} (the '
        "version this packdesk is written for)",
    ]


@pytest.mark.parametrize(
    "location", ["ca", "CA Warehouse", "72001001", "gid://shopify/Location/72001001"]
)
def test_the_station_location_by_code_name_or_id(
    sandbox: SandboxInfo, tmp_path: Path, location: str
) -> None:
    result = doctor(sandbox, tmp_path, location=location)
    assert f"[ok  ] station location: {location!r} is Shopify location 'CA Warehouse'" in (
        result.output
    )
    assert result.exit_code == 0, result.output


def test_an_unknown_station_location_lists_the_shops(sandbox: SandboxInfo, tmp_path: Path) -> None:
    result = doctor(sandbox, tmp_path, location="Reno")
    assert result.exit_code == 1
    assert (
        "[FAIL] station location: no Shopify location is named, coded or numbered 'Reno'; the shop has 'CA Warehouse'"
        in result.output
    )


def test_a_refused_token_is_one_sentence(sandbox: SandboxInfo, tmp_path: Path) -> None:
    result = doctor(sandbox, tmp_path, token="shpat_not_a_token")
    assert "[FAIL] shopify: the access token was refused (401)" in result.output
    assert result.exit_code == 1


def test_the_example_config_lists_every_scope_packdesk_needs() -> None:
    example = (Path(__file__).resolve().parents[3] / "config.example.toml").read_text()
    start = example.index("# The token needs these access scopes")
    listed = example[start : example.index("\nwebhook_secret", start)]
    named = {word.strip(" ,.#\n") for word in listed.split(":", 1)[1].split()}
    assert {s.handle for s in ACCESS_SCOPES} <= named
