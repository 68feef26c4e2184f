"""Headless `packdesk ship` prints the label and the slip itself and says where they went,
or why not: a ZPL label printer on a loopback port 9100 listener (on, then refusing the
connection), a folder slip printer, `--no-print`, and `packdesk printers retry` once the
printer is back. Orders come from the sandbox, as a station would sync them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from packdesk.bootstrap import Container
from packdesk.cli import main
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings

from .printing_peers import Listener, free_port

ITEMS = [{"sku": "BM-HND-01", "quantity": 1}]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=3, orders=4) as server:
        yield server


def station(
    sandbox: SandboxServer, tmp_path: Path, label_target: str, *, slips: bool = True
) -> tuple[Path, str]:
    """A config whose label printer is `zebra` (ZPL at `label_target`) and whose slip printer
    is the folder `office` (unless `slips` is false), synced with one new CA order; (config,
    order name)."""
    info = sandbox.info
    assert info is not None
    name = str(
        httpx.post(
            f"{info.control_url}/shopify/orders",
            json={"location": "CA", "items": ITEMS},
            timeout=10,
        ).json()["name"]
    )
    config = tmp_path / "config.toml"
    sandbox.write_config(config, tmp_path / "data")
    text = config.read_text()
    start, end = text.index("[[printers]]"), text.index("[email]")
    printers = (
        f'[[printers]]\nname = "zebra"\nkind = "zpl"\nrole = "label"\ntarget = "{label_target}"\n\n'
    )
    if slips:
        printers += (
            '[[printers]]\nname = "office"\nkind = "folder"\nrole = "slip"\n'
            f'target = "{tmp_path / "slips"}"\n\n'
        )
    config.write_text(text[:start] + printers + text[end:])
    with Container(load_settings(config)) as services:
        for resource in ("locations", "variants", "orders"):
            assert services.sync.run(resource).ok
    return config, name


def run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def state_of(config: Path, name: str) -> StationState | None:
    with Container(load_settings(config)) as services:
        order = services.store.orders.by_name(name)
        assert order is not None
        current = services.store.station.get(order.id)
        return current.state if current else None


def test_ship_prints_label_and_slip_and_says_where(sandbox: SandboxServer, tmp_path: Path) -> None:
    zebra = Listener().start()
    try:
        config, name = station(sandbox, tmp_path, f"tcp://127.0.0.1:{zebra.port}")
        shipped = run(config, "ship", name)
        assert shipped.exit_code == 0, shipped.output
        [label] = zebra.wait_for(1)
        assert label.startswith(b"^XA")
        assert (
            f"Label printed on zebra (tcp://127.0.0.1:{zebra.port}); "
            f"slip printed on office ({tmp_path / 'slips'})." in shipped.output
        )
        assert (tmp_path / "slips" / f"{name.lstrip('#')}-slip.pdf").read_bytes()[:4] == b"%PDF"
        assert f"{name} is PRINTED; the fulfillment is queued for Shopify." in shipped.output
        assert state_of(config, name) is StationState.PRINTED
    finally:
        zebra.stop()


def test_a_printer_that_refuses_keeps_the_label_queued_until_retry(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    port = free_port()
    config, name = station(sandbox, tmp_path, f"tcp://127.0.0.1:{port}")
    shipped = run(config, "ship", name)
    assert shipped.exit_code == 0, shipped.output
    assert (
        f"Label not printed: printer zebra at tcp://127.0.0.1:{port} does not answer "
        "(connection refused): switch it on and check the cable — it stays queued; run "
        "`packdesk printers retry` once it is fixed" in shipped.output
    )
    assert f"Slip printed on office ({tmp_path / 'slips'})." in shipped.output
    assert f"{name} is LABELED" in shipped.output

    still = run(config, "printers", "retry", "zebra")
    assert still.exit_code == 1
    assert "still waits for zebra: Printer zebra at" in still.output

    zebra = Listener(port).start()
    try:
        retried = run(config, "printers", "retry")
        assert retried.exit_code == 0, retried.output
        assert f"-label.zpl printed on zebra (tcp://127.0.0.1:{port})." in retried.output
        assert zebra.wait_for(1)[0].startswith(b"^XA")
        assert state_of(config, name) is StationState.PRINTED
        assert run(config, "printers", "retry").output.strip() == "No print job is waiting."
    finally:
        zebra.stop()


def test_no_print_leaves_the_label_queued_and_makes_no_slip(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    zebra = Listener().start()
    try:
        config, name = station(sandbox, tmp_path, f"tcp://127.0.0.1:{zebra.port}")
        shipped = run(config, "ship", name, "--no-print")
        assert shipped.exit_code == 0, shipped.output
        assert (
            "Not printed (--no-print): the label waits in the print queue for zebra; "
            "no slip was made." in shipped.output
        )
        assert zebra.jobs == []
        assert not (tmp_path / "slips").exists()
        assert state_of(config, name) is StationState.LABELED
    finally:
        zebra.stop()


def test_without_a_slip_printer_it_says_how_to_add_one(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    zebra = Listener().start()
    try:
        config, name = station(sandbox, tmp_path, f"tcp://127.0.0.1:{zebra.port}", slips=False)
        shipped = run(config, "ship", name)
        assert shipped.exit_code == 0, shipped.output
        assert f"Label printed on zebra (tcp://127.0.0.1:{zebra.port})." in shipped.output
        assert (
            "Slip not printed: no slip printer is configured: add a [[printers]] entry with "
            'role = "slip" to the config.' in shipped.output
        )
    finally:
        zebra.stop()
