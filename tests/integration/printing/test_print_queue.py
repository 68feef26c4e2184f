"""The print queue over a real SQLite file and real printers: slips and labels come out in
order, a printer that is off keeps its jobs with the reason, nothing is lost across a
restart, reprints come from stored bytes, and a printed label moves the order on."""

from __future__ import annotations

import itertools
import random
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from packdesk.adapters.printers import FolderPrinter, PdfSlipRenderer, ZplPrinter
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock
from packdesk.domain.events import PrintJobChanged
from packdesk.domain.models import NewPrintJob, PrintJobState, PrintRole
from packdesk.domain.ports import Printer
from packdesk.domain.printing import document_name
from packdesk.domain.states import StationState
from packdesk.services.printing import PrintService
from packdesk.services.station import StationService

from .printing_peers import (
    ZPL_LABEL,
    Listener,
    Recorder,
    add_label,
    add_order,
    free_port,
    sample_order,
)


def label_job(
    printing: PrintService, order_name: str, order_id: str, content_type: str, data: bytes
) -> NewPrintJob:
    """A bought label's job, as the label service writes it with the move to LABELED."""
    return NewPrintJob(
        printer=printing.printer_for(PrintRole.LABEL),
        role=PrintRole.LABEL,
        order_id=order_id,
        document=document_name(order_name, PrintRole.LABEL, content_type),
        content_type=content_type,
        data=data,
    )


def service(
    store: SqliteStore, bus: Recorder, clock: FixedClock, printers: dict[str, Printer]
) -> PrintService:
    label = next(name for name, p in printers.items() if name.startswith("label"))
    slip = next(name for name, p in printers.items() if name.startswith("slip"))
    return PrintService(
        store,
        printers,
        {PrintRole.LABEL: label, PrintRole.SLIP: slip},
        slips=PdfSlipRenderer("Bright Minds Learning"),
        station=StationService(store, bus, clock),
        bus=bus,
        clock=clock,
        location_code="CA",
        rng=random.Random(1),
    )


