"""`packdesk carriers`: the Shippo account's carrier accounts and which ones packdesk uses."""

from __future__ import annotations

import json

import click

from packdesk.cli.common import container_from, fail
from packdesk.domain.shipping import CarrierError

EXIT_FAILED = 1


@click.command("carriers")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per account.")
@click.pass_context
def carriers_command(ctx: click.Context, as_json: bool) -> None:
    """List the Shippo account's carrier accounts and which ones packdesk buys labels from."""
    with container_from(ctx, require_tokens=False) as c:
        settings = c.settings
        if not settings.shippo.api_token.get_secret_value():
            where = settings.source_path or "the config file"
            fail(
                f"{where}: [shippo].api_token is empty. Set it in the file or in "
                "PACKDESK_SHIPPO__API_TOKEN (or run `packdesk setup`)."
            )
        try:
            uses = c.carriers.report()
        except CarrierError as exc:
            fail(f"Shippo did not list the carrier accounts: {exc}.", EXIT_FAILED)
    if as_json:
        for use in uses:
            row = use.account.model_dump() | {"used": use.used, "why_not": use.unused_because}
            click.echo(json.dumps(row))
        return
    mode = settings.shippo.mode
    click.echo(f"Carrier accounts of the Shippo account ({mode} token):")
    if not uses:
        click.echo("  none: connect a carrier in Shippo (Settings → Carriers).")
    for use in uses:
        account = use.account
        owner = "Shippo's account" if account.is_shippo_account else "your own account"
        state = "active" if account.active else "inactive"
        verdict = "USED" if use.used else f"not used: {use.unused_because}"
        click.echo(f"  {account.name:<12} {account.carrier:<12} {owner:<17} {state:<9} {verdict}")
    if uses and not any(use.used for use in uses):
        click.echo(
            "No carrier account is used, so no label can be bought: allow one in "
            "[shipping].allowed_carriers or switch it on in Shippo."
        )


COMMANDS = [carriers_command]
