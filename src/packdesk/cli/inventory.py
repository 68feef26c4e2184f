"""`packdesk stock`, `packdesk reorder`, `packdesk fba import|sync|list` and `packdesk alerts`:
stock across CA, PA and Amazon FBA, what to reorder and why, and low-stock alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import get_args

import click

from packdesk.cli.common import container_from, fail
from packdesk.cli.stock_output import plan_json, row_json, table
from packdesk.domain.inventory.fba import FbaReportRefused
from packdesk.domain.inventory.stock import FBA, InventoryError, StockStatus
from packdesk.domain.inventory.view import SortKey, StockQuery
from packdesk.domain.ports import FbaUnavailable

EXIT_FAILED = 1
STATUSES = [s.value for s in StockStatus]
SORTS: dict[str, SortKey] = {key: key for key in get_args(SortKey)}


@click.command("stock")
@click.argument("skus", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per SKU.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES, case_sensitive=False),
    help="Only SKUs with this status (repeatable).",
)
@click.option("--location", default="", help="Only SKUs stocked at this location (CA, PA, FBA).")
@click.option("--vendor", default="", help="Only SKUs whose vendor contains this text.")
@click.option("--sort", type=click.Choice(list(SORTS)), default="status", show_default=True)
@click.option("--limit", default=500, show_default=True, help="At most this many SKUs.")
@click.pass_context
def stock_command(
    ctx: click.Context,
    skus: tuple[str, ...],
    as_json: bool,
    statuses: tuple[str, ...],
    location: str,
    vendor: str,
    sort: str,
    limit: int,
) -> None:
    """Stock per SKU at CA, PA and FBA, with velocity, days of cover, reorder point and
    status (OK, LOW, OUT, OVERSTOCK); SKUs given on the command line, or all of them."""
    with container_from(ctx, require_tokens=False) as c:
        stock = c.inventory.stock
        query = StockQuery(
            statuses=frozenset(StockStatus(s.upper()) for s in statuses),
            location=location.upper(),
            vendor=vendor,
            sort=SORTS[sort],
            limit=limit,
        )
        if skus:
            rows = stock.rows(list(skus))
            missing = sorted({s.casefold() for s in skus} - {r.sku.casefold() for r in rows})
            if missing:
                fail(
                    f"No variant has SKU {', '.join(missing)}; `packdesk stock` lists them all.",
                    EXIT_FAILED,
                )
            total = len(rows)
        else:
            page = stock.page(query)
            rows, total = page.rows, page.total
        codes = [w.code for w in stock.warehouses()] + [FBA]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row_json(row)))
        return
    if not rows:
        click.echo("No SKU matches." if total == 0 and not skus else "No variants: run a sync.")
        return
    for line in table(rows, codes):
        click.echo(line)
    if total > len(rows):
        click.echo(f"… {total - len(rows)} more; narrow with --status, --location or --vendor.")
    click.echo(
        "available+incoming at warehouses, fulfillable+inbound at FBA; ! low-stock alert, z snoozed"
    )


@click.command("reorder")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per suggestion.")
@click.option("--supplier", default="", help="Only this supplier's SKUs.")
@click.option("--location", default="", help="Only at this location (CA, PA, FBA).")
@click.option("--all", "show_all", is_flag=True, help="Every planned SKU, not only those due.")
@click.pass_context
def reorder_command(
    ctx: click.Context, as_json: bool, supplier: str, location: str, show_all: bool
) -> None:
    """What to order now, per SKU and location, with every input of each suggestion."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            supplier_id = c.inventory.suppliers.get(supplier).id if supplier else None
        except InventoryError as exc:
            fail(str(exc))
        plans = c.inventory.stock.plans(
            supplier_id=supplier_id, location=location.upper(), due_only=not show_all
        )
    if as_json:
        for plan in plans:
            click.echo(json.dumps(plan_json(plan)))
        return
    if not plans:
        click.echo("Nothing to order: no SKU is at or below its reorder point.")
        return
    for plan in plans:
        i = plan.inputs
        who = f" from {i.supplier}" if i.supplier else " (no supplier set)"
        click.echo(f"{i.sku} at {i.location}: order {plan.quantity}{who} — {i.title}")
        for text in plan.explain():
            click.echo(f"    {text}")


@click.group("fba")
def fba_command() -> None:
    """Amazon FBA stock: import a report file, read it from the SP-API, list imports."""


