"""The systemd user unit that keeps `packdesk daemon` running on the warehouse PC.

One unit, `packdesk.service`, runs the daemon (the background jobs, and the webhook receiver
with the unsubscribe links when `[webhooks].enabled`) with the config it was installed with.
systemd starts it at login (or at boot with lingering), restarts it when it fails, and keeps
its output in the journal; packdesk itself sees that its stderr is the journal and logs there
as well as to `<data_dir>/logs/packdesk.log`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from packdesk.settings import Settings

UNIT_NAME = "packdesk.service"
SAFE = re.compile(r"^[A-Za-z0-9_./:=@+-]+$")


def user_unit_dir() -> Path:
    """Where systemd looks for a user's own units: `$XDG_CONFIG_HOME/systemd/user`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def _quoted(word: str) -> str:
    """One ExecStart word as systemd reads it: bare when plain, else double-quoted with `\\`,
    `"` escaped and `%` (a unit specifier) doubled."""
    if SAFE.match(word):
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{escaped}"'


def unit_text(settings: Settings, config: Path, python: str = sys.executable) -> str:
    """The unit that runs `packdesk daemon` with `config`, through this Python."""
    command = [python, "-m", "packdesk", "daemon", "--config", str(config)]
    data_dir = settings.station.resolved_data_dir()
    receiver = (
        f", webhook receiver on {settings.webhooks.host}:{settings.webhooks.port}"
        if settings.webhooks.enabled
        else ""
    )
    return f"""# Written by `packdesk service install`; `packdesk service remove` removes it.
[Unit]
Description=packdesk daemon for station {settings.station.name} (jobs{receiver})
# Restart however often it fails: a warehouse PC has no one watching the journal.
StartLimitIntervalSec=0

[Service]
Type=exec
ExecStart={" ".join(_quoted(word) for word in command)}
WorkingDirectory={_quoted(str(data_dir))}
Restart=on-failure
RestartSec=10s
# Exit status 2 is a config mistake: restarting cannot fix it, the journal says what to fix.
RestartPreventExitStatus=2
TimeoutStopSec=60s
# Output goes to the journal (journalctl --user -u packdesk); packdesk also keeps
# {data_dir / "logs" / "packdesk.log"}.
StandardOutput=journal
StandardError=journal
SyslogIdentifier=packdesk
Environment=PYTHONUNBUFFERED=1

[Install]
WantedBy=default.target
"""


def install_unit(settings: Settings, config: Path, unit_dir: Path | None = None) -> Path:
    """Write the unit (replacing an earlier one) and return its path."""
    folder = unit_dir or user_unit_dir()
    folder.mkdir(parents=True, exist_ok=True)
    settings.station.resolved_data_dir().mkdir(parents=True, exist_ok=True)
    path = folder / UNIT_NAME
    path.write_text(unit_text(settings, config.resolve()), encoding="utf-8")
    return path


def remove_unit(unit_dir: Path | None = None) -> list[Path]:
    """Remove the unit and the link `systemctl enable` made to it; the paths removed."""
    folder = unit_dir or user_unit_dir()
    removed = []
    for path in (folder / "default.target.wants" / UNIT_NAME, folder / UNIT_NAME):
        if path.is_symlink() or path.exists():
            path.unlink()
            removed.append(path)
    return removed
