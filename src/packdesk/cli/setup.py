"""`packdesk setup`: the station's config, asked for step by step and checked as it goes.

Shop, Admin API token (checked live against the scopes packdesk needs), the app's client
secret, the location (chosen from the store's own list), the station's name, the Shippo token
(TEST or LIVE, checked against the account's carriers), then the label and slip printers
(CUPS queues found on this machine, a Zebra at HOST:9100 tried with a test label, or a
folder). It writes one commented config file, mode 0600. Tokens are typed hidden, never
printed, and never written anywhere but that file.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

import click

from packdesk.bootstrap.onboarding import (
    SetupProblem,
    ShippoAccess,
    ShopAccess,
    connect_shippo,
    connect_shop,
    cups_queues,
    print_test,
)
from packdesk.cli.common import cli_context, fail
from packdesk.cli.setup_steps import Answers, choose, normalise_shop, printer_choices
from packdesk.settings import PrinterSettings, config_path, load_settings
from packdesk.settings.writing import config_text, write_private

HEADER = (
    "packdesk configuration written by `packdesk setup`. config.example.toml documents every "
    "other key. This file holds tokens: keep it readable by you only (it was written mode 0600)."
)


@click.command("setup")
@click.option(
    "--shopify-endpoint",
    default="",
    help="Base URL instead of https://SHOP (the sandbox's, for a trial run).",
)
@click.option(
    "--shippo-endpoint",
    default="",
    help="Shippo API URL instead of Shippo's own (the sandbox's, for a trial run).",
)
@click.pass_context
def setup_command(ctx: click.Context, shopify_endpoint: str, shippo_endpoint: str) -> None:
    """Write this station's config, asking step by step and checking each answer live."""
    path, _named = config_path(cli_context(ctx).config)
    click.echo(f"packdesk setup writes {path}. Ctrl-C stops without writing anything.")
    if path.exists() and not click.confirm(f"{path} exists. Replace it?", default=False):
        fail(f"Nothing written; {path} is unchanged.", 1)
    answers = Answers(shopify_endpoint=shopify_endpoint, shippo_endpoint=shippo_endpoint)
    access = _shopify(answers)
    _location(answers, access)
    _shippo(answers)
    _printers(answers)
    _write(path, answers)


def _step(title: str) -> None:
    click.echo("")
    click.secho(title, bold=True)


def _shopify(answers: Answers) -> ShopAccess:
    _step("1. Shopify (docs/shopify.md: the custom app, its scopes and its token)")
    while True:
        answers.shop = click.prompt(
            "Shop's myshopify.com domain", value_proc=normalise_shop, default=answers.shop or None
        )
        token = click.prompt(
            "Admin API access token (shpat_..., typing is hidden)", hide_input=True
        )
        try:
            access = connect_shop(answers.shop, token, endpoint=answers.shopify_endpoint)
        except SetupProblem as exc:
            click.echo(str(exc))
            continue
        click.echo(
            f"Connected to {access.shop_name!r}: slips and e-mails carry that name "
            "([brand].shop_name replaces it)."
        )
        if not access.missing:
            click.echo("The token has every access scope packdesk needs.")
            break
        click.echo("The token lacks access scopes packdesk needs:")
        for scope in access.missing:
            click.echo(f"  {scope.handle}: without it {scope.breaks}.")
        click.echo(
            "Add them to the app's Admin API access scopes, save, and install the app again "
            "(docs/shopify.md)."
        )
        if click.confirm("Keep this token anyway?", default=False):
            break
    answers.access_token = token
    answers.shop = access.domain
    answers.webhook_secret = click.prompt(
        "The app's client secret, which signs webhooks (typing is hidden; Enter to skip)",
        hide_input=True,
        default="",
        show_default=False,
    )
    return access


