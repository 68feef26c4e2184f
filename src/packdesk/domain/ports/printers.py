"""Printers and the packing slip renderer, and the two ways a print can fail."""

from __future__ import annotations

from typing import Protocol

from packdesk.domain.slip import PackingSlip


class PrinterUnavailable(RuntimeError):
    """The printer cannot take the job now (off, unplugged, queue stopped); the message is a
    sentence for the packer with the fix, and the job stays queued to be retried."""


class PrintRefused(RuntimeError):
    """The printer can never print this job as it is (wrong format for its kind); retrying
    will not help, so the job is marked failed with the sentence saying what to change."""


class Printer(Protocol):
    """One configured printer. `send` raises `PrinterUnavailable` or `PrintRefused`."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str:
        """`zpl`, `escpos`, `cups` or `folder`."""
        ...

    def describe_target(self) -> str:
        """Where the printer is, for messages: `tcp://10.0.0.5:9100`, `cups://slips`, ..."""
        ...

    def send(self, document: str, content_type: str, data: bytes) -> None:
        """Print `data` (named `document`, e.g. `1001-label.zpl`) or raise."""
        ...

    def check(self) -> str:
        """Empty when the printer looks ready, else a sentence saying what is wrong."""
        ...


class SlipRenderer(Protocol):
    """Turns a packing slip into bytes for the slip printer's kind (PDF or ESC/POS)."""

    @property
    def content_type(self) -> str: ...

    def render(self, slip: PackingSlip) -> bytes: ...
