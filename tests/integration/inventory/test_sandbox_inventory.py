"""Inventory on the sandbox, as the owner drives it from the command line: an FBA report as
Seller Central writes it, the stock view across CA, PA and FBA, reorder suggestions with
their inputs, and a purchase order from creation to received, Shopify's available and
incoming changing exactly once however often the outbox has to deliver."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from packdesk.bootstrap import Container
from packdesk.domain.models import OutboxState
from packdesk.sandbox.shopify.catalog import LOW_STOCK_SKUS, OUT_OF_STOCK_SKU
from packdesk.settings import load_settings

from .inventory_rig import MovableClock, Station


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def real_shaped_report(station: Station, path: Path) -> dict[str, dict[str, str]]:
    """The sandbox's report rewritten as people pass it on: columns in another order, an
    extra column, `--` cells, Windows-1252; returns its rows by SKU."""
    text = station.report_file().decode("cp1252")
    header, *rows = [line.split("\t") for line in text.splitlines() if line]
    order = list(reversed(range(len(header))))
    cells = [["seller-note", *(header[i] for i in order)]]
    for n, row in enumerate(rows):
        moved = [row[i] for i in order]
        if n % 3 == 0:
            moved[order.index(header.index("afn-researching-quantity"))] = "--"
        cells.append(["Café™ shelf" if n % 2 else "", *moved])
    path.write_bytes("\r\n".join("\t".join(c) for c in cells).encode("cp1252") + b"\r\n")
    return {row[header.index("sku")]: dict(zip(header, row, strict=True)) for row in rows}


def test_an_fba_report_and_shopify_stock_show_together_per_sku(synced: Station) -> None:
    report = synced.folder / "Inventory report 12345.txt"
    written = real_shaped_report(synced, report)
    out = synced.ok("fba", "import", str(report), "--date", "2026-11-30T06:00")
    assert "match a Shopify variant" in out
    assert "2 match none: BM-BNDL-CARDS, BM-BNDL-STEM" in out
    assert "Columns not read: seller-note, store" in out
    rows = {row["sku"]: row for row in lines(synced.ok("stock", "--json", "--limit", "1000"))}
    assert len(rows) == 43
    for sku, row in rows.items():
        for code in ("CA", "PA"):
            assert row["locations"][code]["available"] == synced.level(sku, code)["available"]
            assert row["locations"][code]["incoming"] == synced.level(sku, code)["incoming"]
        if sku in written:
            fba = row["locations"]["FBA"]
            assert fba["fulfillable"] == int(written[sku]["afn-fulfillable-quantity"])
            assert fba["inbound_working"] == int(written[sku]["afn-inbound-working-quantity"])
            assert fba["as_of"] == "2026-11-30T06:00:00+00:00"
        else:
            assert "FBA" not in row["locations"]
    assert rows[OUT_OF_STOCK_SKU]["locations"]["CA"]["status"] == "OUT"


def test_reorder_lists_the_low_demo_skus_with_every_input(synced: Station) -> None:
    suggestions = lines(synced.ok("reorder", "--json"))
    at_ca = {s["sku"]: s for s in suggestions if s["location"] == "CA"}
    low = [sku for sku in (*LOW_STOCK_SKUS, OUT_OF_STOCK_SKU) if sku in at_ca]
    assert low, suggestions
    for sku in low:
        s = at_ca[sku]
        assert s["quantity"] > 0
        assert s["quantity"] % s["inputs"]["case_pack"] == 0
        assert s["inputs"]["available"] <= s["reorder_point"]
        assert s["supplier"]
        assert {"velocity", "sigma_daily", "lead_time_days", "safety_stock", "open_purchase_orders",
                "out_of_stock_days", "days_counted"} <= set(s["inputs"])  # fmt: skip
        assert any(text.startswith("reorder point:") for text in s["explanation"])
    stocked_out = at_ca[OUT_OF_STOCK_SKU]["inputs"]
    assert stocked_out["out_of_stock_days"] >= 12  # the days since it sold out are left out
    assert stocked_out["days_counted"] == 30 - stocked_out["out_of_stock_days"]


def deliver(c: Container, clock: MovableClock, station: Station, fault: bool) -> None:
    """Run the outbox; with `fault`, every answer of Shopify's is lost first (the changes
    happen upstream), and the outbox has to deliver again."""
    if fault:
        station.control("PUT", "/faults", {"shopify": {"commit_then_drop_rate": 1.0}})
        report = c.outbox.run_once()
        assert report.failed > 0
        station.control("DELETE", "/faults")
    for _ in range(10):
        clock.advance(seconds=30)
        c.outbox.run_once()
        if all(i.state is not OutboxState.PENDING for i in c.outbox.items()):
            break
    assert [i.last_error for i in c.outbox.items() if i.state is not OutboxState.DELIVERED] == []


def test_a_po_from_creation_to_received_changes_shopify_exactly_once(
    synced: Station, tmp_path: Path
) -> None:
    before = {sku: synced.level(sku, "PA") for sku in ("BM-TMR-01", "BM-SHP-01")}
    out = synced.ok("po", "create", "--supplier", "Classroom Direct", "--location", "PA",
                    "--line", "BM-TMR-01=12", "--line", "BM-SHP-01=24@6.50")  # fmt: skip
    number = out.split()[0]
    synced.ok("po", "order", number)
    clock = MovableClock()
    with Container(load_settings(synced.config), clock=clock) as c:
        deliver(c, clock, synced, fault=True)
        for sku, q in before.items():
            ordered = 12 if sku == "BM-TMR-01" else 24
            assert synced.level(sku, "PA")["incoming"] == q["incoming"] + ordered
        receiving = c.inventory.receiving
        session = receiving.open(number)
        barcodes = {li.sku: li.barcode for li in session.lines}
        for _ in range(12):
            session = receiving.scan(session, barcodes["BM-TMR-01"]).session
        extra = receiving.scan(session, barcodes["BM-TMR-01"])
        assert extra.result.rejected
        assert "Too many" in extra.result.message
        for _ in range(24):
            session = receiving.scan(session, "bm-shp-01").session
        done = receiving.finish(session)
        assert done.po.status.value == "RECEIVED"
        deliver(c, clock, synced, fault=True)
    for sku, q in before.items():
        after = synced.level(sku, "PA")
        got = 12 if sku == "BM-TMR-01" else 24
        assert after["available"] == q["available"] + got
        assert after["incoming"] == q["incoming"]
    synced.ok("po", "close", number)
    assert " CLOSED " in synced.ok("po", "list")
