"""The read model: the queue's rows in the packer's words, and the health figures."""

from __future__ import annotations

from datetime import timedelta

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import Address, NewOutboxItem, NewPrintJob, PrintRole
from packdesk.domain.queue import QueueQuery
from packdesk.domain.states import StationState

from .store_data import CA, T0, make_order, move

S = StationState


def test_queue_rows_carry_what_the_packer_must_know(store: SqliteStore) -> None:
    abroad = make_order(1001, created=T0 - timedelta(hours=3)).model_copy(
        update={
            "shipping_address": Address(city="Toronto", province_code="ON", country_code="CA"),
            "note": "Gift",
        }
    )
    store.orders.save(abroad)
    store.orders.save(make_order(1002, created=T0 - timedelta(hours=2)))
    no_address = make_order(1003, created=T0 - timedelta(hours=1))
    store.orders.save(no_address.model_copy(update={"shipping_address": None}))
    move(store, "gid://shopify/Order/1002", S.NEW, S.READY, S.PACKING, S.PACKED)
    rows = {r.name: r for r in store.views.queue(QueueQuery(location_id=CA))}
    assert (rows["#1001"].destination, rows["#1001"].problems) == ("Toronto, ON CA", ("note",))
    assert (rows["#1002"].destination, rows["#1002"].problems) == (
        "Oakland, CA",
        ("label pending",),
    )
    assert rows["#1003"].problems == ("no address",)
    assert rows["#1001"].state is S.NEW  # open upstream, not yet at the station
    assert [r.name for r in store.views.queue(QueueQuery(search="MAYA", limit=2))] == [
        "#1001",
        "#1002",
    ]
    assert store.views.queue(QueueQuery(search="nobody")) == []


def test_health_figures_count_what_waits(store: SqliteStore) -> None:
    assert store.views.outbox_backlog() == (0, 0, "")
    assert store.views.print_job_counts() == {}
    assert store.views.awaiting_label() == 0
    store.orders.save(make_order())
    move(store, "gid://shopify/Order/1001", S.NEW, S.READY, S.PACKING, S.PACKED)
    store.outbox.add(
        [NewOutboxItem(kind="email", dedupe_key=f"email:{n}:o1", order_id="o1") for n in range(3)],
        T0,
    )
    [claimed] = store.outbox.claim(T0, 1, "w1", T0)
    store.outbox.fail(claimed.id, "w1", "SMTP down", T0, dead=True)
    job = NewPrintJob(printer="zebra", role=PrintRole.LABEL, document="1001-label.zpl",
                      content_type="application/zpl", data=b"^XA^XZ")  # fmt: skip
    first = store.print_jobs.add(job, T0)
    store.print_jobs.add(job, T0)
    store.print_jobs.fail(first.id, "Printer zebra is off", None, give_up=True)
    assert store.views.outbox_backlog() == (2, 1, "SMTP down")
    assert store.views.print_job_counts() == {"zebra": (1, 1, "Printer zebra is off")}
    assert store.views.awaiting_label() == 1
