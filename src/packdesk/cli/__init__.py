"""The `packdesk` command. Every command takes `--config` and `--verbose` before or after its
name; ORDER is the name the customer sees (`#1001`)."""

from __future__ import annotations

import click

from packdesk import __version__
from packdesk.bootstrap import StoreError
from packdesk.cli import (
    config,
    doctor,
    inventory,
    orders,
    outbox,
    printers,
    purchasing,
    sandbox,
    sync,
    tui,
)
from packdesk.cli.common import CliContext, accept_global_options, fail, global_options
from packdesk.settings import ConfigError


class PackdeskGroup(click.Group):
    """Turns a config or database problem found by any command into its one sentence and
    exit status 2, wherever it surfaces (loading settings, wiring printers, opening the store)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (ConfigError, StoreError) as exc:
            fail(str(exc))


@click.group(
    cls=PackdeskGroup,
    params=global_options(envvar="PACKDESK_CONFIG"),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.pass_context
def main(ctx: click.Context) -> None:
    """packdesk: scan, label, print and ship Shopify orders from the warehouse."""
    ctx.ensure_object(CliContext)


@main.command()
def version() -> None:
    """Print packdesk's version."""
    click.echo(f"packdesk {__version__}")


for module in (config, doctor, tui, sandbox, sync, orders, printers, outbox, inventory, purchasing):
    for command in module.COMMANDS:
        main.add_command(command)
accept_global_options(main)
