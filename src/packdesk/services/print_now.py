"""Printing an order's label and slip now, in this process, and saying where they went.

A headless command (`packdesk ship`) has no background job to send its print jobs, so it
runs the print queue itself, the same way the pack screen does after the last scan: the
label jobs the purchase queued and a fresh packing slip go through `PrintService.run_once`,
after the jobs already waiting on those printers are made due (a printer that is on again
takes its backlog first, in order). A printer that does not answer keeps its job queued and
the sentence says why and what to run.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    return print_orders_now(printing, [order_id])[order_id]


def print_orders_now(
    printing: PrintService, order_ids: Sequence[str]
) -> dict[str, list[PrintedRole]]:
    """The same for several orders at once (a batch): every slip is queued, then the queue
    runs once, and each order is told apart."""
    labels: dict[str, list[PrintJob]] = {}
    slips: dict[str, list[PrintJob]] = {}
    problems: dict[tuple[str, PrintRole], str] = {}
    for order_id in order_ids:
        labels[order_id] = _label_jobs(printing, order_id)
        if not labels[order_id]:
            problems[(order_id, PrintRole.LABEL)] = _no_label(printing)
        try:
            slips[order_id] = [printing.enqueue_slip(order_id)]
        except NothingToPrint as exc:
            slips[order_id] = []
            problems[(order_id, PrintRole.SLIP)] = str(exc)
    mine = [j for jobs in (*labels.values(), *slips.values()) for j in jobs]
    for printer in sorted({j.printer for j in mine if j.state is PrintJobState.QUEUED}):
        printing.retry_now(printer)
    printing.run_once()
    outcomes: dict[str, list[PrintedRole]] = {}
    for order_id in order_ids:
        outcomes[order_id] = []
        for role, jobs in ((PrintRole.LABEL, labels[order_id]), (PrintRole.SLIP, slips[order_id])):
            problem = problems.get((order_id, role))
            if problem is not None:
                outcomes[order_id].append(PrintedRole(role, problem=problem))
                continue
            after = tuple(printing.store.print_jobs.get(j.id) or j for j in jobs)
            printer = after[0].printer
            outcomes[order_id].append(PrintedRole(role, printer, printing.where(printer), after))
    return outcomes


def _label_jobs(printing: PrintService, order_id: str) -> list[PrintJob]:
    """The order's label jobs still to print; else its last one, when another process (a
    daemon, the TUI) printed it meanwhile."""
    jobs = printing.store.print_jobs.for_order(order_id)
    waiting = [j for j in jobs if j.role is PrintRole.LABEL and j.state is PrintJobState.QUEUED]
    if waiting:
        return waiting
    last = printing.store.print_jobs.last(order_id, PrintRole.LABEL)
    return [last] if last is not None and last.state is PrintJobState.DONE else []


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
