"""Commands of issue #8 (outbox and customer emails); not in this build yet."""

from __future__ import annotations

import click

from packdesk.cli.common import not_landed


@click.command("outbox", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def outbox_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #8: outbox and customer emails)"""
    not_landed("outbox", 8, "outbox and customer emails")


COMMANDS = [outbox_command]
