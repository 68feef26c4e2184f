"""Commands of issue #4 (Shopify sync and webhooks); not in this build yet."""

from __future__ import annotations

import click

from packdesk.cli.common import not_landed


@click.command("sync", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sync_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #4: Shopify sync and webhooks)"""
    not_landed("sync", 4, "Shopify sync and webhooks")


@click.command("webhooks", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def webhooks_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #4: Shopify sync and webhooks)"""
    not_landed("webhooks", 4, "Shopify sync and webhooks")


@click.command("daemon", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def daemon_command(args: tuple[str, ...]) -> None:
    """(arrives with issue #4: Shopify sync and webhooks)"""
    not_landed("daemon", 4, "Shopify sync and webhooks")


COMMANDS = [sync_command, webhooks_command, daemon_command]
