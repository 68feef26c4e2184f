"""The print jobs repository: the bytes to print, kept until a printer took them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import NewPrintJob, PrintJobState, PrintRole

from .store_data import T0

OID = "gid://shopify/Order/1001"


def job(
    role: PrintRole = PrintRole.LABEL, printer: str = "zebra", data: bytes = b"^XA^XZ"
) -> NewPrintJob:
    return NewPrintJob(
        printer=printer,
        role=role,
        order_id=OID,
        document=f"1001-{role.value}.zpl",
        content_type="application/zpl",
        data=data,
    )


def test_a_job_is_queued_with_its_bytes_and_claimed_by_one_sender(store: SqliteStore) -> None:
    added = store.print_jobs.add(job(), T0)
    assert (added.state, added.attempts, added.next_attempt_at) == (PrintJobState.QUEUED, 0, T0)
    assert store.print_jobs.get(added.id) == added
    assert store.print_jobs.data(added.id) == b"^XA^XZ"
    lease = T0 + timedelta(minutes=2)
    assert store.print_jobs.claim(added.id, T0, lease)
    assert not store.print_jobs.claim(added.id, T0, lease)  # taken until the lease runs out
    done = store.print_jobs.finish(added.id, T0 + timedelta(seconds=1))
    assert (done.state, done.attempts, done.printed_at) == (
        PrintJobState.DONE,
        1,
        T0 + timedelta(seconds=1),
    )
    assert not store.print_jobs.claim(added.id, lease, lease)  # printed: never again
    assert store.print_jobs.queued() == []
    with pytest.raises(LookupError, match="No print job 999"):
        store.print_jobs.data(999)


def test_failures_keep_the_job_queued_until_given_up(store: SqliteStore) -> None:
    added = store.print_jobs.add(job(), T0)
    later = T0 + timedelta(seconds=30)
    waiting = store.print_jobs.fail(added.id, "Printer zebra is off", later)
    assert (waiting.state, waiting.attempts, waiting.last_error) == (
        PrintJobState.QUEUED,
        1,
        "Printer zebra is off",
    )
    assert not store.print_jobs.claim(added.id, T0, later)  # not due yet
    assert store.print_jobs.reschedule("zebra", T0) == 1
    assert store.print_jobs.reschedule("laser", T0) == 0
    assert store.print_jobs.claim(added.id, T0, later)
    failed = store.print_jobs.fail(added.id, "ZPL sent to a PDF printer", None, give_up=True)
    assert (failed.state, failed.attempts) == (PrintJobState.FAILED, 2)
    assert store.print_jobs.reschedule(None, T0) == 0


def test_jobs_are_listed_by_order_role_and_age(store: SqliteStore) -> None:
    label = store.print_jobs.add(job(), T0)
    slip = store.print_jobs.add(job(PrintRole.SLIP, "laser", b"%PDF"), T0)
    again = store.print_jobs.add(job(PrintRole.SLIP, "laser", b"%PDF-2"), T0)
    other = store.print_jobs.add(
        job().model_copy(update={"order_id": "gid://shopify/Order/1002"}), T0
    )
    assert [j.id for j in store.print_jobs.queued()] == [label.id, slip.id, again.id, other.id]
    assert [j.id for j in store.print_jobs.recent(2)] == [other.id, again.id]
    assert [j.id for j in store.print_jobs.for_order(OID)] == [label.id, slip.id, again.id]
    assert store.print_jobs.last(OID, PrintRole.SLIP) == again
    assert store.print_jobs.last("gid://shopify/Order/404", PrintRole.SLIP) is None
