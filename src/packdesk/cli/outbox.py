"""`packdesk outbox list|retry|run|suppress|unsuppress`: the upstream effects waiting to be
delivered (fulfillments, stock changes, customer emails), and what to do about stuck ones."""

from __future__ import annotations

import click

from packdesk.cli.common import container_from, fail
from packdesk.domain.models import OutboxItem, OutboxState


@click.group("outbox")
def outbox_command() -> None:
    """Upstream effects: list them, retry dead ones, run the worker once."""


def _line(item: OutboxItem) -> str:
    when = item.delivered_at if item.state is not OutboxState.PENDING else item.next_attempt_at
    detail = item.last_error or item.note
    stamp = when.strftime("%Y-%m-%d %H:%M") if when else ""
    return (
        f"{item.id:>6}  {item.state.value:<9} {item.kind:<16} {item.attempts:>3}  {stamp:<16}  "
        f"{item.dedupe_key}{'  — ' + detail if detail else ''}"
    )


@outbox_command.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also delivered and skipped items.")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice([s.value for s in OutboxState], case_sensitive=False),
    help="Only items in this state (repeatable).",
)
@click.option("--limit", default=200, show_default=True, help="At most this many items.")
@click.pass_context
def list_command(ctx: click.Context, show_all: bool, states: tuple[str, ...], limit: int) -> None:
    """Pending and dead items with their attempts and last error."""
    with container_from(ctx, require_tokens=False) as c:
        wanted = [OutboxState(s.upper()) for s in states] or (
            [] if show_all else [OutboxState.PENDING, OutboxState.DEAD]
        )
        items = c.store.outbox.items(wanted, limit)
        counts = c.store.outbox.counts()
    click.echo("  ".join(f"{state.value.lower()} {counts[state]}" for state in OutboxState))
    if not items:
        click.echo("Nothing waiting." if not show_all and not states else "No items.")
        return
    click.echo(f"{'ID':>6}  {'STATE':<9} {'KIND':<16} {'TRY':>3}  {'NEXT / DONE':<16}  KEY")
    for item in items:
        click.echo(_line(item))


@outbox_command.command("retry")
@click.argument("item_id", required=False, type=int)
@click.option("--all", "retry_all", is_flag=True, help="Every dead item.")
@click.pass_context
def retry_command(ctx: click.Context, item_id: int | None, retry_all: bool) -> None:
    """Send a DEAD item (or --all of them) again, starting its attempts over."""
    if (item_id is None) == (not retry_all):
        fail("Give one item ID or --all, e.g. `packdesk outbox retry 42`.")
    with container_from(ctx, require_tokens=False) as c:
        service = c.outbox
        if retry_all:
            click.echo(f"{service.retry_all()} dead item(s) will be sent again.")
            return
        assert item_id is not None
        if not service.retry(item_id):
            item = c.store.outbox.get(item_id)
            if item is None:
                fail(f"No outbox item {item_id}; `packdesk outbox list` shows their ids.")
            if item.state is OutboxState.DEAD:
                fail(f"Outbox item {item_id} stays dead: {item.last_error}")
            fail(f"Outbox item {item_id} is {item.state.value}, not DEAD: nothing to retry.")
        click.echo(f"Item {item_id} will be sent again at the next outbox run.")


@outbox_command.command("run")
@click.option("--once", is_flag=True, required=True, help="Deliver what is due now, then exit.")
@click.pass_context
def run_command(ctx: click.Context, once: bool) -> None:
    """Deliver every item that is due now, then exit."""
    with container_from(ctx, require_tokens=False) as c:
        settled = c.outbox.run_until_idle()
        counts = c.outbox.counts()
        waiting = c.outbox.waiting_kinds()
    click.echo(
        f"Settled {settled} item(s); {counts[OutboxState.PENDING]} pending, "
        f"{counts[OutboxState.DEAD]} dead."
    )
    if waiting:
        click.echo(
            f"Not delivered by this process: {', '.join(waiting)} (no Shopify access configured).",
            err=True,
        )
    if counts[OutboxState.DEAD]:
        raise SystemExit(1)


@outbox_command.command("suppress")
@click.argument("email")
@click.option("--reason", default="asked not to be emailed", show_default=True)
@click.pass_context
def suppress_command(ctx: click.Context, email: str, reason: str) -> None:
    """Never send marketing emails (usage guides, review requests) to EMAIL."""
    with container_from(ctx, require_tokens=False) as c:
        c.store.outbox.suppress(email, reason, c.clock.now())
    click.echo(f"{email} gets no more marketing emails.")


@outbox_command.command("unsuppress")
@click.argument("email")
@click.pass_context
def unsuppress_command(ctx: click.Context, email: str) -> None:
    """Take EMAIL off the suppression list."""
    with container_from(ctx, require_tokens=False) as c:
        removed = c.store.outbox.unsuppress(email)
    click.echo(f"{email} {'removed from' if removed else 'was not on'} the suppression list.")


COMMANDS = [outbox_command]
