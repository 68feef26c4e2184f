"""`packdesk doctor`: a checklist of what this station needs, with a fix for each failure."""

from __future__ import annotations

import click

from packdesk.bootstrap.doctor import run_checks
from packdesk.cli.common import cli_context
from packdesk.settings import ConfigError, load_settings


@click.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check config, database, Shopify, Shippo, printers and email.

    Exits 1 when a check fails, 2 when the config itself cannot be read."""
    try:
        settings = load_settings(cli_context(ctx).config)
    except ConfigError as exc:
        click.echo(f"[FAIL] config: {exc}")
        raise SystemExit(2) from None
    failed = 0
    for check in run_checks(settings):
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok:
            failed += 1
            click.echo(f"       fix: {check.fix}")
    raise SystemExit(1 if failed else 0)


COMMANDS = [doctor]
