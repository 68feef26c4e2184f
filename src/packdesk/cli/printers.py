"""`packdesk printers list|test`: arrives with issue #6 (printing)."""

from __future__ import annotations

import click

from packdesk.cli.common import not_landed


@click.group()
def printers() -> None:
    """List configured printers and print a test page (arrives with issue #6: printing)."""


@printers.command("list")
def list_printers() -> None:
    """Configured printers with their state."""
    not_landed("printers list", 6, "printing")


@printers.command("test")
@click.argument("name")
def test_printer(name: str) -> None:
    """Print a test label or page on printer NAME."""
    not_landed("printers test", 6, "printing")


COMMANDS = [printers]
