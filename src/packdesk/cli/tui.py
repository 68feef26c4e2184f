"""`packdesk demo` and `packdesk run`: the packing station TUI."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from packdesk.bootstrap import Container
from packdesk.bootstrap.sandbox import DEMO_FBA_REPORT, DEMO_SUPPLIERS, SandboxServer
from packdesk.cli.common import cli_context, container_from, fail, open_container
from packdesk.services.desk import SyncSummary
from packdesk.settings import ConfigError, load_settings


def run_station(
    container: Container, *, first_sync: bool = False, after_sync: Callable[[], str] | None = None
) -> None:
    """Open the TUI on the container's desk with the station's background jobs running;
    `after_sync` runs after the first sync (the demo loads its suppliers and FBA report)."""
    try:
        desk = container.desk
        scheduler = container.scheduler(container.jobs)
        container.analytics.serve_metrics()
    except (ValueError, OSError) as exc:  # a config mistake or a busy port, as a sentence
        fail(str(exc))
    if first_sync:
        click.echo("Syncing the demo shop…", err=True)
        click.echo(_synced(desk.sync_now()), err=True)
        if after_sync is not None:
            click.echo(after_sync(), err=True)
    scheduler.start()
    container.app().run()


def _synced(summary: SyncSummary) -> str:
    if summary.failed:
        return "Sync finished with errors: " + "; ".join(
            f"{r.resource}: {r.error}" for r in summary.failed
        )
    return "Synced " + ", ".join(f"{r.count} {r.resource}" for r in summary.results) + "."


def load_demo_inventory(container: Container) -> str:
    """The demo merchant's suppliers and FBA report, written beside the demo's config."""
    folder = container.settings.source_path.parent if container.settings.source_path else None
    if folder is None:
        return "No demo folder: suppliers and FBA stock were not loaded."
    inventory = container.inventory
    suppliers, items = inventory.suppliers.load_csv(
        (folder / DEMO_SUPPLIERS).read_bytes(), DEMO_SUPPLIERS
    )
    report = folder / DEMO_FBA_REPORT
    done = inventory.fba.import_report(
        report.read_bytes(), name=report.name, as_of=container.clock.now()
    )
    return (
        f"Loaded {suppliers} suppliers ({items} SKUs) and the FBA report ({done.rows} SKUs, "
        f"{len(done.unmatched)} of them Amazon's own)."
    )


@click.command("run")
@click.pass_context
def run_command(ctx: click.Context) -> None:
    """Open the packing station on the configured Shopify and Shippo (tokens required)."""
    with container_from(ctx, require_tokens=True) as container:
        run_station(container)


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
@click.pass_context
def demo_command(
    ctx: click.Context, data_dir: Path | None, orders: int, seed: int, faults: str
) -> None:
    """Start the sandbox (Shopify, Shippo, mail) on loopback and open the station on it."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="packdesk-demo-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "config.toml"
    # The demo shop is throttled like a Shopify Plus store (bucket 20,000, restore 1,000/s)
    # so that the first full sync takes seconds; a Standard store's 100/s makes the same
    # sync of 300 orders take about a minute and a half (BENCHMARKS.md, "Shopify order sync").
    server = SandboxServer(
        seed=seed, orders=orders, faults=faults, bucket_size=20_000.0, restore_rate=1_000.0
    )
    server.start()
    try:
        server.write_config(config, data_dir)
        try:
            settings = load_settings(config)
        except ConfigError as exc:
            fail(str(exc))
        outputs = [
            Path(p.target).expanduser()
            for p in settings.printers
            if p.kind == "folder" and p.target
        ]
        with open_container(settings, verbose=cli_context(ctx).verbose, demo=True) as container:
            run_station(
                container, first_sync=True, after_sync=lambda: load_demo_inventory(container)
            )
    finally:
        server.stop()
    click.echo(f"Demo data and config: {data_dir}")
    for folder in dict.fromkeys(outputs):
        click.echo(f"Labels and slips were written to: {folder}")


COMMANDS = [demo_command, run_command]
