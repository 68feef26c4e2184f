"""Commands of issue #5 (shipping through Shippo); not in this build yet."""

from __future__ import annotations

import click

from packdesk.cli.common import not_landed


@click.command("rates", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def rates_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #5: shipping through Shippo)"""
    not_landed("rates", 5, "shipping through Shippo")


@click.command("ship", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def ship_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #5: shipping through Shippo)"""
    not_landed("ship", 5, "shipping through Shippo")


@click.command("void", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def void_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #5: shipping through Shippo)"""
    not_landed("void", 5, "shipping through Shippo")


COMMANDS = [rates_command, ship_command, void_command]
