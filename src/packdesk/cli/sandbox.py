"""Commands of issue #3 (sandbox servers); not in this build yet."""

from __future__ import annotations

import click

from packdesk.cli.common import not_landed


@click.command("sandbox", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #3: sandbox servers)"""
    not_landed("sandbox", 3, "sandbox servers")


COMMANDS = [sandbox_command]
