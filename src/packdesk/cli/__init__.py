"""The `packdesk` command. Every subcommand takes `--config`; ORDER is the name the
customer sees (`#1001`)."""

from __future__ import annotations

import click

from packdesk import __version__
from packdesk.adapters.store import StoreError
from packdesk.cli import config, doctor, orders, outbox, printers, sandbox, sync, tui
from packdesk.cli.common import CliContext, fail
from packdesk.settings import ConfigError


class PackdeskGroup(click.Group):
    """Turns a config or database problem found by any command into its one sentence and
    exit status 2, wherever it surfaces (loading settings, wiring printers, opening the store)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (ConfigError, StoreError) as exc:
            fail(str(exc))


@click.group(cls=PackdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config",
    envvar="PACKDESK_CONFIG",
    type=click.Path(dir_okay=False),
    help="Config file (default: PACKDESK_CONFIG, else the user config dir).",
)
@click.option("-v", "--verbose", is_flag=True, help="Echo the log to stderr.")
@click.pass_context
def main(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """packdesk: scan, label, print and ship Shopify orders from the warehouse."""
    ctx.obj = CliContext(config=config, verbose=verbose)


@main.command()
def version() -> None:
    """Print packdesk's version."""
    click.echo(f"packdesk {__version__}")


for module in (config, doctor, tui, sandbox, sync, orders, printers, outbox):
    for command in module.COMMANDS:
        main.add_command(command)
