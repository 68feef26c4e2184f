"""Logging to a rotating file under data_dir, with every configured secret redacted.

The TUI owns the terminal, so packdesk logs to `<data_dir>/logs/packdesk.log`; headless
commands given `--verbose` also echo to stderr, and so does a process whose stderr systemd
connected to the journal (a `packdesk service install` unit), at the configured level.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections.abc import Iterable
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces every secret value in a record's final text, arguments and traceback included."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(
    data_dir: Path, secrets: Iterable[str], *, level: str = "INFO", verbose: bool = False
) -> Path:
    """Send packdesk's logs (and its libraries') to the rotating file; return its path."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "packdesk.log"
    redactor = RedactSecrets(secrets)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_packdesk", False):
            root.removeHandler(handler)
            handler.close()
        elif _writes_to_terminal(handler):
            # python-escpos calls logging.basicConfig() when imported, which would print
            # every library's INFO lines over the TUI; the terminal is ours.
            root.removeHandler(handler)
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [file_handler]
    if verbose or stderr_is_journal():
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(redactor)
        handler._packdesk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else level)
    # httpx logs full URLs at INFO; keep them out unless debugging.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return path


def stderr_is_journal() -> bool:
    """Whether systemd connected stderr to the journal: `JOURNAL_STREAM` names the device and
    inode of that stream (a shell started under systemd inherits the variable with another
    stderr, which is why the stream itself is compared)."""
    device, _, inode = os.environ.get("JOURNAL_STREAM", "").partition(":")
    try:
        stat = os.fstat(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return f"{stat.st_dev}:{stat.st_ino}" == f"{device}:{inode}"


def _writes_to_terminal(handler: logging.Handler) -> bool:
    stream = getattr(handler, "stream", None)
    return type(handler) is logging.StreamHandler and stream in (
        sys.stderr,
        sys.stdout,
        sys.__stderr__,
        sys.__stdout__,
    )
