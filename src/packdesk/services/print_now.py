"""Printing an order's label and slip now, in this process, and saying where they went.

A headless command (`packdesk ship`) has no background job to send its print jobs, so it
runs the print queue itself, the same way the pack screen does after the last scan: the
label jobs the purchase queued and a fresh packing slip go through `PrintService.run_once`,
after the jobs already waiting on those printers are made due (a printer that is on again
takes its backlog first, in order). A printer that does not answer keeps its job queued and
the sentence says why and what to run.
"""

from __future__ import annotations

from dataclasses import dataclass

from packdesk.domain.models import PrintJob, PrintJobState, PrintRole
from packdesk.services.printing import NothingToPrint, PrintService

RETRY_HINT = "run `packdesk printers retry` once it is fixed (a running daemon or TUI also does)"
QUEUE_SUFFIX = "; the job waits in the queue."


@dataclass(frozen=True)
class PrintedRole:
    """What became of one role's documents (the label or labels, or the slip)."""

    role: PrintRole
    printer: str = ""
    where: str = ""
    """The printer's target, as `packdesk printers list` shows it."""
    jobs: tuple[PrintJob, ...] = ()
    problem: str = ""
    """Why nothing was queued at all (no printer for the role, nothing to print)."""

    @property
    def printed(self) -> bool:
        return bool(self.jobs) and all(j.state is PrintJobState.DONE for j in self.jobs)

    @property
    def what(self) -> str:
        if self.role is PrintRole.SLIP:
            return "slip"
        return "label" if len(self.jobs) <= 1 else f"{len(self.jobs)} labels"

    def sentence(self) -> str:
        """ "label printed on zebra (tcp://192.168.1.50:9100)", or why it was not."""
        if self.problem:
            return f"{self.what} not printed: {_clause(self.problem)}"
        if self.printed:
            return f"{self.what} printed on {self.printer} ({self.where})"
        failed = next((j for j in self.jobs if j.state is PrintJobState.FAILED), None)
        if failed is not None:
            return f"{self.what} not printed: {_clause(failed.last_error)}"
        waiting = next((j for j in self.jobs if j.state is PrintJobState.QUEUED), None)
        why = (
            _clause(waiting.last_error)
            if waiting and waiting.last_error
            else (f"{self.printer} ({self.where}) is still busy with earlier jobs")
        )
        return f"{self.what} not printed: {why} — it stays queued; {RETRY_HINT}"


def _clause(text: str) -> str:
    """A printer's sentence as part of a longer one: no queue note, no final stop, and no
    capital unless the first word is an acronym (CUPS)."""
    text = text.strip().removesuffix(QUEUE_SUFFIX).rstrip(".").strip()
    if len(text) > 1 and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def print_order_now(printing: PrintService, order_id: str) -> list[PrintedRole]:
    """Queue the order's slip, send its waiting label jobs and the slip now, and tell what
    came out of each role's printer."""
    labels = [
        j
        for j in printing.store.print_jobs.for_order(order_id)
        if j.role is PrintRole.LABEL and j.state is PrintJobState.QUEUED
    ]
    outcomes: dict[PrintRole, PrintedRole] = {}
    if not labels:
        outcomes[PrintRole.LABEL] = PrintedRole(PrintRole.LABEL, problem=_no_label(printing))
    try:
        slips = [printing.enqueue_slip(order_id)]
    except NothingToPrint as exc:
        slips = []
        outcomes[PrintRole.SLIP] = PrintedRole(PrintRole.SLIP, problem=str(exc))
    mine = [*labels, *slips]
    for printer in sorted({j.printer for j in mine}):
        printing.retry_now(printer)
    printing.run_once()
    for role, jobs in ((PrintRole.LABEL, labels), (PrintRole.SLIP, slips)):
        if role in outcomes:
            continue
        after = tuple(printing.store.print_jobs.get(j.id) or j for j in jobs)
        printer = after[0].printer
        outcomes[role] = PrintedRole(role, printer, printing.where(printer), after)
    return [outcomes[PrintRole.LABEL], outcomes[PrintRole.SLIP]]


def _no_label(printing: PrintService) -> str:
    try:
        printing.printer_for(PrintRole.LABEL)
    except NothingToPrint as exc:
        return str(exc)
    return "the order has no label waiting to print (reprint it from its detail in the TUI)."


def report(outcomes: list[PrintedRole]) -> str:
    """What the person at the station reads: one line when everything came out ("Label
    printed on zebra (…); slip printed on office (…)."), else a line per document."""

    def sentence(text: str) -> str:
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")

    if all(o.printed for o in outcomes):
        return sentence("; ".join(o.sentence() for o in outcomes))
    return "\n".join(sentence(o.sentence()) for o in outcomes)
