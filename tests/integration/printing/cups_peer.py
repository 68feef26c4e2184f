"""A private CUPS server for the printing tests (tests/integration/printing/private-cups.sh), and waits on
its jobs' completion."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .printing_peers import free_port

SCRIPT = Path(__file__).resolve().parent / "private-cups.sh"


@dataclass(frozen=True)
class PrivateCups:
    """A running private CUPS server: its folder, its IPP port and its `slips` queue."""

    folder: Path
    port: int

    @property
    def socket(self) -> str:
        return str(self.folder / "cups.sock")

    @property
    def slips_output(self) -> Path:
        return self.folder / "out" / "slips.pdf"

    def expect_slip(self) -> None:
        """Give the `slips` queue an empty output file before a job: CUPS opens a file:
        device without O_CREAT, so the file must exist (and be writable by lp)."""
        self.slips_output.unlink(missing_ok=True)
        self.slips_output.touch()
        self.slips_output.chmod(0o666)

    def jobs(self, queue: str, which: str) -> list[str]:
        """The ids of the queue's jobs, `completed` (done, cancelled or aborted) or
        `not-completed`, as the server reports them."""
        listed = subprocess.run(
            ["lpstat", "-h", self.socket, "-W", which, "-o", queue],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return [line.split()[0] for line in listed.stdout.splitlines() if line.strip()]

    def printed_slip(self, jobs: int = 1, timeout: float = 60.0) -> bytes:
        """The `slips` output once the server has finished `jobs` jobs on it and has none
        left to do."""
        deadline = time.monotonic() + timeout
        while self.jobs("slips", "not-completed") or len(self.jobs("slips", "completed")) < jobs:
            if time.monotonic() > deadline:
                raise AssertionError(f"CUPS did not finish the slip job: {self.log_tail()}")
            time.sleep(0.05)
        printed = self.slips_output.read_bytes()
        assert printed, f"CUPS finished the slip job but wrote nothing: {self.log_tail()}"
        return printed

    def log_tail(self, lines: int = 15) -> str:
        log = self.folder / "log" / "error_log"
        text = log.read_text(errors="replace") if log.exists() else "(no error_log)"
        return "\n".join(text.splitlines()[-lines:])


def _wait_for_exit(pid: int, timeout: float) -> None:
    """Wait until the process has exited (it is not our child, so waitpid cannot)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([handle], [], [], timeout)
    finally:
        os.close(handle)


@contextlib.contextmanager
def private_cups_server() -> Iterator[PrivateCups]:
    """Start tests/integration/printing/private-cups.sh on a short tmp dir and a free port; skip with the
    reason when CUPS is not installed; stop the server after."""
    if not Path("/usr/sbin/cupsd").exists() or shutil.which("lpadmin") is None:
        pytest.skip(
            "cupsd is not installed (apt-get install cups cups-client cups-bsd printer-driver-cups-pdf)"
        )
    # A short path: the server's unix socket path must stay under 108 bytes.
    folder = Path(tempfile.mkdtemp(prefix="pdcups"))
    folder.chmod(0o755)  # CUPS filters run as the lp user and must reach out/
    port = free_port()
    try:
        result = subprocess.run(
            ["bash", str(SCRIPT), str(folder), str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"private-cups.sh failed: {result.stderr}")
        yield PrivateCups(folder, port)
    finally:
        pid_file = folder / "cupsd.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
                _wait_for_exit(pid, timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
