"""`packdesk sync`, `packdesk webhooks` and `packdesk daemon` (issue #4)."""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType

import click

from packdesk.bootstrap import (
    Station,
    SyncRuntime,
    build_scheduler,
    build_sync,
    build_webhook_server,
    schedule_jobs,
    schedule_sync,
)
from packdesk.cli.common import fail, station_from
from packdesk.services.sync import RESOURCES, SyncResult


def _sync_station(ctx: click.Context) -> Station:
    station = station_from(ctx, require_tokens=False)
    if not station.settings.shopify.access_token.get_secret_value():
        where = station.settings.source_path or "the config file"
        fail(
            f"{where}: [shopify].access_token is empty. Set it in the file or in "
            "PACKDESK_SHOPIFY__ACCESS_TOKEN."
        )
    return station


def _progress(resource: str, count: int) -> None:
    click.echo(f"  {resource}: {count:,} stored", err=True)


def _summary(results: list[SyncResult], runtime: SyncRuntime, seconds: float) -> None:
    for r in results:
        outcome = "ok" if r.ok else f"FAILED: {r.error}"
        click.echo(f"{r.resource:<10} {r.count:>8,}  {r.seconds:7.1f}s  {outcome}")
    stats = runtime.client.stats
    click.echo(
        f"total {seconds:.1f}s · Shopify cost used {stats.cost_used:,.0f} points in "
        f"{stats.requests:,} requests · waited {stats.waited_s:.1f}s for the rate limit · "
        f"throttled {stats.throttled} (retried)"
    )


def _wait_for_signal() -> None:
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    while not stop.is_set():
        stop.wait(1.0)


@click.command("sync")
@click.option("--once", is_flag=True, help="Sync every resource once, print a summary, exit.")
@click.option(
    "--resource",
    "resources",
    type=click.Choice(RESOURCES),
    multiple=True,
    help="Only this resource (repeatable); with --once.",
)
@click.pass_context
def sync_command(ctx: click.Context, once: bool, resources: tuple[str, ...]) -> None:
    """Sync Shopify into the local database: once, or on the [sync] intervals until Ctrl-C."""
    station = _sync_station(ctx)
    first = station.store.sync.status("orders").last_success_at is None
    runtime = build_sync(station, progress=_progress if first and once else None)
    try:
        if once:
            if first:
                click.echo(
                    "First full sync: this reads every order, product and stock level.", err=True
                )
            started = time.monotonic()
            results = [runtime.sync.run(r) for r in (resources or RESOURCES)]
            _summary(results, runtime, time.monotonic() - started)
            if not all(r.ok for r in results):
                raise SystemExit(1)
            return
        scheduler = build_scheduler()
        schedule_sync(scheduler, runtime, station.settings)
        scheduler.start()
        click.echo("Syncing on the [sync] intervals; Ctrl-C stops.", err=True)
        try:
            _wait_for_signal()
        finally:
            runtime.sync.stop()
            scheduler.shutdown()
    finally:
        runtime.close()
        station.close()


def _require_secret(station: Station) -> None:
    if not station.settings.shopify.webhook_secret.get_secret_value():
        where = station.settings.source_path or "the config file"
        fail(
            f"{where}: [shopify].webhook_secret is empty, so no webhook could be verified. "
            "Set it to the app's client secret."
        )


@click.command("webhooks")
@click.option("--host", default=None, help="Address to listen on (default [webhooks].host).")
@click.option("--port", type=int, default=None, help="Port to listen on (default [webhooks].port).")
@click.pass_context
def webhooks_command(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the Shopify webhook receiver (orders/create, orders/updated, orders/cancelled)."""
    station = _sync_station(ctx)
    _require_secret(station)
    settings = station.settings.webhooks
    runtime = build_sync(station)
    server, worker = build_webhook_server(
        station,
        runtime,
        host=host or settings.host,
        port=port if port is not None else settings.port,
    )
    worker.start()
    threading.Thread(target=runtime.webhooks.sweep, name="webhook-sweep", daemon=True).start()
    click.echo(
        f"Receiving Shopify webhooks on http://{server.config.host}:{server.config.port}/webhooks",
        err=True,
    )
    try:
        server.serve_forever()
    finally:
        worker.stop()
        runtime.close()
        station.close()


@click.command("daemon")
@click.pass_context
def daemon_command(ctx: click.Context) -> None:
    """Run the background jobs (and the webhook receiver when [webhooks].enabled) with no UI."""
    station = _sync_station(ctx)
    settings = station.settings
    runtime = build_sync(station)
    scheduler = build_scheduler()
    schedule_jobs(scheduler, station, runtime)
    server = worker = None
    if settings.webhooks.enabled:
        _require_secret(station)
        server, worker = build_webhook_server(
            station, runtime, host=settings.webhooks.host, port=settings.webhooks.port
        )
        worker.start()
        try:
            url = server.start()
        except OSError as exc:
            fail(str(exc))
        click.echo(f"Receiving Shopify webhooks on {url}/webhooks", err=True)
    scheduler.start()
    click.echo(
        f"packdesk daemon running jobs: {', '.join(scheduler.names)}; Ctrl-C stops.", err=True
    )
    try:
        _wait_for_signal()
    finally:
        if server is not None:
            server.stop()
        runtime.sync.stop()
        scheduler.shutdown()
        if worker is not None:
            worker.stop()
        runtime.close()
        station.close()


COMMANDS = [sync_command, webhooks_command, daemon_command]
