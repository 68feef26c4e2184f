"""python-escpos prints notices ("Using hardware barcode renderer", ...) with `print()`.
In the TUI that would scribble over the screen, so every call into it runs inside
`quiet_escpos()`, which catches stdout and hands the text to the log instead."""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Iterator

log = logging.getLogger("packdesk.escpos")

# redirect_stdout swaps the process-wide sys.stdout: two threads doing it at once could
# restore each other's buffer, so escpos work is serialised.
_lock = threading.RLock()


@contextlib.contextmanager
def quiet_escpos() -> Iterator[None]:
    with _lock:
        captured = io.StringIO()
        try:
            with contextlib.redirect_stdout(captured):
                yield
        finally:
            for line in captured.getvalue().splitlines():
                if line.strip():
                    log.debug("python-escpos: %s", line.strip())
