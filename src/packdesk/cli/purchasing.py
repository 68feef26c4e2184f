"""`packdesk suppliers ...` and `packdesk po ...`: suppliers and what they sell, and purchase
orders from creation (by hand or from the reorder suggestions) to ordered, sent, cancelled
or closed; `po pdf` writes a PO's PDF and CSV. Receiving is at the station (the Receive
screen)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from packdesk.cli.common import container_from, fail
from packdesk.domain.inventory.purchasing import PoStatus, PurchaseOrder
from packdesk.domain.inventory.stock import InventoryError
from packdesk.services.inventory.purchasing import HandLine

LINE = re.compile(r"^\s*([^=\s]+)\s*=\s*(-?\d+)\s*(?:@\s*([0-9.]+))?\s*$")


def _po_line(po: PurchaseOrder) -> str:
    expected = f"  expected {po.expected_on}" if po.expected_on else ""
    return (
        f"{po.number:<9} {po.status.value:<9} {po.supplier.name:<22} → {po.location:<3} "
        f"{po.units:>5} units {po.total:>10,.2f} {po.currency}{expected}"
    )


def _show(po: PurchaseOrder) -> None:
    click.echo(_po_line(po))
    for li in po.lines:
        got = f"  received {li.received}" if li.received else ""
        click.echo(f"    {li.sku:<14} {li.quantity:>5} × {li.unit_cost:>8.2f}  {li.title}{got}")


# -- suppliers ---------------------------------------------------------------------------


@click.group("suppliers")
def suppliers_command() -> None:
    """Suppliers and what they sell packdesk (case packs, costs, lead times)."""


@suppliers_command.command("list")
@click.option("--items", "with_items", is_flag=True, help="Each supplier's SKUs too.")
@click.pass_context
def suppliers_list(ctx: click.Context, with_items: bool) -> None:
    """Every supplier with its e-mail and lead time."""
    with container_from(ctx, require_tokens=False) as c:
        suppliers = c.inventory.suppliers
        found = suppliers.all()
        items = {s.id: suppliers.items(s.name) for s in found} if with_items else {}
    if not found:
        click.echo("No suppliers yet: `packdesk suppliers add NAME --email ... --lead-time ...`.")
    for s in found:
        click.echo(
            f"{s.name:<24} {s.email or '(no e-mail)':<30} {s.lead_time_days:>3} days  {s.currency}"
        )
        for i in items.get(s.id, []):
            lead = f", {i.lead_time_days} days" if i.lead_time_days is not None else ""
            click.echo(
                f"    {i.sku:<14} case {i.case_pack:>3}, min {i.min_order:>3}, {i.unit_cost:.2f}{lead}"
            )


@suppliers_command.command("add")
@click.argument("name")
@click.option("--email", default="", help="Where purchase orders are sent.")
@click.option(
    "--lead-time", "lead", default=14, show_default=True, help="Days from order to delivery."
)
@click.option("--currency", default="USD", show_default=True)
@click.pass_context
def suppliers_add(ctx: click.Context, name: str, email: str, lead: int, currency: str) -> None:
    """Add a supplier."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            s = c.inventory.suppliers.add(
                name, email=email, lead_time_days=lead, currency=currency.upper()
            )
        except InventoryError as exc:
            fail(str(exc))
    click.echo(f"Supplier {s.name} added (lead time {s.lead_time_days} days).")


