"""What every printer driver shares: target parsing, raw TCP sends, `lp`, and the sentences
a packer reads when a printer is not there."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from packdesk.domain.ports import PrinterUnavailable

WAITS = "the job waits in the queue."
TCP_TIMEOUT_S = 5.0
LP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Target:
    """A printer target from config: `tcp://host:port`, `cups://QUEUE`, `ipp://host:port/
    printers/QUEUE`, `usb://VID:PID`, `serial:///dev/ttyUSB0`, or a plain path."""

    scheme: str
    host: str = ""
    port: int = 0
    path: str = ""

    @classmethod
    def parse(cls, text: str, default_port: int = 9100) -> Target:
        text = text.strip()
        if "://" not in text:
            return cls(scheme="file", path=os.path.expanduser(text))
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme == "file":
            return cls(scheme="file", path=os.path.expanduser(parts.path))
        if scheme == "serial":
            return cls(scheme="serial", path=parts.netloc + parts.path)
        if scheme == "cups":
            return cls(scheme="cups", path=(parts.netloc + parts.path).strip("/"))
        if scheme == "usb":
            return cls(scheme="usb", path=parts.netloc + parts.path)
        if scheme == "ipp":
            return cls(
                scheme="ipp",
                host=parts.hostname or "localhost",
                port=parts.port or 631,
                path=parts.path.rsplit("/", 1)[-1],
            )
        if scheme == "tcp":
            if not parts.hostname:
                raise ValueError(f"{text!r} names no host; write it as tcp://HOST:{default_port}.")
            return cls(scheme="tcp", host=parts.hostname, port=parts.port or default_port)
        raise ValueError(
            f"{text!r} is not a printer target packdesk knows: use tcp://HOST:PORT, cups://QUEUE,"
            " ipp://HOST:PORT/printers/QUEUE, usb://VID:PID, serial:///dev/DEVICE or a path."
        )


def describe_os_error(exc: BaseException) -> str:
    """A few words for why a connection or a write failed."""
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer within a few seconds"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "host name not found"
    if isinstance(exc, OSError):
        if exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return "host unreachable"
        if exc.errno == errno.ENOENT:
            return "no such device or file"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "permission denied"
        return exc.strerror or str(exc)
    return str(exc)


def does_not_answer(
    name: str, where: str, exc: BaseException, *, queued: bool = True
) -> PrinterUnavailable:
    fix = "switch it on and check the cable"
    return PrinterUnavailable(
        f"Printer {name} at {where} does not answer ({describe_os_error(exc)}): "
        + (f"{fix}; {WAITS}" if queued else f"{fix}.")
    )


def send_tcp(name: str, host: str, port: int, data: bytes, timeout: float = TCP_TIMEOUT_S) -> None:
    """Raw bytes to a printer's port 9100 (JetDirect), unchanged."""
    where = f"tcp://{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
    except OSError as exc:
        raise does_not_answer(name, where, exc) from exc


def check_tcp(name: str, host: str, port: int, timeout: float = 1.0) -> str:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return ""
    except OSError as exc:
        return str(does_not_answer(name, f"tcp://{host}:{port}", exc, queued=False))


def write_device(name: str, path: str, data: bytes) -> None:
    """Bytes to a device file such as /dev/usb/lp0; it must exist (we never create one)."""
    try:
        # No O_CREAT: a missing /dev/usb/lp0 means the printer is unplugged, and creating a
        # regular file in its place would swallow every later job.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        with os.fdopen(fd, "wb") as device:
            device.write(data)
    except OSError as exc:
        raise does_not_answer(name, path, exc) from exc


def lp_command() -> str:
    found = shutil.which("lp")
    if found is None:
        raise PrinterUnavailable(
            "The `lp` command is not installed, so CUPS printers cannot be reached: install "
            f"CUPS's client (apt-get install cups-client); {WAITS}"
        )
    return found


def server_args(host: str = "", port: int = 0) -> list[str]:
    """`-h host:port` for an IPP target; empty lets `lp` use CUPS_SERVER or the default."""
    return ["-h", f"{host}:{port}"] if host else []


def run_lp(name: str, where: str, args: Sequence[str], document: str, data: bytes) -> None:
    """Hand `data` to CUPS through `lp` on stdin; CUPS_SERVER in the environment is honoured."""
    command = [lp_command(), *args, "-t", document, "-s", "--", "-"]
    try:
        result = subprocess.run(
            command, input=data, capture_output=True, timeout=LP_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PrinterUnavailable(
            f"CUPS did not take the job for printer {name} ({where}) within "
            f"{LP_TIMEOUT_S:.0f} s: check that the CUPS server runs; {WAITS}"
        ) from exc
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().removeprefix("lp: ")
        raise PrinterUnavailable(
            f"CUPS refused the job for printer {name} ({where}): {reason or 'no reason given'}."
            f" Check the queue with `lpstat -p`; {WAITS}"
        )


def check_queue(name: str, queue: str, host: str = "", port: int = 0) -> str:
    """Empty when CUPS knows the queue and it accepts jobs, else the sentence why not."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return "The `lpstat` command is not installed: install CUPS's client (cups-client)."
    try:
        result = subprocess.run(
            [lpstat, *server_args(host, port), "-a", queue],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"Printer {name}: the CUPS server does not answer; check that it runs."
    text = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
    text = text.removeprefix(f"{lpstat}: ").removeprefix("lpstat: ")
    if result.returncode != 0 or "not accepting" in text:
        return f"Printer {name}: CUPS queue {queue} is not ready ({text or 'unknown'})."
    return ""