def _location(answers: Answers, access: ShopAccess) -> None:
    _step("2. The location this station ships from")
    active = [loc for loc in access.locations if loc.active]
    if not active:
        click.echo(
            "The store lists no active location (or the token cannot read them); "
            "[station].location is left at its default: set it before syncing."
        )
        return
    options = [
        (f"{loc.name} — {loc.address.one_line() if loc.address else 'no address'}", loc)
        for loc in active
    ]
    location = choose("Which one?", options, default=1)
    answers.location = location.name
    answers.location_id = location.id
    code = location.name.split()[0].upper() if location.name.split() else "STATION"
    answers.station_name = click.prompt("Name of this station", default=f"{code}-1")


def _shippo(answers: Answers) -> None:
    _step("3. Shippo (docs/shippo.md: test and live tokens, carrier accounts)")
    while True:
        token = click.prompt(
            "Shippo API token (shippo_test_... or shippo_live_..., typing is hidden)",
            hide_input=True,
        )
        try:
            access = connect_shippo(token, endpoint=answers.shippo_endpoint)
        except SetupProblem as exc:
            click.echo(str(exc))
            continue
        break
    _describe_shippo(access)
    answers.shippo_token = token


def _describe_shippo(access: ShippoAccess) -> None:
    if access.mode == "TEST":
        click.echo("TEST token: labels are free and ship nothing; packdesk shows TEST everywhere.")
    else:
        click.echo("LIVE token: every label bought is charged to the Shippo account.")
    used = [use.account.name for use in access.carriers if use.used]
    if used:
        click.echo(f"Carriers packdesk will buy from: {', '.join(used)}.")
    else:
        click.echo(
            "No active carrier account packdesk may buy from: connect one in Shippo "
            "(Settings → Carriers); `packdesk carriers` shows them."
        )


def _printers(answers: Answers) -> None:
    _step("4. Printers (docs/printers.md: Zebra setup, CUPS queues, receipt printers)")
    queues = cups_queues()
    if queues:
        click.echo("CUPS queues on this machine: " + ", ".join(q for q, _ in queues) + ".")
    else:
        click.echo("No CUPS queues found on this machine.")
    for role in ("label", "slip"):
        while True:
            printer = choose(f"The {role} printer:", printer_choices(role, queues), default=1)
            entry = printer.complete(role, answers)
            try:
                where = print_test(entry, answers.station_name, datetime.now(UTC))
            except SetupProblem as exc:
                click.echo(str(exc))
                continue
            click.echo(f"Sent a test {'label' if role == 'label' else 'page'} to {where}.")
            if entry.kind == "folder" or click.confirm("Did it print?", default=True):
                answers.printers.append(entry)
                break
            click.echo(printer.help_when_nothing_printed)


def _write(path: Path, answers: Answers) -> None:
    _step("5. Writing the config")
    answers.unsubscribe_secret = secrets.token_urlsafe(32)
    sections, printers = answers.config()
    notes = (
        {"station.location": f"Its id in Shopify is {answers.location_id}; either may be written."}
        if answers.location_id
        else {}
    )
    text = config_text(sections, [_printer_row(p) for p in printers], header=HEADER, notes=notes)
    try:
        write_private(path, text)
    except OSError as exc:
        fail(f"Cannot write {path} ({exc.strerror or exc}); choose another --config path.", 1)
    settings = load_settings(path)
    click.echo(f"Wrote {path} (readable by you only).")
    click.echo(
        f"Shop {settings.shopify.shop}, location {settings.station.location}, "
        f"Shippo {settings.shippo.mode}, printers "
        + ", ".join(f"{p.name} ({p.kind} {p.target})" for p in settings.printers)
        + "."
    )
    click.echo("Next: `packdesk doctor`, then `packdesk sync --once`, then `packdesk run`.")


def _printer_row(entry: PrinterSettings) -> dict[str, object]:
    row = entry.model_dump()
    if not row["options"]:
        del row["options"]
    return row


COMMANDS = [setup_command]