@suppliers_command.command("edit")
@click.argument("name")
@click.option("--name", "new_name", default=None, help="A new name.")
@click.option("--email", default=None)
@click.option("--lead-time", "lead", type=int, default=None)
@click.option("--currency", default=None)
@click.pass_context
def suppliers_edit(
    ctx: click.Context,
    name: str,
    new_name: str | None,
    email: str | None,
    lead: int | None,
    currency: str | None,
) -> None:
    """Change a supplier's name, e-mail, lead time or currency."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            s = c.inventory.suppliers.edit(
                name,
                new_name=new_name,
                email=email,
                lead_time_days=lead,
                currency=currency.upper() if currency else None,
            )
        except InventoryError as exc:
            fail(str(exc))
    click.echo(
        f"Supplier {s.name}: {s.email or '(no e-mail)'}, {s.lead_time_days} days, {s.currency}."
    )


@suppliers_command.command("item")
@click.argument("supplier")
@click.argument("sku")
@click.option("--case-pack", default=1, show_default=True, help="Units per case.")
@click.option("--min-order", default=0, show_default=True, help="Fewest units per order.")
@click.option(
    "--cost", default="0", show_default=True, help="Unit cost in the supplier's currency."
)
@click.option(
    "--lead-time", "lead", type=int, default=None, help="This SKU's own lead time (days)."
)
@click.pass_context
def suppliers_item(
    ctx: click.Context,
    supplier: str,
    sku: str,
    case_pack: int,
    min_order: int,
    cost: str,
    lead: int | None,
) -> None:
    """Say that SUPPLIER sells SKU (a SKU has one supplier: this moves it)."""
    try:
        unit_cost = Decimal(cost)
    except InvalidOperation:
        fail(f"--cost {cost!r} is not a price; write it as 2.50.")
    with container_from(ctx, require_tokens=False) as c:
        try:
            item = c.inventory.suppliers.set_item(
                supplier,
                sku,
                case_pack=case_pack,
                min_order=min_order,
                unit_cost=unit_cost,
                lead_time_days=lead,
            )
        except InventoryError as exc:
            fail(str(exc))
    click.echo(f"{item.sku} is bought from {supplier} in cases of {item.case_pack}.")


@suppliers_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def suppliers_import(ctx: click.Context, file: Path) -> None:
    """Add or change suppliers and their SKUs from a CSV file with the columns supplier,
    email, lead_time_days, currency, sku, case_pack, min_order, unit_cost and
    sku_lead_time_days (every row is checked first; nothing is half-stored)."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            suppliers, items = c.inventory.suppliers.load_csv(file.read_bytes(), file.name)
        except InventoryError as exc:
            fail(str(exc))
    click.echo(f"{suppliers} supplier(s) and {items} SKU(s) stored from {file.name}.")


# -- purchase orders ---------------------------------------------------------------------


@click.group("po")
def po_command() -> None:
    """Purchase orders: create, order, send, cancel, close; PDF and CSV."""


@po_command.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in PoStatus], case_sensitive=False),
)
@click.pass_context
def po_list(ctx: click.Context, statuses: tuple[str, ...]) -> None:
    """Purchase orders, newest first."""
    with container_from(ctx, require_tokens=False) as c:
        found = c.inventory.purchasing.all([PoStatus(s.upper()) for s in statuses])
    click.echo("\n".join(_po_line(po) for po in found) or "No purchase orders.")


@po_command.command("show")
@click.argument("number")
@click.pass_context
def po_show(ctx: click.Context, number: str) -> None:
    """One purchase order with its lines."""
    with container_from(ctx, require_tokens=False) as c:
        try:
            _show(c.inventory.purchasing.get(number))
        except InventoryError as exc:
            fail(str(exc))


