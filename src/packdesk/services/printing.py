"""The print queue: packing slips and labels as rows holding their bytes, sent in order to
each printer, kept (with the reason shown) while a printer is off, and never lost.

`run_once` is what the scheduler calls every few seconds and what the pack screen calls
right after a pack completes; both may run at once, so each job is claimed in the database
before it is sent. A printer that does not answer keeps its jobs QUEUED with the reason and
retries them with backoff and jitter; a job a printer can never print (wrong format) is
marked FAILED with the sentence that says what to change. Reprints make new jobs from the
stored bytes, so they need no network.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from packdesk.domain.clock import Clock
from packdesk.domain.events import PrintJobChanged
from packdesk.domain.models import (
    NewPrintJob,
    Order,
    PrintJob,
    PrintJobState,
    PrintRole,
    PurchaseState,
)
from packdesk.domain.ports import (
    EventPublisher,
    Printer,
    PrinterUnavailable,
    PrintRefused,
    SlipRenderer,
    StaleState,
    Store,
)
from packdesk.domain.printing import LabelFormat, document_name, label_format_for
from packdesk.domain.remaining import parcel_contents
from packdesk.domain.slip import PackingSlip
from packdesk.domain.states import StationState, TransitionRefused
from packdesk.services.station import OrderNotFound, StationService

log = logging.getLogger(__name__)


class NothingToPrint(LookupError):
    """A reprint or slip was asked for but there is nothing to print; the message says why."""


@dataclass(frozen=True)
class PrintQueueStatus:
    waiting: int
    """Jobs not printed yet."""
    problems: dict[str, str]
    """Printer name -> why its oldest waiting job did not print (empty when all is well)."""

    @property
    def ok(self) -> bool:
        return not self.problems


class PrintService:
    def __init__(
        self,
        store: Store,
        printers: Mapping[str, Printer],
        roles: Mapping[PrintRole, str],
        *,
        slips: SlipRenderer | None,
        station: StationService,
        bus: EventPublisher,
        clock: Clock,
        location_code: str,
        retry_base_s: float = 2.0,
        retry_max_s: float = 120.0,
        lease_s: float = 120.0,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.printers = dict(printers)
        self.roles = dict(roles)
        self.slips = slips
        self.station = station
        self.bus = bus
        self.clock = clock
        self.location_code = location_code
        """[station].location: the slip lists what remains to ship from there."""
        self.retry_base_s = retry_base_s
        self.retry_max_s = retry_max_s
        self.lease_s = lease_s
        self.rng = rng or random.Random()
        self._lock = threading.Lock()

    # -- making jobs --------------------------------------------------------------------

    def printer_for(self, role: PrintRole) -> str:
        """The configured printer's name for `role`, or a sentence saying how to add one."""
        name = self.roles.get(role)
        if not name:
            raise NothingToPrint(
                f"No {role.value} printer is configured: add a [[printers]] entry with "
                f'role = "{role.value}" to the config.'
            )
        return name

    def where(self, name: str) -> str:
        """Where printer `name` is (`tcp://10.0.0.5:9100`, a folder, a CUPS queue)."""
        printer = self.printers.get(name)
        return printer.describe_target() if printer else "no longer configured"

    def label_format(self) -> LabelFormat:
        """The Shippo label file type the label printer takes (ZPLII, PNG or PDF_4x6)."""
        printer = self.printers.get(self.roles.get(PrintRole.LABEL, ""))
        return label_format_for(printer.kind if printer else "folder")

    def slip_job(self, order_id: str) -> NewPrintJob:
        """The packing slip of an order, rendered for the slip printer's kind."""
        printer = self.printer_for(PrintRole.SLIP)
        if self.slips is None:
            raise NothingToPrint("No slip renderer is configured for the slip printer.")
        order = self.store.orders.get(order_id)
        if order is None:
            raise OrderNotFound(f"No order {order_id} in the local database; run a sync.")
        order = self.parcel_of(order)
        bins = self.store.catalog.bins([li.variant_id for li in order.line_items if li.variant_id])
        data = self.slips.render(PackingSlip.for_order(order, bins))
        content_type = self.slips.content_type
        return NewPrintJob(
            printer=printer,
            role=PrintRole.SLIP,
            order_id=order_id,
            document=document_name(order.name, PrintRole.SLIP, content_type),
            content_type=content_type,
            data=data,
        )

    def parcel_of(self, order: Order) -> Order:
        """What the order's parcel from this station carries (its slip lists only that)."""
        location = self.store.catalog.location(self.location_code) if self.location_code else None
        tracking = [
            p.tracking_number
            for p in self.store.labels.for_order(order.id)
            if p.state is PurchaseState.BOUGHT
        ]
        return parcel_contents(order, location.id if location else "", tracking)

    def enqueue_slip(self, order_id: str) -> PrintJob:
        """Render the order's packing slip and queue it on the slip printer."""
        return self._add(self.slip_job(order_id))

    def reprint_label(self, order_id: str) -> list[PrintJob]:
        """Queue the stored label of every package of the order again (no network needed)."""
        order = self.store.orders.get(order_id)
        if order is None:
            raise OrderNotFound(f"No order {order_id} in the local database; run a sync.")
        labels = self.store.labels.newest_files(order_id)
        if not labels:
            raise NothingToPrint(
                f"Order {order.name} has no bought label stored: buy one first (F2)."
            )
        printer = self.printer_for(PrintRole.LABEL)
        return [
            self._add(
                NewPrintJob(
                    printer=printer,
                    role=PrintRole.LABEL,
                    order_id=order_id,
                    document=document_name(
                        order.name,
                        PrintRole.LABEL,
                        label.content_type,
                        package_no=label.package_no,
                        packages=len(labels),
                    ),
                    content_type=label.content_type,
                    data=label.data,
                )
            )
            for label in labels
        ]

    def reprint_slip(self, order_id: str) -> PrintJob:
        """Queue the order's last slip again, byte for byte; render one if none was made
        (or if the slip printer now takes another format than the last slip had)."""
        last = self.store.print_jobs.last(order_id, PrintRole.SLIP)
        if last is None or (self.slips and last.content_type != self.slips.content_type):
            return self.enqueue_slip(order_id)
        return self._add(
            NewPrintJob(
                printer=self.printer_for(PrintRole.SLIP),
                role=PrintRole.SLIP,
                order_id=order_id,
                document=last.document,
                content_type=last.content_type,
                data=self.store.print_jobs.data(last.id),
            )
        )

    def _add(self, job: NewPrintJob) -> PrintJob:
        added = self.store.print_jobs.add(job, self.clock.now())
        self._publish(added)
        return added

    # -- sending ------------------------------------------------------------------------

    def pending(self) -> list[PrintJob]:
        """Jobs still waiting for their printer, oldest first, with the reason if any."""
        return self.store.print_jobs.queued()

    def recent(self, limit: int = 50) -> list[PrintJob]:
        """The newest jobs in any state, newest first (the print panel's list)."""
        return self.store.print_jobs.recent(limit)

    def status(self) -> PrintQueueStatus:
        """How the queue stands, for the status bar: jobs waiting, and per printer that is
        failing the reason of its oldest waiting job."""
        waiting = self.store.print_jobs.queued()
        problems: dict[str, str] = {}
        for job in waiting:
            if job.last_error and job.printer not in problems:
                problems[job.printer] = job.last_error
        return PrintQueueStatus(waiting=len(waiting), problems=problems)

    def retry_now(self, printer: str | None = None) -> int:
        """Make waiting jobs (of one printer, or all) due now; returns how many."""
        return self.store.print_jobs.reschedule(printer, self.clock.now())

    def run_once(self) -> list[PrintJob]:
        """Send every due job, each printer's jobs in the order they were made; a printer
        that fails keeps the rest of its jobs waiting behind the first. Returns the jobs
        whose state was touched."""
        touched: list[PrintJob] = []
        with self._lock:
            blocked: set[str] = set()
            for job in self.store.print_jobs.queued():
                if job.printer in blocked:
                    continue
                now = self.clock.now()
                if job.next_attempt_at is not None and job.next_attempt_at > now:
                    blocked.add(job.printer)
                    continue
                if not self.store.print_jobs.claim(
                    job.id, now, now + timedelta(seconds=self.lease_s)
                ):
                    blocked.add(job.printer)
                    continue
                result = self._send(job)
                touched.append(result)
                if result.state is PrintJobState.QUEUED:
                    blocked.add(job.printer)
        return touched

    def _send(self, job: PrintJob) -> PrintJob:
        printer = self.printers.get(job.printer)
        try:
            if printer is None:
                raise PrinterUnavailable(
                    f"No printer named {job.printer!r} is configured any more: add it back to"
                    " the config or reprint on the current printer; the job waits in the queue."
                )
            printer.send(job.document, job.content_type, self.store.print_jobs.data(job.id))
        except PrintRefused as exc:
            log.warning("print job %s refused by %s: %s", job.id, job.printer, exc)
            result = self.store.print_jobs.fail(job.id, str(exc), None, give_up=True)
        except PrinterUnavailable as exc:
            log.info("print job %s waits for %s: %s", job.id, job.printer, exc)
            result = self.store.print_jobs.fail(job.id, str(exc), self._next_attempt(job))
        except Exception as exc:  # a driver bug must not stop the queue or lose the job
            log.exception("print job %s failed on %s", job.id, job.printer)
            result = self.store.print_jobs.fail(
                job.id,
                f"Printer {job.printer} failed ({exc}); the job waits in the queue and the"
                " log has the details.",
                self._next_attempt(job),
            )
        else:
            result = self.store.print_jobs.finish(job.id, self.clock.now())
            log.info("printed %s on %s (job %s)", job.document, job.printer, job.id)
            if job.role is PrintRole.LABEL and job.order_id:
                self._label_printed(job)
        self._publish(result)
        return result

    def _next_attempt(self, job: PrintJob) -> datetime:
        """Exponential backoff from the attempts so far, capped, with +-25 % jitter so that
        several stations do not hammer a shared printer in step."""
        delay = min(self.retry_max_s, self.retry_base_s * 2 ** min(job.attempts, 16))
        delay *= 0.75 + 0.5 * self.rng.random()
        return self.clock.now() + timedelta(seconds=delay)

    def _label_printed(self, job: PrintJob) -> None:
        """A label came out: a LABELED order becomes PRINTED (later states stay)."""
        current = self.station.state_of(job.order_id)
        if current is None or current.state is not StationState.LABELED:
            return
        try:
            self.station.move(
                job.order_id,
                StationState.PRINTED,
                actor=f"printer:{job.printer}",
                reason=f"label {job.document} printed on {job.printer}",
            )
        except (StaleState, TransitionRefused, OrderNotFound) as exc:
            log.info("order %s not moved to PRINTED: %s", job.order_id, exc)

    def _publish(self, job: PrintJob) -> None:
        self.bus.publish(
            PrintJobChanged(
                at=self.clock.now(),
                job_id=job.id,
                printer=job.printer,
                state=job.state.value,
                error=job.last_error,
            )
        )
