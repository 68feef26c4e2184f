"""`packdesk service install|remove`: the systemd user unit that runs `packdesk daemon`."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from packdesk.bootstrap.service import UNIT_NAME, install_unit, remove_unit
from packdesk.cli.common import fail, settings_from


@click.group("service")
def service_group() -> None:
    """Run `packdesk daemon` as a systemd user service (start at login, restart on failure)."""


@service_group.command("install")
@click.option(
    "--unit-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the unit (default: ~/.config/systemd/user).",
)
@click.pass_context
def install(ctx: click.Context, unit_dir: Path | None) -> None:
    """Write packdesk.service for the daemon with this config; systemctl starts it."""
    settings = settings_from(ctx, require_tokens=True)
    if settings.source_path is None:
        fail(
            "The service needs a config file to run with: write one with `packdesk setup`, "
            "or name one with --config."
        )
    try:
        path = install_unit(settings, settings.source_path, unit_dir)
    except OSError as exc:
        fail(f"Cannot write the unit ({exc.strerror or exc}); choose another --unit-dir.", 1)
    click.echo(f"Wrote {path} (the daemon with {settings.source_path.resolve()}).")
    click.echo("Start it now and at every login:")
    click.echo("  systemctl --user daemon-reload")
    click.echo(f"  systemctl --user enable --now {UNIT_NAME}")
    click.echo(f"Keep it running when nobody is logged in:  loginctl enable-linger {_user()}")
    click.echo(f"Its log:  journalctl --user -u {UNIT_NAME} -f")


@service_group.command("remove")
@click.option(
    "--unit-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the unit (default: ~/.config/systemd/user).",
)
def remove(unit_dir: Path | None) -> None:
    """Remove packdesk.service (stop it first with systemctl)."""
    removed = remove_unit(unit_dir)
    if not removed:
        click.echo(f"No {UNIT_NAME} to remove.")
        return
    for path in removed:
        click.echo(f"Removed {path}.")
    click.echo("If it is still running:")
    click.echo(f"  systemctl --user stop {UNIT_NAME}")
    click.echo("  systemctl --user daemon-reload")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "$USER"


COMMANDS = [service_group]
