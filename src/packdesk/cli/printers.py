"""`packdesk printers list|test`: the configured printers with their state, the CUPS
queues this machine knows, and a test print that answers at once."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from packdesk.bootstrap.printers import list_cups_queues, printer_drivers, send_test_print
from packdesk.cli.common import fail, settings_from
from packdesk.domain.ports import PrinterUnavailable, PrintRefused
from packdesk.settings import ConfigError

EXIT_PRINTER = 1


@click.group()
def printers() -> None:
    """List configured printers and print a test label or page."""


@printers.command("list")
@click.pass_context
def list_printers(ctx: click.Context) -> None:
    """Configured printers with their state, and the CUPS queues found."""
    settings = settings_from(ctx)
    try:
        drivers = printer_drivers(settings)
    except ConfigError as exc:
        fail(str(exc))
    if not drivers:
        click.echo("No printers configured: add [[printers]] entries (config.example.toml).")
    for entry in settings.printers:
        driver = drivers[entry.name]
        problem = driver.check()
        state = "ready" if not problem else "NOT READY"
        click.echo(
            f"{entry.name:<12} {entry.kind:<7} {entry.role:<6} "
            f"{driver.describe_target():<36} {state}"
        )
        if problem:
            click.echo(f"    {problem}")
    queues = list_cups_queues()
    if queues:
        click.echo("")
        click.echo("CUPS queues:")
        for queue, uri in queues:
            click.echo(f"  {queue:<20} {uri}")
    else:
        click.echo("")
        click.echo("CUPS queues: none found (no CUPS server, or lpstat not installed).")


@printers.command("test")
@click.argument("name")
@click.pass_context
def test_printer(ctx: click.Context, name: str) -> None:
    """Print a test label or page on printer NAME."""
    settings = settings_from(ctx)
    try:
        printer = send_test_print(settings, name, datetime.now(UTC))
    except LookupError as exc:
        fail(str(exc))
    except ConfigError as exc:
        fail(str(exc))
    except (PrinterUnavailable, PrintRefused) as exc:
        fail(str(exc).replace("; the job waits in the queue.", "."), EXIT_PRINTER)
    click.echo(f"Sent a test print to {printer.name} ({printer.describe_target()}).")


COMMANDS = [printers]
