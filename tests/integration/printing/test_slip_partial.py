"""The packing slip of a partly shipped order lists what its parcel holds: what remains to
ship from the station, then (once Shopify has the parcel's fulfillment) what that carried.
Read back from the printed PDF with pdftotext."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from packdesk.adapters.printers import FolderPrinter, PdfSlipRenderer
from packdesk.adapters.store import SqliteStore
from packdesk.domain.clock import FixedClock
from packdesk.domain.fulfillments import Fulfillment, FulfillmentLine, TrackingInfo
from packdesk.domain.models import FulfillmentOrder, FulfillmentOrderLine, Order, PrintRole
from packdesk.services.printing import PrintService
from packdesk.services.station import StationService

from .printing_peers import ITEMS, Recorder, add_label, add_order, sample_order
from .test_slip_pdf import pdf_text

CA = "gid://shopify/Location/1"
LEFT = {"gid://shopify/LineItem/1": 0, "gid://shopify/LineItem/2": 1, "gid://shopify/LineItem/3": 2}


def partly_shipped() -> Order:
    """#1001 after its flash cards and one circuit kit left in an earlier parcel."""
    order = sample_order()
    lines = tuple(
        FulfillmentOrderLine(
            id=f"FOL-{n}",
            line_item_id=li.id,
            total_quantity=li.quantity,
            remaining_quantity=LEFT[li.id.rsplit("-", 1)[0]],
        )
        for n, li in enumerate(order.line_items)
    )
    fo = FulfillmentOrder(
        id="FO-1", order_id=order.id, location_id=CA, status="IN_PROGRESS", lines=lines
    )
    return order.model_copy(update={"fulfillment_orders": (fo,)})


def printed_slip(store: SqliteStore, out: Path, clock: FixedClock) -> str:
    """The text of the slip printed now into the folder `out`."""
    bus = Recorder()
    printing = PrintService(
        store,
        {"labels": FolderPrinter("labels", out), "slips": FolderPrinter("slips", out)},
        {PrintRole.LABEL: "labels", PrintRole.SLIP: "slips"},
        slips=PdfSlipRenderer("Bright Minds Learning"),
        station=StationService(store, bus, clock),
        bus=bus,
        clock=clock,
        location_code="CA",
        rng=random.Random(1),
    )
    printing.enqueue_slip("gid://shopify/Order/1001")
    printing.run_once()
    return pdf_text(out / "1001-slip.pdf")


def rows(text: str) -> dict[str, str]:
    """SKU -> the quantity leading its row on the slip."""
    found = {}
    for _li, _variant, sku, _title, _qty, _bin in ITEMS:
        row = next((line for line in text.splitlines() if sku in line), None)
        if row is not None:
            found[sku] = row.split()[0]
    return found


def test_the_slip_lists_what_remains_then_what_the_parcel_carried(
    store: SqliteStore, clock: FixedClock, tmp_path: Path
) -> None:
    order = add_order(store, partly_shipped())
    assert rows(printed_slip(store, tmp_path / "before", clock)) == {
        "BM-GEO-07": "1",
        "BM-STEM-42": "2",
    }

    add_label(store, order.id, b"^XA^XZ", "application/zpl")  # tracking 9400111899223100001234
    shipped = order.model_copy(
        update={
            "fulfillment_orders": (
                order.fulfillment_orders[0].model_copy(
                    update={
                        "status": "CLOSED",
                        "lines": tuple(
                            ln.model_copy(update={"remaining_quantity": 0})
                            for ln in order.fulfillment_orders[0].lines
                        ),
                    }
                ),
            ),
            "fulfillments": (
                Fulfillment(
                    id="gid://shopify/Fulfillment/9",
                    created_at=datetime(2026, 11, 24, 15, tzinfo=UTC),
                    tracking=(TrackingInfo(number="9400111899223100001234"),),
                    lines=(
                        FulfillmentLine(line_item_id="gid://shopify/LineItem/2-1001", quantity=1),
                        FulfillmentLine(line_item_id="gid://shopify/LineItem/3-1001", quantity=2),
                    ),
                ),
            ),
        }
    )
    store.orders.save(shipped)  # Shopify has the parcel now: nothing remains to ship
    assert rows(printed_slip(store, tmp_path / "after", clock)) == {
        "BM-GEO-07": "1",
        "BM-STEM-42": "2",
    }
