"""The `cups` printer: a PDF (or any file CUPS has a filter for) to a CUPS queue through
`lp`, which honours CUPS_SERVER; `ipp://HOST:PORT/printers/QUEUE` targets another server.
Laser printers and label printers with a CUPS driver are reached this way."""

from __future__ import annotations

import shutil
import subprocess

from packdesk.adapters.printers.common import Target, check_queue, run_lp, server_args
from packdesk.adapters.printers.zpl import ZPL_TYPES
from packdesk.domain.ports import PrintRefused

CUPS_TYPES = frozenset({"application/pdf", "image/png", "text/plain", *ZPL_TYPES})


class CupsPrinter:
    kind = "cups"

    def __init__(self, name: str, target: str, options: dict[str, str] | None = None) -> None:
        self.name = name
        self.target = Target.parse(target)
        if self.target.scheme not in ("cups", "ipp") or not self.target.path:
            raise ValueError(
                f"Printer {name}: a cups printer's target is cups://QUEUE or "
                f"ipp://HOST:PORT/printers/QUEUE, not {target!r}."
            )
        self.options = dict(options or {})

    def describe_target(self) -> str:
        t = self.target
        if t.scheme == "ipp":
            return f"ipp://{t.host}:{t.port}/printers/{t.path}"
        return f"cups://{t.path}"

    def send(self, document: str, content_type: str, data: bytes) -> None:
        if content_type not in CUPS_TYPES:
            raise PrintRefused(
                f"Printer {self.name} (CUPS) cannot print {document} ({content_type}): "
                "send ESC/POS jobs to an escpos printer."
            )
        t = self.target
        args = [*server_args(t.host, t.port), "-d", t.path]
        if content_type in ZPL_TYPES:
            args += ["-o", "raw"]
        if self.options.get("media"):
            args += ["-o", f"media={self.options['media']}"]
        run_lp(self.name, self.describe_target(), args, document, data)

    def check(self) -> str:
        t = self.target
        return check_queue(self.name, t.path, t.host, t.port)


def cups_queues() -> list[tuple[str, str]]:
    """CUPS queues this machine can print to, as (queue, device URI); empty without CUPS."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return []
    try:
        names = subprocess.run(
            [lpstat, "-e"], capture_output=True, timeout=10, check=False, text=True
        ).stdout.split()
        devices = subprocess.run(
            [lpstat, "-v"], capture_output=True, timeout=10, check=False, text=True
        ).stdout.splitlines()
    except (subprocess.TimeoutExpired, OSError):
        return []
    uris: dict[str, str] = {}
    for line in devices:
        # "device for slips: file:///tmp/out/slips.pdf"
        head, sep, uri = line.partition(": ")
        if sep and head.startswith("device for "):
            uris[head.removeprefix("device for ")] = uri.strip()
    return [(name, uris.get(name, "")) for name in names]
