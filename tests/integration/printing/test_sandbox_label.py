"""The label the sandbox's Shippo serves, through the queue to a loopback ZPL printer:
byte for byte, and its barcode (rendered by zplkit, read by zxing-cpp) is the tracking
number."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from packdesk.adapters.printers import EscposPrinter
from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap import Container
from packdesk.domain.clock import FixedClock
from packdesk.domain.models import PrintJobState
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import PrinterSettings, Settings

from .printing_peers import Listener, add_label, add_order, sample_order, zpl_barcodes

FROM = {
    "name": "CA Warehouse",
    "street1": "2100 Livingston St",
    "city": "Oakland",
    "state": "CA",
    "zip": "94606",
    "country": "US",
}
TO = {
    "name": "Maya Chen",
    "street1": "1420 Harrison St",
    "city": "Oakland",
    "state": "CA",
    "zip": "94612",
    "country": "US",
}
PARCEL = {
    "length": "20",
    "width": "15",
    "height": "10",
    "distance_unit": "cm",
    "weight": "800",
    "mass_unit": "g",
}


def buy_label(sandbox: SandboxInfo, label_file_type: str = "ZPLII") -> tuple[str, bytes]:
    """(tracking number, label bytes) of a label bought from the sandbox's Shippo."""
    with httpx.Client(
        base_url=sandbox.shippo_url,
        headers={"Authorization": f"ShippoToken {sandbox.shippo_token}"},
        timeout=10,
    ) as client:
        shipment = client.post(
            "/shipments", json={"address_from": FROM, "address_to": TO, "parcels": [PARCEL]}
        ).json()
        rate = shipment["rates"][0]
        bought = client.post(
            "/transactions",
            json={
                "rate": rate["object_id"],
                "label_file_type": label_file_type,
                "async": False,
                "metadata": "Order #1001",
            },
        )
        assert bought.status_code == 201, bought.text
        transaction = bought.json()
        label = client.get(transaction["label_url"])
        label.raise_for_status()
        return str(transaction["tracking_number"]), label.content


def test_sandbox_label_reaches_the_zpl_printer_byte_for_byte_and_scans(
    sandbox: SandboxInfo,
    store: SqliteStore,
    clock: FixedClock,
    listener: Listener,
    tmp_path: Path,
) -> None:
    tracking, label = buy_label(sandbox)
    assert label.lstrip().startswith(b"^XA")
    order = add_order(store, sample_order())
    add_label(store, order.id, label, "application/zpl")  # as the purchase stored it

    settings = Settings(
        printers=[
            PrinterSettings(
                name="zebra", kind="zpl", role="label", target=f"tcp://127.0.0.1:{listener.port}"
            ),
            PrinterSettings(name="slips", kind="folder", role="slip", target=str(tmp_path)),
        ]
    )
    printing = Container(settings, store=store, clock=clock).printing
    (job,) = printing.reprint_label(order.id)
    (done,) = printing.run_once()
    assert done.id == job.id
    assert done.state is PrintJobState.DONE

    (received,) = listener.wait_for(1)
    assert received == label
    assert zpl_barcodes(received) == [tracking]


def test_sandbox_png_label_prints_as_a_raster_scaled_to_the_escpos_profile(
    sandbox: SandboxInfo, listener: Listener, capfd: pytest.CaptureFixture[str]
) -> None:
    _tracking, label = buy_label(sandbox, "PNG")
    assert label.startswith(b"\x89PNG")
    printer = EscposPrinter("thermal", f"tcp://127.0.0.1:{listener.port}", {"profile": "TM-T20II"})
    printer.send("1001-label.png", "image/png", label)
    (received,) = listener.wait_for(1)
    at = received.index(b"\x1dv0")  # GS v 0: a raster image
    assert 8 * (received[at + 4] + 256 * received[at + 5]) <= 576  # the profile's paper width
    assert received.endswith(b"\x1dV\x00")  # cut after the label
    assert capfd.readouterr().out == ""
