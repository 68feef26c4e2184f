"""The processes that hold purchase claims: the name a process writes on the rows it claims,
and whether the process named on a claim is provably gone.

A name is `host/pid/id`: the host and process id say where the process ran, the random id
tells apart two holders in one process and a process id used again later. A holder is
provably gone only when it ran on this host and its process is not alive (no such process,
or a zombie waiting for its parent): then its claim is taken over at once. A holder on
another host is never provably gone from here; its claim lapses at its end time.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessName:
    host: str
    pid: int
    id: str

    def __str__(self) -> str:
        return f"{self.host}/{self.pid}/{self.id}"

    @classmethod
    def parse(cls, text: str) -> ProcessName | None:
        """The name written on a claim; None for an empty or foreign one."""
        host, sep, rest = text.partition("/")
        pid, sep2, ident = rest.partition("/")
        if not (sep and sep2 and host and ident and pid.isdigit()):
            return None
        return cls(host=host, pid=int(pid), id=ident)

    def describe(self) -> str:
        """How a person finds the process: `pid 4242` here, `pid 4242 on wh-2` elsewhere."""
        return f"pid {self.pid}" if self.host == this_host() else f"pid {self.pid} on {self.host}"


def this_host() -> str:
    return socket.gethostname()


def new_process_name() -> ProcessName:
    """A fresh name for a holder in this process."""
    return ProcessName(host=this_host(), pid=os.getpid(), id=uuid.uuid4().hex[:12])


def is_gone(holder: ProcessName) -> bool:
    """Whether the holder's process provably no longer runs (see the module's docstring)."""
    if holder.host != this_host() or os.name != "posix":
        return False
    if holder.pid == os.getpid():
        return False  # this very process: another holder in it, alive
    return not _alive(holder.pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # it ended just now (where /proc exists)
    except OSError:
        return True
    state = stat.rpartition(")")[2].split()[:1]
    return state not in (["Z"], ["X"])  # a zombie has ended; only its exit status is left
