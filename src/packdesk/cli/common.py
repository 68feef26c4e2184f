"""What every `packdesk` command shares: the global options, the container, clear errors and
exit codes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn

import click

from packdesk.bootstrap import Container, start_logging
from packdesk.settings import ConfigError, Settings, load_settings

EXIT_USAGE = 2

log = logging.getLogger(__name__)


@dataclass
class CliContext:
    """The global options, wherever on the command line they were given."""

    config: str | None = None
    verbose: bool = False


def cli_context(ctx: click.Context) -> CliContext:
    found = ctx.find_object(CliContext)
    if found is None:
        found = ctx.find_root().ensure_object(CliContext)
    return found


def _set_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        cli_context(ctx).config = value


def _set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        cli_context(ctx).verbose = True


def global_options(*, envvar: str | None = None) -> list[click.Option]:
    """`--config FILE` and `-v/--verbose`, for the `packdesk` group and every subcommand, so
    that `packdesk ship '#1001' --config FILE` means what `packdesk --config FILE ship
    '#1001'` does (given twice, the one nearer the end wins)."""
    return [
        click.Option(
            ["--config"],
            envvar=envvar,
            type=click.Path(dir_okay=False),
            expose_value=False,
            callback=_set_config,
            help="Config file (default: PACKDESK_CONFIG, else the user config dir).",
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_set_verbose,
            help="Echo the log to stderr.",
        ),
    ]


def accept_global_options(command: click.Command) -> None:
    """Give `command` and every command under it the global options."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            sub.params.extend(global_options())
            accept_global_options(sub)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one sentence to stderr and exit; no traceback."""
    click.echo(message, err=True)
    raise SystemExit(code)


def settings_from(ctx: click.Context, *, require_tokens: bool = False) -> Settings:
    try:
        return load_settings(cli_context(ctx).config, require_tokens=require_tokens)
    except ConfigError as exc:
        fail(str(exc))


@contextmanager
def container_from(ctx: click.Context, *, require_tokens: bool = True) -> Iterator[Container]:
    """The settings, logging and the container of this command, closed when it ends; a
    config or database problem is one sentence and exit 2."""
    settings = settings_from(ctx, require_tokens=require_tokens)
    with open_container(settings, verbose=cli_context(ctx).verbose) as container:
        log.info(
            "%s with config %s, data in %s",
            ctx.command_path,
            settings.source_path or "defaults and environment",
            container.data_dir,
        )
        yield container


@contextmanager
def open_container(
    settings: Settings, *, verbose: bool = False, demo: bool = False
) -> Iterator[Container]:
    """Logging and the container for `settings`, closed when the block ends."""
    try:
        start_logging(settings, verbose=verbose)
    except OSError as exc:
        fail(f"Cannot write the log under {settings.station.resolved_data_dir()}: {exc}.")
    with Container(settings, demo=demo) as container:
        yield container
