"""The `folder` printer: each job becomes a file named after the order, for the demo and
for stations that print from a shared folder. A reprint never overwrites: the second copy
of `1001-label.zpl` is `1001-label-2.zpl`."""

from __future__ import annotations

import os
from pathlib import Path

from packdesk.domain.ports import PrinterUnavailable


class FolderPrinter:
    kind = "folder"

    def __init__(self, name: str, folder: str | Path) -> None:
        self.name = name
        self.folder = Path(folder).expanduser()

    def describe_target(self) -> str:
        return str(self.folder)

    def send(self, document: str, content_type: str, data: bytes) -> None:
        self.write(document, data)

    def write(self, document: str, data: bytes) -> Path:
        """Write `data` as a new file named after `document`; returns its path."""
        safe = Path(document).name or "job.bin"
        stem, dot, ext = safe.partition(".")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            copy = 1
            while True:
                path = self.folder / (safe if copy == 1 else f"{stem}-{copy}{dot}{ext}")
                try:
                    with open(path, "xb") as out:  # "x": never overwrite, even in a race
                        out.write(data)
                        out.flush()
                        os.fsync(out.fileno())
                    return path
                except FileExistsError:
                    copy += 1
        except OSError as exc:
            raise PrinterUnavailable(
                f"Printer {self.name} cannot write to the folder {self.folder} "
                f"({exc.strerror or exc}): check that it exists and is writable; "
                "the job waits in the queue."
            ) from exc

    def check(self) -> str:
        if self.folder.is_dir():
            if os.access(self.folder, os.W_OK):
                return ""
            return f"Printer {self.name}: the folder {self.folder} is not writable."
        parent = next((p for p in self.folder.parents if p.exists()), None)
        if parent is not None and os.access(parent, os.W_OK):
            return ""  # created on the first job
        return f"Printer {self.name}: the folder {self.folder} cannot be created."
