"""`packdesk rates`, `ship` and `void`: shipping without the TUI. `ship` prints the label
and the slip itself, through the same print queue the TUI and the daemon use.

ORDER is the name the customer sees: `#1001` or `1001`. Problems print one sentence with
the fix and exit 1 (2 for a usage mistake); nothing is bought twice however often a
command is repeated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import click

from packdesk.bootstrap import Container
from packdesk.cli.common import container_from, fail
from packdesk.domain.models import PurchaseState
from packdesk.domain.shipping import CarrierError
from packdesk.services.label_batch import BatchProgress, buy_batch, select_orders
from packdesk.services.print_now import print_order_now, print_orders_now, report
from packdesk.services.shipping import ShippingProblem

EXIT_FAILED = 1
GRAMS = {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}


def parse_weight(text: str) -> float:
    """`450`, `450g`, `1.2kg`, `12oz`, `2.5lb` -> grams."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(g|kg|oz|lb)?\s*", text.lower())
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not a weight: write grams (450) or a unit (1.2kg, 12oz, 2.5lb)."
        )
    return float(match.group(1)) * GRAMS[match.group(2) or "g"]


@contextmanager
def shipping_services(ctx: click.Context) -> Iterator[Container]:
    """The container for a shipping command; a refusal is its sentence and exit 1."""
    with container_from(ctx) as services:
        try:
            yield services
        except (ShippingProblem, CarrierError) as exc:
            fail(str(exc), EXIT_FAILED)


def actor_of(services: Container) -> str:
    return f"cli@{services.settings.station.location}"


@click.command("rates")
@click.argument("order")
@click.pass_context
def rates_command(ctx: click.Context, order: str) -> None:
    """Show ORDER's packages, their rates and the one the rules choose, with the reason."""
    with shipping_services(ctx) as services:
        found = services.shipping.order(order)
        for parcel, rates, choice in services.shipping.rates(found):
            click.echo(
                f"{found.name} package {parcel.package_no}: box {parcel.box}, "
                f"{parcel.weight_g:.0f} g, {parcel.length_cm:g} x {parcel.width_cm:g} x "
                f"{parcel.height_cm:g} cm"
            )
            chosen = choice.rate.id if choice.rate else ""
            for rate in rates:
                days = f"{rate.estimated_days} d" if rate.estimated_days is not None else "? d"
                mark = "*" if rate.id == chosen else " "
                click.echo(
                    f" {mark} {rate.carrier:<6} {rate.service_name:<32} "
                    f"${rate.amount:>7.2f}  {days:>4}  {rate.service_token}"
                )
            click.echo(f"  chosen: {choice.reason}")


@click.command("ship")
@click.argument("order", required=False)
@click.option("--box", help="Box name from [[boxes]] (overrides the chosen box).")
@click.option("--weight", help="Parcel weight: grams (450) or with a unit (1.2kg, 12oz).")
@click.option(
    "--batch",
    "batch",
    metavar="FILTER",
    help="Ship many orders: state:READY (any states, comma-separated), a word of the "
    "shipping line title such as express (READY and PACKED orders), or names #1001,#1002.",
)
@click.option(
    "--no-print",
    "no_print",
    is_flag=True,
    help="Do not print now: the label waits in the print queue and no slip is made.",
)
@click.pass_context
def ship_command(
    ctx: click.Context,
    order: str | None,
    box: str | None,
    weight: str | None,
    batch: str | None,
    no_print: bool,
) -> None:
    """Buy ORDER's label (exactly once), print it and the packing slip on the configured
    printers, and queue its fulfillment.

    An order nobody scanned is marked packed first. With --batch, ship every order the
    FILTER selects, a few at a time within Shippo's rate limits, showing progress."""
    if (order is None) == (batch is None):
        fail("Give either ORDER (e.g. #1001) or --batch FILTER, not both or neither.")
    if batch is not None and (box or weight):
        fail("--box and --weight apply to one order; leave them out with --batch.")
    grams = parse_weight(weight) if weight else None
    with shipping_services(ctx) as services:
        actor = actor_of(services)
        if batch is not None:
            _ship_batch(services, batch, actor, print_now=not no_print)
            return
        assert order is not None
        found = services.shipping.order(order)
        services.labels.buy(found.id, actor=actor, box=box, weight_g=grams, mark_packed=True)
        bought = [
            p
            for p in services.labels.store.labels.for_order(found.id)
            if p.state is PurchaseState.BOUGHT
        ]
        mode = services.settings.shippo.mode
        for p in bought:
            click.echo(
                f"{found.name} package {p.package_no}: {mode} label, {p.carrier} {p.service_name} "
                f"{p.tracking_number} — ${p.cost + p.fee:.2f} (${p.cost:.2f} + "
                f"${p.fee:.2f} fee)"
            )
        click.echo(_printed(services, found.id, print_now=not no_print))
        state = services.station.state_of(found.id)
        now = state.state.value if state else "LABELED"
        click.echo(f"{found.name} is {now}; the fulfillment is queued for Shopify.")


def _printed(services: Container, order_id: str, *, print_now: bool) -> str:
    """Print the order's label and slip now and say where they went, or why not."""
    if not print_now:
        printer = services.shipping.config.label_printer
        where = f"the label waits in the print queue for {printer}" if printer else "no label"
        return f"Not printed (--no-print): {where}; no slip was made."
    return report(print_order_now(services.printing, order_id))


def _ship_batch(services: Container, spec: str, actor: str, *, print_now: bool) -> None:
    orders = select_orders(services.labels, spec)
    if not orders:
        fail(f"No order matches {spec!r}.", EXIT_FAILED)

    def show(p: BatchProgress) -> None:
        status = "ok  " if p.ok else "FAIL"
        click.echo(f"[{p.done}/{p.total}] {status} {p.order_name} {p.message}")

    result = buy_batch(
        services.labels,
        orders,
        actor=actor,
        workers=services.shipping.config.batch_workers,
        per_minute=services.shipping.config.batch_per_minute,
        progress=show,
    )
    mode = services.settings.shippo.mode
    elsewhere = f", {len(result.elsewhere)} labeled meanwhile" if result.elsewhere else ""
    click.echo(
        f"{len(result.bought)} {mode} labels bought{elsewhere}, {len(result.failed)} not, "
        f"in {result.seconds:.1f} s."
    )
    if print_now and result.bought:
        ids = {services.shipping.order(name).id: name for name in result.bought}
        for order_id, printed in print_orders_now(services.printing, list(ids)).items():
            click.echo(f"{ids[order_id]}: {report(printed)}")
    if result.failed:
        raise SystemExit(EXIT_FAILED)


@click.command("void")
@click.argument("order")
@click.option("--reason", required=True, help="Why the label is voided (kept in the audit log).")
@click.pass_context
def void_command(ctx: click.Context, order: str, reason: str) -> None:
    """Refund ORDER's label(s) and put it back to PACKED; `packdesk ship` buys a new one."""
    with shipping_services(ctx) as services:
        found = services.shipping.order(order)
        voided = services.labels.void(found.id, reason, actor=actor_of(services))
        for p in voided:
            click.echo(f"{found.name} package {p.package_no}: label {p.tracking_number} voided.")
        click.echo(f"{found.name} is PACKED again; `packdesk ship {found.name}` buys a new label.")


COMMANDS = [rates_command, ship_command, void_command]
