"""The `zpl` printer: Zebra-type label printers that take ZPL as it is, over raw TCP (port
9100), through a CUPS raw queue (`lp -o raw`), or written to a device file. The bytes Shippo
sent go out unchanged: no re-encoding, no added setup commands."""

from __future__ import annotations

import os

from packdesk.adapters.printers.common import (
    Target,
    check_queue,
    check_tcp,
    run_lp,
    send_tcp,
    server_args,
    write_device,
)
from packdesk.domain.ports import PrintRefused

ZPL_TYPES = frozenset({"application/zpl", "text/zpl", "application/x-zpl"})


class ZplPrinter:
    kind = "zpl"

    def __init__(self, name: str, target: str) -> None:
        self.name = name
        self.target = Target.parse(target)
        if self.target.scheme not in ("tcp", "cups", "ipp", "file"):
            raise ValueError(
                f"Printer {name}: a zpl printer's target is tcp://HOST:9100, cups://QUEUE or a"
                f" device path, not {target!r}."
            )

    def describe_target(self) -> str:
        t = self.target
        if t.scheme == "tcp":
            return f"tcp://{t.host}:{t.port}"
        if t.scheme == "ipp":
            return f"ipp://{t.host}:{t.port}/printers/{t.path}"
        if t.scheme == "cups":
            return f"cups://{t.path}"
        return t.path

    def send(self, document: str, content_type: str, data: bytes) -> None:
        if content_type not in ZPL_TYPES:
            raise PrintRefused(
                f"Printer {self.name} prints ZPL, but {document} is {content_type}: "
                "set this printer's kind to match the label, or buy labels as ZPLII."
            )
        t = self.target
        if t.scheme == "tcp":
            send_tcp(self.name, t.host, t.port, data)
        elif t.scheme in ("cups", "ipp"):
            args = [*server_args(t.host, t.port), "-d", t.path, "-o", "raw"]
            run_lp(self.name, self.describe_target(), args, document, data)
        else:
            write_device(self.name, t.path, data)

    def check(self) -> str:
        t = self.target
        if t.scheme == "tcp":
            return check_tcp(self.name, t.host, t.port)
        if t.scheme in ("cups", "ipp"):
            return check_queue(self.name, t.path, t.host, t.port)
        if os.path.exists(t.path) and os.access(t.path, os.W_OK):
            return ""
        return f"Printer {self.name}: the device {t.path} is not there or not writable."
