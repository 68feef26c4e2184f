"""`packdesk sync`, `packdesk webhooks [subscribe|list|unsubscribe]` and `packdesk daemon`."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click

from packdesk.bootstrap import Container
from packdesk.cli.common import container_from, fail
from packdesk.domain.events import Event, SyncProgress
from packdesk.services.sync import RESOURCES, SyncResult
from packdesk.settings import Settings


@contextmanager
def sync_container(ctx: click.Context) -> Iterator[Container]:
    """The container of a command that talks to Shopify: it needs the access token."""
    with container_from(ctx, require_tokens=False) as container:
        settings = container.settings
        if not settings.shopify.access_token.get_secret_value():
            where = settings.source_path or "the config file"
            fail(
                f"{where}: [shopify].access_token is empty. Set it in the file or in "
                "PACKDESK_SHOPIFY__ACCESS_TOKEN."
            )
        yield container


def _progress(event: Event) -> None:
    if isinstance(event, SyncProgress):
        click.echo(f"  {event.resource}: {event.count:,} stored", err=True)


def _summary(results: list[SyncResult], container: Container, seconds: float) -> None:
    for r in results:
        outcome = "ok" if r.ok else f"FAILED: {r.error}"
        click.echo(f"{r.resource:<10} {r.count:>8,}  {r.seconds:7.1f}s  {outcome}")
    stats = container.sync_client.stats
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
    with sync_container(ctx) as container:
        if once:
            if container.store.sync.status("orders").last_success_at is None:
                click.echo(
                    "First full sync: this reads every order, product and stock level.", err=True
                )
                container.bus.subscribe(_progress)
            started = time.monotonic()
            results = [container.sync.run(r) for r in (resources or RESOURCES)]
            _summary(results, container, time.monotonic() - started)
            if not all(r.ok for r in results):
                raise SystemExit(1)
            return
        container.scheduler(container.sync_jobs).start()
        click.echo("Syncing on the [sync] intervals; Ctrl-C stops.", err=True)
        _wait_for_signal()


def _require_secret(settings: Settings) -> None:
    if not settings.shopify.webhook_secret.get_secret_value():
        where = settings.source_path or "the config file"
        fail(
            f"{where}: [shopify].webhook_secret is empty, so no webhook could be verified. "
            "Set it to the app's client secret."
        )


@click.group("webhooks", invoke_without_command=True)
@click.option("--host", default=None, help="Address to listen on (default [webhooks].host).")
@click.option("--port", type=int, default=None, help="Port to listen on (default [webhooks].port).")
@click.pass_context
def webhooks_command(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the Shopify webhook receiver (orders/create, orders/updated, orders/cancelled,
    inventory_levels/update); `subscribe`, `list` and `unsubscribe` manage the app's
    subscriptions that deliver to it."""
    if ctx.invoked_subcommand is not None:
        return
    with sync_container(ctx) as container:
        settings = container.settings
        _require_secret(settings)
        server, worker = container.webhook_receiver(
            host or settings.webhooks.host,
            port if port is not None else settings.webhooks.port,
        )
        worker.start()
        threading.Thread(target=container.webhooks.sweep, name="webhook-sweep", daemon=True).start()
        click.echo(
            f"Receiving Shopify webhooks on http://{server.config.host}:{server.config.port}"
            "/webhooks",
            err=True,
        )
        server.serve_forever()


@webhooks_command.command("subscribe")
@click.option(
    "--url",
    required=True,
    help="Public address of the webhook receiver, e.g. https://packdesk.example.com/webhooks "
    "(Shopify delivers to https addresses only).",
)
@click.pass_context
def webhooks_subscribe(ctx: click.Context, url: str) -> None:
    """Subscribe URL to every topic packdesk handles; subscriptions it already has are kept."""
    with sync_container(ctx) as container:
        subscriptions = container.webhook_subscriptions
        try:
            changes = subscriptions.subscribe(url)
            others = subscriptions.elsewhere(url)
        except ValueError as exc:
            fail(str(exc))
        except RuntimeError as exc:  # Shopify's refusal or absence, as a sentence
            fail(str(exc), 1)
        for change in changes:
            click.echo(f"{change.outcome:<8} {change.topic:<24} {change.uri}")
        for other in others:
            click.echo(
                f"note: {other.topic} is also delivered to {other.uri}; "
                f"`packdesk webhooks unsubscribe --url {other.uri}` stops that.",
                err=True,
            )
        if not container.settings.shopify.webhook_secret.get_secret_value():
            click.echo(
                "note: Shopify signs these deliveries with the app's client secret; set "
                "[shopify].webhook_secret to it, or the receiver refuses every one.",
                err=True,
            )


@webhooks_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per subscription.")
@click.pass_context
def webhooks_list(ctx: click.Context, as_json: bool) -> None:
    """List the app's webhook subscriptions in Shopify."""
    with sync_container(ctx) as container:
        try:
            found = container.webhook_subscriptions.current()
        except RuntimeError as exc:
            fail(str(exc), 1)
        for s in found:
            if as_json:
                click.echo(json.dumps(s.model_dump()))
            else:
                click.echo(f"{s.topic:<24} {s.uri}  (API {s.api_version or '?'}, {s.id})")
        if not found and not as_json:
            click.echo("No webhook subscriptions: `packdesk webhooks subscribe --url URL`.")


@webhooks_command.command("unsubscribe")
@click.option("--url", default=None, help="Remove the subscriptions delivering to this address.")
@click.option(
    "--all", "everything", is_flag=True, help="Remove every subscription of packdesk's topics."
)
@click.pass_context
def webhooks_unsubscribe(ctx: click.Context, url: str | None, everything: bool) -> None:
    """Remove the subscriptions of packdesk's topics to URL (or to any address with --all)."""
    if (url is None) == (not everything):
        fail("Give --url URL (the subscriptions to that address) or --all.")
    with sync_container(ctx) as container:
        try:
            removed = container.webhook_subscriptions.unsubscribe(url)
        except ValueError as exc:
            fail(str(exc))
        except RuntimeError as exc:
            fail(str(exc), 1)
        for change in removed:
            click.echo(f"removed  {change.topic:<24} {change.uri}")
        if not removed:
            click.echo("Nothing to remove.")


@click.command("daemon")
@click.pass_context
def daemon_command(ctx: click.Context) -> None:
    """Run the background jobs (and the webhook receiver when [webhooks].enabled) with no UI."""
    with sync_container(ctx) as container:
        settings = container.settings
        scheduler = container.scheduler(container.jobs)
        server = None
        if settings.webhooks.enabled:
            _require_secret(settings)
            server, worker = container.webhook_receiver(
                settings.webhooks.host, settings.webhooks.port
            )
            worker.start()
            try:
                url = server.start()
            except OSError as exc:
                fail(str(exc))
            click.echo(f"Receiving Shopify webhooks on {url}/webhooks", err=True)
        try:
            metrics = container.analytics.serve_metrics()
        except OSError as exc:
            fail(str(exc))
        if metrics:
            click.echo(f"Serving Prometheus metrics on {metrics}", err=True)
        scheduler.start()
        click.echo(
            f"packdesk daemon running jobs: {', '.join(scheduler.names)}; Ctrl-C stops.", err=True
        )
        try:
            _wait_for_signal()
        finally:
            if server is not None:
                server.stop()


COMMANDS = [sync_command, webhooks_command, daemon_command]