@po_command.command("create")
@click.option("--supplier", required=True, help="Who it is ordered from.")
@click.option(
    "--from-suggestions",
    "suggested",
    is_flag=True,
    help="What `packdesk reorder` says to buy from the supplier (a PO per warehouse).",
)
@click.option("--location", default="", help="The warehouse it ships to (CA, PA).")
@click.option(
    "--line",
    "lines",
    multiple=True,
    metavar="SKU=QTY[@COST]",
    help="A line by hand (repeatable), e.g. --line BM-ABC-01=24@2.10.",
)
@click.option("--note", default="")
@click.pass_context
def po_create(
    ctx: click.Context,
    supplier: str,
    suggested: bool,
    location: str,
    lines: tuple[str, ...],
    note: str,
) -> None:
    """Create a DRAFT purchase order, from the reorder suggestions or by hand."""
    if suggested == bool(lines):
        fail("Give --from-suggestions or at least one --line SKU=QTY, not both.")
    hand: list[HandLine] = []
    for text in lines:
        found = LINE.match(text)
        if not found:
            fail(f"--line {text!r} is not SKU=QTY or SKU=QTY@COST, e.g. BM-ABC-01=24@2.10.")
        cost = Decimal(found.group(3)) if found.group(3) else None
        hand.append(HandLine(found.group(1), int(found.group(2)), cost))
    with container_from(ctx, require_tokens=False) as c:
        purchasing = c.inventory.purchasing
        try:
            made = (
                purchasing.from_suggestions(supplier, location.upper())
                if suggested
                else [purchasing.create(supplier, location.upper(), hand, note)]
            )
        except InventoryError as exc:
            fail(str(exc))
    for po in made:
        _show(po)
    click.echo(
        f"Order it with `packdesk po order {made[0].number}`, or send it to the supplier "
        f"with `packdesk po send {made[0].number}`."
    )


def _move(ctx: click.Context, number: str, verb: str) -> None:
    with container_from(ctx, require_tokens=False) as c:
        purchasing = c.inventory.purchasing
        action = {
            "order": purchasing.order,
            "send": purchasing.send,
            "cancel": purchasing.cancel,
            "close": purchasing.close,
        }[verb]
        try:
            po = action(number)
        except InventoryError as exc:
            fail(str(exc))
    said = {
        "order": f"{po.number} is ORDERED; Shopify's incoming at {po.location} rises by "
        f"{po.units} units (through the outbox).",
        "send": f"{po.number} goes to {po.supplier.email} (PDF and CSV) through the outbox.",
        "cancel": f"{po.number} is CANCELLED.",
        "close": f"{po.number} is CLOSED.",
    }[verb]
    click.echo(said)


@po_command.command("order")
@click.argument("number")
@click.pass_context
def po_order(ctx: click.Context, number: str) -> None:
    """DRAFT → ORDERED without e-mail (ordered by phone or the supplier's site)."""
    _move(ctx, number, "order")


@po_command.command("send")
@click.argument("number")
@click.pass_context
def po_send(ctx: click.Context, number: str) -> None:
    """E-mail the PO (PDF and CSV) to its supplier; a draft is ordered first."""
    _move(ctx, number, "send")


@po_command.command("cancel")
@click.argument("number")
@click.pass_context
def po_cancel(ctx: click.Context, number: str) -> None:
    """Cancel a draft or ordered PO; what was ordered leaves Shopify's incoming."""
    _move(ctx, number, "cancel")


@po_command.command("close")
@click.argument("number")
@click.pass_context
def po_close(ctx: click.Context, number: str) -> None:
    """Close a partly or fully received PO; what will not come leaves Shopify's incoming."""
    _move(ctx, number, "close")


@po_command.command("pdf")
@click.argument("number")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for NUMBER.pdf and NUMBER.csv ([inventory].po_folder by default).",
)
@click.pass_context
def po_pdf(ctx: click.Context, number: str, out: Path | None) -> None:
    """Write the PO as PDF and CSV."""
    with container_from(ctx, require_tokens=False) as c:
        folder = out or (
            Path(c.settings.inventory.po_folder).expanduser()
            if c.settings.inventory.po_folder
            else c.data_dir / "purchase-orders"
        )
        try:
            po = c.inventory.purchasing.get(number)
            pdf, csv = c.inventory.purchasing.files(po)
        except InventoryError as exc:
            fail(str(exc))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{po.number}.pdf").write_bytes(pdf)
        (folder / f"{po.number}.csv").write_bytes(csv)
    except OSError as exc:
        fail(f"Cannot write to {folder}: {exc}. Give another folder with --out.")
    click.echo(f"Wrote {folder / f'{po.number}.pdf'} and {po.number}.csv")


COMMANDS = [suppliers_command, po_command]
