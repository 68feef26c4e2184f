"""What every `packdesk` command shares: the config option, clear errors, exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import click

from packdesk.adapters.store import StoreError
from packdesk.bootstrap import Station, build_station
from packdesk.settings import ConfigError, Settings, load_settings

EXIT_USAGE = 2


@dataclass
class CliContext:
    config: str | None
    verbose: bool


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one sentence to stderr and exit; no traceback."""
    click.echo(message, err=True)
    raise SystemExit(code)


def settings_from(ctx: click.Context, *, require_tokens: bool = False) -> Settings:
    cli: CliContext = ctx.find_object(CliContext) or CliContext(None, False)
    try:
        return load_settings(cli.config, require_tokens=require_tokens)
    except ConfigError as exc:
        fail(str(exc))


def station_from(ctx: click.Context, *, require_tokens: bool = True) -> Station:
    """Settings, logging and the migrated database, or one sentence and exit 2."""
    settings = settings_from(ctx, require_tokens=require_tokens)
    cli: CliContext = ctx.find_object(CliContext) or CliContext(None, False)
    try:
        return build_station(settings, verbose=cli.verbose)
    except (StoreError, OSError) as exc:
        fail(str(exc))


def not_landed(command: str, issue: int, topic: str) -> NoReturn:
    fail(
        f"`packdesk {command}` is not in this build yet: it arrives with issue #{issue} ({topic})."
    )