def test_slip_and_label_come_out_of_folder_printers(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    out = tmp_path / "print"
    printing = service(
        store,
        bus,
        clock,
        {"labels": FolderPrinter("labels", out), "slips": FolderPrinter("slips", out)},
    )
    slip = printing.enqueue_slip(order.id)
    label = store.print_jobs.add(
        label_job(printing, order.name, order.id, "application/zpl", ZPL_LABEL), clock.now()
    )
    assert [j.id for j in printing.pending()] == [slip.id, label.id]
    assert slip.document == "1001-slip.pdf"
    assert label.document == "1001-label.zpl"

    done = printing.run_once()
    assert [j.state for j in done] == [PrintJobState.DONE, PrintJobState.DONE]
    assert (out / "1001-label.zpl").read_bytes() == ZPL_LABEL
    assert (out / "1001-slip.pdf").read_bytes().startswith(b"%PDF")
    assert printing.pending() == []
    assert printing.run_once() == []  # nothing printed twice


def test_printer_off_keeps_the_job_with_the_reason_then_prints_and_survives_restart(
    tmp_path: Path, bus: Recorder, clock: FixedClock
) -> None:
    db = tmp_path / "packdesk.db"
    port = free_port()
    store = SqliteStore.open(db)
    order = add_order(store, sample_order())
    printers: dict[str, Printer] = {
        "labels": ZplPrinter("labels", f"tcp://127.0.0.1:{port}"),
        "slips": FolderPrinter("slips", tmp_path / "print"),
    }
    printing = service(store, bus, clock, printers)
    job = store.print_jobs.add(
        label_job(printing, order.name, order.id, "application/zpl", ZPL_LABEL), clock.now()
    )
    second = store.print_jobs.add(
        label_job(printing, "#1002", "gid://shopify/Order/1002", "application/zpl", b"^XA^XZ"),
        clock.now(),
    )

    (waiting,) = printing.run_once()  # the second job waits behind the first
    assert waiting.id == job.id
    assert waiting.state is PrintJobState.QUEUED
    expected = (
        f"Printer labels at tcp://127.0.0.1:{port} does not answer (connection refused): "
        "switch it on and check the cable; the job waits in the queue."
    )
    assert waiting.last_error == expected
    assert waiting.next_attempt_at is not None
    assert waiting.next_attempt_at > clock.now()
    events = [e for e in bus.events if isinstance(e, PrintJobChanged)]
    assert events[-1].job_id == job.id
    assert events[-1].state == "QUEUED"
    assert events[-1].error == expected
    assert printing.run_once() == []  # backing off: not due yet

    status = printing.status()
    assert status.waiting == 2
    assert status.problems == {"labels": expected}
    assert not status.ok
    clock.at += timedelta(seconds=5)
    assert printing.run_once()[0].attempts == 2  # still off: retried, backing off further
    store.close()

    # packdesk restarts; the printer comes back on
    listener = Listener(port).start()
    try:
        clock.at += timedelta(minutes=5)
        store = SqliteStore.open(db)
        printing = service(store, bus, clock, printers)
        assert [j.last_error for j in printing.pending()] == [expected, ""]
        results = printing.run_once()
        assert [r.state for r in results] == [PrintJobState.DONE, PrintJobState.DONE]
        assert listener.wait_for(2) == [ZPL_LABEL, b"^XA^XZ"]  # in the order they were made
        assert printing.status().ok
        assert [j.state for j in printing.recent()] == [PrintJobState.DONE] * 2
        assert bus.events[-1] == PrintJobChanged(
            at=clock.now(), job_id=second.id, printer="labels", state="DONE", error=""
        )
        store.close()
    finally:
        listener.stop()


def test_backoff_grows_with_jitter_and_retry_now_makes_jobs_due(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    printers: dict[str, Printer] = {
        "labels": ZplPrinter("labels", f"tcp://127.0.0.1:{free_port()}"),
        "slips": FolderPrinter("slips", tmp_path),
    }
    printing = service(store, bus, clock, printers)
    store.print_jobs.add(
        label_job(printing, order.name, order.id, "application/zpl", ZPL_LABEL), clock.now()
    )
    delays = []
    for _ in range(5):
        (job,) = printing.run_once()
        assert job.next_attempt_at is not None
        delays.append((job.next_attempt_at - clock.now()).total_seconds())
        clock.at = job.next_attempt_at
    assert all(b > a for a, b in itertools.pairwise(delays))
    assert 1.5 <= delays[0] <= 2.5  # 2 s +-25 %
    clock.at -= timedelta(seconds=1)
    assert printing.run_once() == []
    assert printing.retry_now("labels") == 1
    assert len(printing.run_once()) == 1


def test_a_printed_label_moves_the_order_from_labeled_to_printed(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    station = StationService(store, bus, clock)
    for state in (StationState.NEW, StationState.READY, StationState.PACKING, StationState.PACKED):
        station.move(order.id, state, actor="packer")
    printing = service(
        store,
        bus,
        clock,
        {"labels": FolderPrinter("labels", tmp_path), "slips": FolderPrinter("slips", tmp_path)},
    )
    station.move(
        order.id,
        StationState.LABELED,
        actor="packer",
        print_jobs=[label_job(printing, order.name, order.id, "application/zpl", ZPL_LABEL)],
    )
    printing.run_once()
    current = station.state_of(order.id)
    assert current is not None
    assert current.state is StationState.PRINTED
    assert store.station.history(order.id)[-1].actor == "printer:labels"


def test_reprints_come_from_stored_bytes(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    add_label(store, order.id, b"^XA^FDold^XZ", "application/zpl", attempt=1, state="VOIDED")
    add_label(store, order.id, ZPL_LABEL, "application/zpl", attempt=2)
    out = tmp_path / "print"
    printing = service(
        store,
        bus,
        clock,
        {"labels": FolderPrinter("labels", out), "slips": FolderPrinter("slips", out)},
    )
    printing.enqueue_slip(order.id)
    printing.run_once()
    (label,) = printing.reprint_label(order.id)
    assert label.document == "1001-label.zpl"
    slip = printing.reprint_slip(order.id)
    printing.reprint_label(order.id)
    printing.run_once()
    assert slip.document == "1001-slip.pdf"
    assert (out / "1001-slip-2.pdf").read_bytes() == (out / "1001-slip.pdf").read_bytes()
    assert (out / "1001-label.zpl").read_bytes() == ZPL_LABEL
    assert (out / "1001-label-2.zpl").read_bytes() == ZPL_LABEL


def test_reprint_without_a_label_says_what_to_do(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    printing = service(
        store,
        bus,
        clock,
        {"labels": FolderPrinter("labels", tmp_path), "slips": FolderPrinter("slips", tmp_path)},
    )
    with pytest.raises(
        LookupError, match=r"^Order #1001 has no bought label stored: buy one first \(F2\)\.$"
    ):
        printing.reprint_label(order.id)


def test_a_job_the_printer_can_never_print_fails_with_the_fix_and_others_go_on(
    store: SqliteStore, bus: Recorder, clock: FixedClock, listener: Listener, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    printing = service(
        store,
        bus,
        clock,
        {
            "labels": ZplPrinter("labels", f"tcp://127.0.0.1:{listener.port}"),
            "slips": FolderPrinter("slips", tmp_path),
        },
    )
    pdf = store.print_jobs.add(
        label_job(printing, order.name, order.id, "application/pdf", b"%PDF"), clock.now()
    )
    zpl = store.print_jobs.add(
        label_job(printing, order.name, order.id, "application/zpl", ZPL_LABEL), clock.now()
    )
    results = {r.id: r for r in printing.run_once()}
    assert results[pdf.id].state is PrintJobState.FAILED
    assert "prints ZPL" in results[pdf.id].last_error
    assert results[zpl.id].state is PrintJobState.DONE
    assert listener.wait_for(1) == [ZPL_LABEL]


class FlakyPrinter:
    """A fake of the Printer port: answers with the given outcomes, one per send."""

    kind = "zpl"

    def __init__(self, name: str, outcomes: list[Exception | None]) -> None:
        self.name = name
        self.outcomes = outcomes
        self.printed: list[bytes] = []

    def describe_target(self) -> str:
        return "fake://"

    def check(self) -> str:
        return ""

    def send(self, document: str, content_type: str, data: bytes) -> None:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.printed.append(data)


def test_a_driver_bug_keeps_the_job_queued_with_a_sentence(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    flaky = FlakyPrinter("labels", [RuntimeError("usb stall")])
    printing = service(
        store, bus, clock, {"labels": flaky, "slips": FolderPrinter("slips", tmp_path)}
    )
    store.print_jobs.add(
        label_job(printing, order.name, order.id, "application/zpl", ZPL_LABEL), clock.now()
    )
    (job,) = printing.run_once()
    assert job.state is PrintJobState.QUEUED
    assert job.last_error == (
        "Printer labels failed (usb stall); the job waits in the queue and the log has the details."
    )
    clock.at += timedelta(minutes=3)
    (job,) = printing.run_once()
    assert job.state is PrintJobState.DONE
    assert flaky.printed == [ZPL_LABEL]


def test_a_job_for_a_printer_no_longer_configured_waits_with_the_reason(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    old = service(
        store,
        bus,
        clock,
        {"labels": FlakyPrinter("labels", []), "slips": FolderPrinter("slips", tmp_path)},
    )
    store.print_jobs.add(
        label_job(old, order.name, order.id, "application/zpl", ZPL_LABEL), clock.now()
    )
    renamed = service(
        store,
        bus,
        clock,
        {"label-zebra": FlakyPrinter("label-zebra", []), "slips": FolderPrinter("slips", tmp_path)},
    )
    (job,) = renamed.run_once()
    assert job.state is PrintJobState.QUEUED
    assert "No printer named 'labels' is configured any more" in job.last_error


def test_two_workers_never_print_a_job_twice(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, sample_order())
    flaky = FlakyPrinter("labels", [])
    slips = FolderPrinter("slips", tmp_path)
    a = service(store, bus, clock, {"labels": flaky, "slips": slips})
    b = service(store, bus, clock, {"labels": flaky, "slips": slips})  # another process's queue
    for n in range(20):
        store.print_jobs.add(
            label_job(a, order.name, order.id, "application/zpl", f"^XA^FD{n}^XZ".encode()),
            clock.now(),
        )
    workers = [threading.Thread(target=s.run_once) for s in (a, b, a, b)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    a.run_once()
    assert sorted(flaky.printed) == sorted(f"^XA^FD{n}^XZ".encode() for n in range(20))


@pytest.mark.parametrize(
    ("kind", "expected"), [("zpl", "ZPLII"), ("escpos", "PNG"), ("folder", "PDF_4x6")]
)
def test_label_format_follows_the_label_printer(
    store: SqliteStore, bus: Recorder, clock: FixedClock, tmp_path: Path, kind: str, expected: str
) -> None:
    label = FlakyPrinter("labels", [])
    label.kind = kind
    printing = service(
        store, bus, clock, {"labels": label, "slips": FolderPrinter("slips", tmp_path)}
    )
    assert printing.label_format() == expected
