"""`packdesk printers list|test|retry`: the configured printers with their state, the CUPS
queues this machine knows, a test print that answers at once, and the waiting print jobs
sent now (what a station without a running daemon or TUI does after fixing a printer)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from packdesk.bootstrap.printers import list_cups_queues, printer_drivers, send_test_print
from packdesk.cli.common import container_from, fail, settings_from
from packdesk.domain.models import PrintJobState
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


@printers.command("retry")
@click.argument("name", required=False)
@click.pass_context
def retry_printers(ctx: click.Context, name: str | None) -> None:
    """Send the print jobs waiting for printer NAME (or for every printer) now."""
    with container_from(ctx, require_tokens=False) as services:
        printing = services.printing
        if name is not None and name not in printing.printers:
            known = ", ".join(printing.printers) or "none configured"
            fail(f"No printer named {name!r} in the config (printers: {known}).")
        if not printing.retry_now(name):
            click.echo("No print job is waiting.")
            return
        failed = 0
        for job in printing.run_once():
            if job.state is PrintJobState.DONE:
                where = printing.where(job.printer)
                click.echo(f"{job.document} printed on {job.printer} ({where}).")
            elif job.state is PrintJobState.FAILED:
                failed += 1
                click.echo(f"{job.document} not printed: {job.last_error}")
        waiting = [j for j in printing.pending() if name is None or j.printer == name]
        for job in waiting:
            why = job.last_error or "it waits behind an earlier job of its printer."
            click.echo(f"{job.document} still waits for {job.printer}: {why}")
        if waiting or failed:
            raise SystemExit(EXIT_PRINTER)
        click.echo("Every waiting print job is printed.")


COMMANDS = [printers]