@fba_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--date",
    "as_of",
    default="",
    help="When the report was made (YYYY-MM-DD[THH:MM]); default the file's time.",
)
@click.option("--json", "as_json", is_flag=True, help="The import as one JSON object.")
@click.pass_context
def fba_import(ctx: click.Context, file: Path, as_of: str, as_json: bool) -> None:
    """Import a "Manage FBA Inventory" report (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA) as
    Seller Central downloads it."""
    try:
        when = (
            datetime.fromisoformat(as_of)
            if as_of
            else datetime.fromtimestamp(file.stat().st_mtime, UTC)
        )
    except ValueError:
        fail(f"--date {as_of!r} is not a date; write it as 2026-11-30 or 2026-11-30T06:00.")
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    with container_from(ctx, require_tokens=False) as c:
        try:
            done = c.inventory.fba.import_report(file.read_bytes(), name=file.name, as_of=when)
        except FbaReportRefused as exc:
            fail(f"{file} was not imported (nothing of it is stored), {exc}")
    if as_json:
        click.echo(done.model_dump_json())
        return
    click.echo(
        f"Imported {done.rows} SKUs from {file.name}, as of {done.as_of:%Y-%m-%d %H:%M} UTC: "
        f"{done.matched} match a Shopify variant."
    )
    if done.unmatched:
        click.echo(f"{len(done.unmatched)} match none: {', '.join(done.unmatched)}")
    if done.ignored_columns:
        click.echo(f"Columns not read: {', '.join(done.ignored_columns)}")
    if done.missing_columns:
        click.echo(f"Columns missing (their numbers are blank): {', '.join(done.missing_columns)}")


@fba_command.command("sync")
@click.pass_context
def fba_sync(ctx: click.Context) -> None:
    """Read FBA stock from Amazon's SP-API now ([amazon] in the config)."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            done = c.inventory.fba.sync()
        except FbaUnavailable as exc:
            fail(str(exc), EXIT_FAILED)
    click.echo(
        f"Read {done.rows} SKUs from Amazon ({done.name}): {done.matched} match a "
        f"Shopify variant" + (f"; none: {', '.join(done.unmatched)}" if done.unmatched else ".")
    )


@fba_command.command("list")
@click.pass_context
def fba_list(ctx: click.Context) -> None:
    """The latest FBA imports, newest first (the first one is the stock shown)."""
    with container_from(ctx, require_tokens=False) as c:
        imports = c.inventory.fba.imports()
    if not imports:
        click.echo("No FBA stock yet: `packdesk fba import FILE` or `packdesk fba sync`.")
    for i in imports:
        click.echo(
            f"{i.as_of:%Y-%m-%d %H:%M}  {i.source:<7} {i.rows:>6} SKUs  "
            f"{i.matched:>6} matched  {i.name}"
        )


@click.group("alerts")
def alerts_command() -> None:
    """Low-stock alerts: list them, check now, snooze a SKU."""


@alerts_command.command("list")
@click.pass_context
def alerts_list(ctx: click.Context) -> None:
    """Open alerts of SKUs not snoozed, and the snoozes running."""
    with container_from(ctx, require_tokens=False) as c:
        alerts = c.inventory.alerts.open()
        snoozes = c.inventory.alerts.snoozes()
    click.echo("\n".join(a.sentence() for a in alerts) or "No low-stock alert.")
    for s in snoozes:
        click.echo(f"snoozed: {s.sku} until {s.until:%Y-%m-%d %H:%M} UTC {s.reason}".rstrip())


@alerts_command.command("check")
@click.pass_context
def alerts_check(ctx: click.Context) -> None:
    """Raise and clear alerts now (the station's job does it every few minutes)."""
    with container_from(ctx, require_tokens=False) as c:
        result = c.inventory.alerts.check()
        queued = c.inventory.alerts.digest()
    click.echo(
        f"{len(result.raised)} raised, {result.cleared} cleared, {result.open} open"
        + (f"; the digest carries {queued}" if queued else "")
    )
    for alert in result.raised:
        click.echo(f"  {alert.sentence()}")


@alerts_command.command("snooze")
@click.argument("sku")
@click.option("--days", default=14, show_default=True, help="For this many days.")
@click.option("--reason", default="", help="Why, shown with the snooze.")
@click.pass_context
def alerts_snooze(ctx: click.Context, sku: str, days: int, reason: str) -> None:
    """Raise no alert for SKU for a while (a SKU still low when it ends alerts once)."""
    if days < 1:
        fail("--days must be 1 or more.")
    with container_from(ctx, require_tokens=False) as c:
        try:
            s = c.inventory.alerts.snooze(sku, c.clock.now() + timedelta(days=days), reason)
        except InventoryError as exc:
            fail(str(exc))
    click.echo(f"{s.sku} raises no low-stock alert until {s.until:%Y-%m-%d %H:%M} UTC.")


@alerts_command.command("unsnooze")
@click.argument("sku")
@click.pass_context
def alerts_unsnooze(ctx: click.Context, sku: str) -> None:
    """End a SKU's snooze now."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            ended = c.inventory.alerts.unsnooze(sku)
        except InventoryError as exc:
            fail(str(exc))
    click.echo(f"{sku} {'is no longer snoozed' if ended else 'was not snoozed'}.")


COMMANDS = [stock_command, reorder_command, fba_command, alerts_command]
