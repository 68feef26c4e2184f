"""Commands of issue #7 (the packing station TUI); not in this build yet."""

from __future__ import annotations

import click

from packdesk.cli.common import not_landed


@click.command("demo", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def demo_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #7: the packing station TUI)"""
    not_landed("demo", 7, "the packing station TUI")


@click.command("run", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #7: the packing station TUI)"""
    not_landed("run", 7, "the packing station TUI")


COMMANDS = [demo_command, run_command]
