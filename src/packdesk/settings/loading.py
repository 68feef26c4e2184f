"""Reading the config: the file `--config`, `PACKDESK_CONFIG` or the user config dir names,
plus `PACKDESK_...` environment overrides; every mistake is one sentence with its fix."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import SecretStr, ValidationError

from packdesk.settings.base import ConfigError
from packdesk.settings.model import APP_NAME, Settings
from packdesk.settings.placeholders import TOKENS, check_token_placeholders


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def config_path(explicit: str | Path | None) -> tuple[Path, bool]:
    """The config file to read, and whether the user named it (so it must exist)."""
    if explicit:
        return Path(explicit).expanduser(), True
    if os.environ.get("PACKDESK_CONFIG"):
        return Path(os.environ["PACKDESK_CONFIG"]).expanduser(), True
    return default_config_path(), False


def load_settings(explicit: str | Path | None = None, *, require_tokens: bool = False) -> Settings:
    """Read the config file and environment; raise `ConfigError` with a fix on any problem."""
    path, named = config_path(explicit)
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            where = f"{path} line {found.group(1)}" if found else str(path)
            problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            raise ConfigError(
                f"{where}: the TOML is not valid ({problem}). Fix that line; "
                "config.example.toml shows the expected form."
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"{path}: cannot be read ({exc}). Check the file's permissions."
            ) from None
    elif named:
        raise ConfigError(
            f"{path}: no such config file. Create it from config.example.toml, "
            "or leave out --config / PACKDESK_CONFIG to use the default location."
        )
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path)) from None
    settings.source_path = path if path.exists() else None
    if require_tokens:
        check_tokens(settings)
    return settings


def check_tokens(settings: Settings) -> None:
    """Outside demo mode packdesk needs real Shopify and Shippo tokens: set, and not
    placeholders (`shpat_...`, `shippo_test_xxx`)."""
    where = settings.source_path or "the config file"
    for section, key, _fix in TOKENS:
        value: SecretStr = getattr(getattr(settings, section), key)
        if not value.get_secret_value():
            raise ConfigError(
                f"{where}: [{section}].{key} is empty. Set it in the file or in "
                f"PACKDESK_{section.upper()}__{key.upper()}, or try `packdesk demo`, "
                "which needs no accounts."
            )
    check_token_placeholders(settings)


def _explain(exc: ValidationError, path: Path) -> str:
    """The first validation error as one sentence with the key, its line and the fix."""
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    key = _key_name(loc)
    line = _line_of(path, loc)
    where = f"{path}{f' line {line}' if line else ''}"
    if err["type"] == "extra_forbidden":
        return (
            f"{where}: unknown key {key}. Remove it or fix its spelling; "
            "config.example.toml lists every key."
        )
    if err["type"] == "missing":
        return f"{where}: {key} is required. Add it; config.example.toml shows an example."
    given = err.get("input")
    if err["type"] == "string_pattern_mismatch":
        return (
            f"{where}: {key} is not in the form it takes (got {given!r}). Fix the value; "
            "config.example.toml shows the form."
        )
    message = err["msg"][:1].lower() + err["msg"][1:]  # names in it keep their case
    return (
        f"{where}: {key} has a wrong value ({message}; got {given!r}). "
        "Fix the value; config.example.toml documents it."
    )


def _key_name(loc: list[str]) -> str:
    if not loc:
        return "the file"
    if loc[0] in ("printers", "boxes") and len(loc) > 1 and loc[1].isdigit():
        rest = ".".join(loc[2:])
        return f"[[{loc[0]}]] entry {int(loc[1]) + 1}{' key ' + rest if rest else ''}"
    if len(loc) == 1:
        return loc[0]
    return f"[{loc[0]}].{'.'.join(loc[1:])}"


def _line_of(path: Path, loc: list[str]) -> int | None:
    """The line of the file where the offending key is written, if it can be found."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        return None
    section = loc[0] if len(loc) > 1 else ""
    key = loc[-1]
    if key.isdigit():  # an array entry as a whole
        key = ""
    in_section = section == ""
    table = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    for number, text in enumerate(lines, start=1):
        header = table.match(text)
        if header:
            in_section = header.group(1) == section or header.group(1).startswith(f"{section}.")
            if in_section and not key:
                return number
            continue
        if in_section and key and re.match(rf"^\s*{re.escape(key)}\s*=", text):
            return number
    return None
