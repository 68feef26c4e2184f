"""The `packdesk` command. Every command takes `--config` and `--verbose` before or after its
name; ORDER is the name the customer sees (`#1001`)."""

from __future__ import annotations

import click

from packdesk import __version__
from packdesk.bootstrap import StoreError
from packdesk.bootstrap.store import database_schema_version, newest_schema_version
from packdesk.cli import (
    analytics,
    carriers,
    config,
    doctor,
    inventory,
    orders,
    outbox,
    printers,
    purchasing,
    sandbox,
    service,
    setup,
    sync,
    tui,
)
from packdesk.cli.common import (
    CliContext,
    accept_global_options,
    cli_context,
    fail,
    global_options,
)
from packdesk.settings import ConfigError, load_settings


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
@click.pass_context
def version(ctx: click.Context) -> None:
    """Print packdesk's version, the database schema version it uses, and the configured
    database's own."""
    click.echo(f"packdesk {__version__}, database schema version {newest_schema_version()}")
    try:
        settings = load_settings(cli_context(ctx).config)
    except ConfigError:
        return  # the version stands without a config; `packdesk config check` explains it
    path, found = database_schema_version(settings)
    if found is not None:
        click.echo(f"{path}: schema version {found}")


for module in (
    setup,
    config,
    doctor,
    tui,
    sandbox,
    sync,
    service,
    orders,
    carriers,
    printers,
    outbox,
    analytics,
    inventory,
    purchasing,
):
    for command in module.COMMANDS:
        main.add_command(command)
accept_global_options(main)
