"""`packdesk config check|show`: validate the config for live use, show what is in force."""

from __future__ import annotations

import json

import click
from pydantic import SecretStr

from packdesk.cli.common import fail, settings_from
from packdesk.settings import ConfigError, check_placeholders


@click.group("config")
def config_group() -> None:
    """Check the config file or show the settings in force."""


@config_group.command("check")
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate the config for live use (tokens required, no placeholders left from
    config.example.toml); exit 2 with the fix if not."""
    settings = settings_from(ctx, require_tokens=True)
    try:
        check_placeholders(settings)
    except ConfigError as exc:
        fail(str(exc))
    where = settings.source_path or "defaults and environment"
    click.echo(f"Config OK: {where} (Shippo {settings.shippo.mode})")


@config_group.command("show")
@click.pass_context
def show(ctx: click.Context) -> None:
    """Print the settings in force as JSON, with every secret masked."""
    settings = settings_from(ctx)

    def mask(value: object) -> object:
        if isinstance(value, SecretStr):
            return "********" if value.get_secret_value() else ""
        return str(value)

    data = settings.model_dump(exclude={"source_path"})
    for section in ("shopify", "shippo", "email"):
        model = getattr(settings, section)
        for key in type(model).model_fields:
            if isinstance(getattr(model, key), SecretStr):
                data[section][key] = mask(getattr(model, key))
    data["shippo"]["mode"] = settings.shippo.mode
    click.echo(json.dumps(data, indent=2, default=str))


COMMANDS = [config_group]
