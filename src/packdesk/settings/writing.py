"""Writing a config file: TOML whose every key carries its documentation as a comment, readable
by its owner only.

The comments are the settings model's own attribute docstrings, so a written config says
what config.example.toml says; keys left out keep their defaults, which
config.example.toml lists.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from packdesk.settings.model import PrinterSettings, Settings

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_value(value: object) -> str:
    """One TOML value: strings, booleans, numbers, lists and inline tables."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def toml_key(key: str) -> str:
    return key if BARE_KEY.match(key) else json.dumps(key)


def _comment(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [f"# {line}" for line in textwrap.wrap(flat, 94)]


def _table(
    model: type[BaseModel], values: Mapping[str, object], notes: Mapping[str, str]
) -> list[str]:
    lines: list[str] = []
    for key, field in model.model_fields.items():
        if key not in values:
            continue
        lines += _comment(field.description or "")
        if key in notes:
            lines += _comment(notes[key])
        lines.append(f"{key} = {toml_value(values[key])}")
    return lines


def config_text(
    sections: Mapping[str, Mapping[str, object]],
    printers: Sequence[Mapping[str, object]] = (),
    *,
    header: str = "",
    notes: Mapping[str, str] | None = None,
) -> str:
    """A config file holding `sections` ({section: {key: value}}) and `printers`, in the
    settings model's order, each key under its documentation and under its note in `notes`
    ({"section.key": words}) when it has one."""
    notes = notes or {}
    out: list[str] = _comment(header) if header else []
    fields = Settings.model_fields
    for name, field in fields.items():
        if name == "printers":
            for entry in printers:
                out += ["", "[[printers]]", *_table(PrinterSettings, entry, {})]
            continue
        if name not in sections:
            continue
        annotation: Any = field.annotation
        model = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
        if model is None:
            raise ValueError(f"[{name}] cannot be written as a table")
        mine = {k.partition(".")[2]: v for k, v in notes.items() if k.startswith(f"{name}.")}
        out += ["", f"[{name}]", *_table(model, sections[name], mine)]
    return "\n".join(line for line in out if line != "# ") + "\n"


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable and writable by its owner only (mode 0600), replacing
    any file there at once: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
