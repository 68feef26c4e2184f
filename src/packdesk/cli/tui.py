"""`packdesk demo` and `packdesk run`: the packing station TUI (issue 7)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import click

from packdesk.bootstrap import Station, build_station, build_station_runtime
from packdesk.cli.common import fail, station_from
from packdesk.settings import ConfigError, load_settings

DEMO_BOXES = """
# Box catalog of the demo (added by `packdesk demo` when the sandbox's config has none).
[[boxes]]
name = "S-8x6x4"
length_cm = 20.3
width_cm = 15.2
height_cm = 10.2
tare_g = 120
max_weight_g = 9000

[[boxes]]
name = "M-12x10x6"
length_cm = 30.5
width_cm = 25.4
height_cm = 15.2
tare_g = 220
max_weight_g = 18000

[[boxes]]
name = "L-18x14x8"
length_cm = 45.7
width_cm = 35.6
height_cm = 20.3
tare_g = 400
max_weight_g = 30000
"""


def ensure_demo_boxes(config: Path) -> None:
    """Give the demo config a box catalog, which labels need, if the sandbox wrote none."""
    text = config.read_text("utf-8")
    if "[[boxes]]" not in text:
        config.write_text(text.rstrip() + "\n" + DEMO_BOXES, "utf-8")


def quiet_console_logging() -> None:
    """Drop console log handlers that libraries added to the root logger (python-escpos
    calls `logging.basicConfig()` on import): their lines would be drawn over the TUI.
    packdesk's own handlers (the log file; stderr with -v) stay."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_packdesk", False):
            continue
        if isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        ):
            root.removeHandler(handler)


def run_station(station: Station, *, first_sync: bool = False) -> None:
    """Open the TUI on a built station with its background jobs; close all when it exits."""
    from packdesk.tui.app import PackdeskApp

    try:
        runtime = build_station_runtime(station)
    except ValueError as exc:  # a printer or box the config gets wrong, as a sentence
        station.close()
        fail(str(exc))
    try:
        if first_sync:
            click.echo("Syncing the demo shop…", err=True)
            click.echo(runtime.desk.sync_now(), err=True)
        quiet_console_logging()
        runtime.start()
        PackdeskApp(runtime.desk).run()
    finally:
        runtime.close()
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
    from packdesk.sandbox.server import SandboxServer

    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="packdesk-demo-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "config.toml"
    server = SandboxServer(seed=seed, orders=orders, faults=faults)
    server.start()
    try:
        server.write_config(config, data_dir)
        ensure_demo_boxes(config)
        try:
            settings = load_settings(config)
        except ConfigError as exc:
            fail(str(exc))
        outputs = [
            Path(p.target).expanduser()
            for p in settings.printers
            if p.kind == "folder" and p.target
        ]
        run_station(build_station(settings, demo=True), first_sync=True)
    finally:
        server.stop()
    click.echo(f"Demo data and config: {data_dir}")
    for folder in dict.fromkeys(outputs):
        click.echo(f"Labels and slips were written to: {folder}")


COMMANDS = [demo_command, run_command]
