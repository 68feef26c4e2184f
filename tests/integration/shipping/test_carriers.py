"""`packdesk carriers` against the sandbox's Shippo: every carrier account of the account,
which ones packdesk buys from and why not the others; every Shippo call names the API
version packdesk was built against."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from packdesk.cli import main
from packdesk.sandbox.server import SandboxInfo, SandboxServer

SHIPPO_API_VERSION = "2018-02-08"


def shippo_client(info: SandboxInfo) -> httpx.Client:
    """Shippo over plain HTTP, naming no API version."""
    return httpx.Client(
        base_url=info.shippo_url,
        headers={"Authorization": f"ShippoToken {info.shippo_token}"},
        timeout=10,
    )


@pytest.fixture
def config(sandbox_server: SandboxServer, sandbox: SandboxInfo, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    sandbox_server.write_config(path, tmp_path / "data")
    return path


def carriers(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["carriers", "--config", str(config), *args])
    return result.exit_code, result.output


def test_carriers_lists_every_account_and_says_which_are_used(config: Path) -> None:
    code, output = carriers(config)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "Carrier accounts of the Shippo account (TEST token):"
    usps, ups, fedex, dhl = lines[1:5]
    for line, name in ((usps, "USPS"), (ups, "UPS"), (fedex, "FedEx")):
        assert line.split()[0] == name
        assert "Shippo's account" in line
        assert line.endswith("USED")
    assert dhl.split()[:2] == ["DHL", "Express"]
    assert "your own account" in dhl
    assert "inactive" in dhl
    assert dhl.endswith("not used: inactive in Shippo (Settings → Carriers switches it on)")


def test_carriers_names_the_rule_that_leaves_a_carrier_out(config: Path) -> None:
    config.write_text(
        config.read_text()
        + '\n[shipping]\nallowed_carriers = ["USPS", "FedEx"]\nexcluded_carriers = ["FedEx"]\n'
    )
    code, output = carriers(config, "--json")
    assert code == 0, output
    rows = {row["carrier"]: row for row in map(json.loads, output.splitlines())}
    assert rows["usps"]["used"] is True
    assert rows["ups"]["why_not"] == "not in [shipping].allowed_carriers"
    assert rows["fedex"]["why_not"] == "listed in [shipping].excluded_carriers"
    assert rows["dhl_express"]["used"] is False
    assert all(row["account_id"] == "****" for row in rows.values())  # Shippo masks it
    assert all(row["test"] for row in rows.values())


def test_a_refused_token_is_one_sentence(config: Path) -> None:
    config.write_text(config.read_text().replace("shippo_test_sandbox", "shippo_live_wrong"))
    code, output = carriers(config)
    assert code == 1
    assert output.strip() == (
        "Shippo did not list the carrier accounts: Shippo refused the API token: "
        "check [shippo].api_token in the config."
    )


def test_every_shippo_call_names_the_pinned_api_version(config: Path, sandbox: SandboxInfo) -> None:
    assert carriers(config)[0] == 0
    result = CliRunner().invoke(main, ["doctor", "--config", str(config)])
    [shippo] = [line for line in result.output.splitlines() if "] shippo:" in line]
    assert shippo == (
        f"[ok  ] shippo: TEST token at {sandbox.shippo_url}; buys from USPS, UPS, FedEx"
    )
    seen = httpx.get(f"{sandbox.control_url}/shippo/api_versions", timeout=10).json()
    assert seen == {SHIPPO_API_VERSION: seen[SHIPPO_API_VERSION]}
    assert seen[SHIPPO_API_VERSION] >= 2


def test_the_sandbox_lists_accounts_as_shippo_does(sandbox: SandboxInfo) -> None:
    """Five a page by default, service levels only when asked, filters by carrier."""
    with shippo_client(sandbox) as client:
        first = client.get("/carrier_accounts").json()
        assert len(first["results"]) == 4
        assert all("service_levels" not in a for a in first["results"])
        usps = client.get(
            "/carrier_accounts", params={"carrier": "usps", "service_levels": "true"}
        ).json()["results"]
        assert [a["carrier"] for a in usps] == ["usps"]
        assert "usps_priority" in {level["token"] for level in usps[0]["service_levels"]}
        paged = client.get("/carrier_accounts", params={"results": 3}).json()
        assert len(paged["results"]) == 3
        assert paged["next"] is not None
    seen = httpx.get(f"{sandbox.control_url}/shippo/api_versions", timeout=10).json()
    assert seen == {"": 3}  # a client that names no version gets the account's default
