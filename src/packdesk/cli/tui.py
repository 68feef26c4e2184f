"""`packdesk demo` and `packdesk run`: the packing station TUI (issue 7)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from packdesk.bootstrap import Station, build_desk, build_station
from packdesk.cli.common import fail, station_from
from packdesk.settings import ConfigError, load_settings


def run_station(station: Station) -> None:
    """Open the TUI on a built station, and close the station when it exits."""
    from packdesk.tui.app import PackdeskApp

    desk = build_desk(station)
    try:
        PackdeskApp(desk).run()
    finally:
        station.close()


@click.command("run")
@click.pass_context
def run_command(ctx: click.Context) -> None:
    """Open the packing station on the configured Shopify and Shippo (tokens required)."""
    run_station(station_from(ctx, require_tokens=True))


@click.command("demo")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the demo's database, labels and slips (default: a new temporary folder).",
)
@click.option("--orders", default=300, show_default=True, help="Orders in the sandbox shop.")
@click.option("--seed", default=7, show_default=True, help="Seed of the sandbox's demo data.")
@click.option(
    "--faults", default="", help='Sandbox faults, e.g. "shippo.transactions:latency_ms=500".'
)
def demo_command(data_dir: Path | None, orders: int, seed: int, faults: str) -> None:
    """Start the sandbox (Shopify, Shippo, mail) on loopback and open the station on it."""
    try:
        from packdesk.sandbox.server import SandboxServer  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        fail("The sandbox is not in this build yet; `packdesk demo` needs packdesk.sandbox.")
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="packdesk-demo-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "config.toml"
    server = SandboxServer(seed=seed, orders=orders, faults=faults)
    server.start()
    try:
        server.write_config(config, data_dir)
        try:
            settings = load_settings(config)
        except ConfigError as exc:
            fail(str(exc))
        station = build_station(settings, demo=True)
        outputs = [
            Path(p.target).expanduser()
            for p in settings.printers
            if p.kind == "folder" and p.target
        ]
        run_station(station)
    finally:
        server.stop()
    click.echo(f"Demo data: {data_dir}")
    for folder in outputs:
        click.echo(f"Labels and slips written to: {folder}")


COMMANDS = [demo_command, run_command]
