"""`packdesk report` (the numbers of a period as PDF, CSV and JSON, or e-mailed to the owner)
and `packdesk export` (the fact tables for a data warehouse)."""

from __future__ import annotations

from pathlib import Path

import click

from packdesk.cli.common import container_from, fail
from packdesk.domain.analytics.periods import PRESETS, PeriodError
from packdesk.services.export import ExportRefused
from packdesk.services.reports import ReportRefused


@click.command("report")
@click.option("--from", "first", metavar="DATE", help="First day, YYYY-MM-DD (with --to).")
@click.option("--to", "last", metavar="DATE", help="Last day, YYYY-MM-DD (with --from).")
@click.option(
    "--period",
    type=click.Choice(list(PRESETS)),
    default=None,
    help="A named period ending today, instead of --from/--to (default: 30d).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["pdf", "csv", "json"]),
    multiple=True,
    help="What to write (repeatable; default: pdf and csv).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: ./packdesk-report-FROM-TO).",
)
@click.option("--email", is_flag=True, help="Send the PDF to [reports].email_to via the outbox.")
@click.option("--email-to", default="", metavar="ADDRESS", help="Send it to this address instead.")
@click.pass_context
def report_command(
    ctx: click.Context,
    first: str | None,
    last: str | None,
    period: str | None,
    formats: tuple[str, ...],
    out: Path | None,
    email: bool,
    email_to: str,
) -> None:
    """Write the numbers of a period: orders and revenue, shipping, inventory, customers."""
    if (first is None) != (last is None):
        fail("Give both --from and --to (YYYY-MM-DD), or neither (the last 30 days).")
    if period and first:
        fail("Give either --period or --from/--to, not both.")
    with container_from(ctx, require_tokens=False) as container:
        analytics = container.analytics
        try:
            span = (
                analytics.service.between(first, last)
                if first is not None and last is not None
                else analytics.service.preset(period or "30d")
            )
        except PeriodError as exc:
            fail(str(exc))
        folder = out or Path(f"packdesk-report-{span.first}-{span.last}")
        if email or email_to:
            try:
                address = analytics.reports.email(span, email_to)
            except ReportRefused as exc:
                fail(str(exc))
            click.echo(f"The report for {span.describe()} is queued for {address} (outbox).")
            if container.settings.email.sender == "none":
                click.echo(
                    "[email].sender is none: it waits in the outbox until it is smtp or sendgrid.",
                    err=True,
                )
            if not formats and out is None:
                return
        written = analytics.reports.write(span, folder, formats or ("pdf", "csv"))
        click.echo(f"Report for {span.describe()} ({len(written)} files) in {folder}:")
        for path in written:
            click.echo(f"  {path}")


@click.command("export")
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the tables into.",
)
@click.option(
    "--format",
    "kind",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="File format (parquet needs the parquet extra).",
)
@click.pass_context
def export_command(ctx: click.Context, folder: Path, kind: str) -> None:
    """Write the fact tables (orders, order lines, labels with cost, stock snapshots,
    purchase orders) for a data warehouse, with columns.csv describing every column."""
    with container_from(ctx, require_tokens=False) as container:
        try:
            written = container.analytics.export.export(folder, kind)
        except ExportRefused as exc:
            fail(str(exc))
        click.echo(f"Exported {len(written) - 1} tables as {kind} to {folder}:")
        for path in written:
            click.echo(f"  {path}")


COMMANDS = [report_command, export_command]
