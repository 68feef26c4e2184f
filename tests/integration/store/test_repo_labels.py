"""The labels repository: purchase rows written before the carrier is called, claimed by
one process at a time, and the files of bought labels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import LabelPurchase, PurchaseState
from packdesk.domain.ports import DuplicatePurchase
from packdesk.domain.shipping import LabelFile, StoredLabel

from .store_data import T0, make_order, make_purchase

ORDER = make_order()
ZPL = StoredLabel(format="ZPLII", content_type="application/zpl", data=b"^XA^FD1^XZ")


def bought(attempt: int = 1, package_no: int = 1) -> tuple[LabelPurchase, LabelPurchase]:
    purchase = make_purchase(ORDER, attempt=attempt, package_no=package_no)
    return purchase, purchase.model_copy(
        update={"state": PurchaseState.BOUGHT, "tracking_number": f"9400{package_no}{attempt}"}
    )


def test_a_purchase_key_is_written_once(store: SqliteStore) -> None:
    purchase = make_purchase(ORDER)
    store.labels.add(purchase)
    with pytest.raises(DuplicatePurchase, match="exists already"):
        store.labels.add(purchase)
    same_attempt = purchase.model_copy(update={"key": "order:1001:pkg:1:try:1:again"})
    with pytest.raises(DuplicatePurchase):
        store.labels.add(same_attempt)  # one row per package and attempt, whatever its key
    assert store.labels.get(purchase.key) == purchase
    assert store.labels.pending() == [purchase]


def test_a_claim_holds_until_released_or_run_out(store: SqliteStore) -> None:
    purchase = make_purchase(ORDER)
    store.labels.add(purchase)
    until = T0 + timedelta(minutes=2)
    assert store.labels.claim(purchase.key, "proc-a", now=T0, until=until)
    assert store.labels.claim(purchase.key, "proc-a", now=T0, until=until)  # its own again
    assert not store.labels.claim(purchase.key, "proc-b", now=T0, until=until)
    assert store.labels.claim(purchase.key, "proc-b", now=until, until=until + timedelta(minutes=2))
    store.labels.release(purchase.key, "proc-a")  # not the holder any more: nothing changes
    assert not store.labels.claim(purchase.key, "proc-a", now=until, until=until)
    store.labels.release(purchase.key, "proc-b")
    assert store.labels.claim(purchase.key, "proc-a", now=until, until=until)


def test_a_bought_label_is_stored_with_its_file_and_the_newest_is_reprinted(
    store: SqliteStore,
) -> None:
    first, first_bought = bought(attempt=1)
    store.labels.add(first)
    store.labels.record_bought(first_bought, ZPL)
    store.labels.mark_voided(first.key, refund_id="ref-1", reason="wrong box", at=T0)
    second, second_bought = bought(attempt=2)
    store.labels.add(second)
    newer = StoredLabel(format="ZPLII", content_type="application/zpl", data=b"^XA^FD2^XZ")
    store.labels.record_bought(second_bought, newer)
    other, other_bought = bought(package_no=2)
    store.labels.add(other)
    store.labels.record_bought(other_bought, ZPL)

    assert [(p.package_no, p.attempt, p.state) for p in store.labels.for_order(ORDER.id)] == [
        (1, 1, PurchaseState.VOIDED),
        (1, 2, PurchaseState.BOUGHT),
        (2, 1, PurchaseState.BOUGHT),
    ]
    assert store.labels.file(first.key) == ZPL  # a voided label's file stays for the record
    assert store.labels.newest_files(ORDER.id) == [
        LabelFile(package_no=1, content_type="application/zpl", data=newer.data),
        LabelFile(package_no=2, content_type="application/zpl", data=ZPL.data),
    ]
    assert store.labels.pending() == []


def test_an_update_changes_what_the_carrier_said(store: SqliteStore) -> None:
    purchase = make_purchase(ORDER)
    store.labels.add(purchase)
    failed = purchase.model_copy(
        update={"state": PurchaseState.FAILED, "error": "Address refused", "updated_at": T0}
    )
    store.labels.update(failed)
    assert store.labels.get(purchase.key) == failed
    assert store.labels.get("order:404:pkg:1:try:1") is None
