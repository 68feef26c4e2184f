"""Suppliers and purchase orders from the command line on the sandbox: a PO sent to its
supplier as PDF and CSV, and bad input refused in one sentence with the fix, nothing stored."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.bootstrap import Container
from packdesk.settings import load_settings

from .inventory_rig import Station


def mail(station: Station) -> list[dict[str, Any]]:
    answer = httpx.get(f"{station.info.control_url}/mail")
    answer.raise_for_status()
    found: list[dict[str, Any]] = answer.json()
    return found


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "po.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_sent_po_reaches_the_supplier_with_its_pdf_and_csv(
    synced: Station, tmp_path: Path
) -> None:
    out = synced.ok(
        "po",
        "create",
        "--supplier",
        "Cardworks Press",
        "--location",
        "CA",
        "--line",
        "BM-ABC-01=48",
        "--note",
        "Spring restock",
    )
    number = out.split()[0]
    assert "BM-ABC-01" in out
    assert f"{number} goes to orders@cardworks.example" in synced.ok("po", "send", number)
    assert synced.ok("outbox", "run", "--once").startswith("Settled")
    [message] = [m for m in mail(synced) if m["to"] == ["orders@cardworks.example"]]
    assert message["subject"] == f"Purchase order {number} from BrightMinds Learning"
    files = {a["filename"]: base64.b64decode(a["content"]) for a in message["attachments"]}
    text = pdf_text(files[f"{number}.pdf"], tmp_path)
    for words in (
        f"Purchase order {number}",
        "Cardworks Press",
        "CA Warehouse",
        "2100 Livingston St",
        "BM-ABC-01",
        "Alphabet Flash Cards",
        "48",
        "Spring restock",
        "Expected:",
    ):
        assert words in text
    csv = files[f"{number}.csv"].decode()
    assert csv.splitlines()[1].startswith(f"{number},BM-ABC-01,Alphabet Flash Cards,")
    assert " ORDERED " in synced.ok("po", "list")
    written = synced.ok("po", "pdf", number, "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / f"{number}.pdf").read_bytes().startswith(b"%PDF")
    assert f"{number}.csv" in written


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            [
                "po",
                "create",
                "--supplier",
                "Cardworks Press",
                "--location",
                "CA",
                "--line",
                "NO-SUCH-9=4",
            ],
            "Unknown SKU NO-SUCH-9: no Shopify variant has it; check the SKU, or sync the catalog",
        ),
        (
            [
                "po",
                "create",
                "--supplier",
                "Cardworks Press",
                "--location",
                "CA",
                "--line",
                "BM-ABC-01=-3",
            ],
            "BM-ABC-01: quantity -3 is not a number of units to order; give 1 or more.",
        ),
        (
            [
                "po",
                "create",
                "--supplier",
                "Cardworks Press",
                "--location",
                "FBA",
                "--line",
                "BM-ABC-01=3",
            ],
            "FBA is not a warehouse a PO can ship to; use one of CA, PA",
        ),
        (
            ["po", "create", "--supplier", "Nobody", "--location", "CA", "--line", "BM-ABC-01=3"],
            "No supplier 'Nobody' (known: ",
        ),
        (
            ["suppliers", "item", "Cardworks Press", "BM-ABC-01", "--case-pack", "0"],
            "BM-ABC-01: case pack 0 must be 1 or more.",
        ),
        (
            ["suppliers", "add", "Acme", "--email", "acme.example"],
            "'acme.example' is not an e-mail address",
        ),
    ],
)
def test_bad_purchasing_input_is_one_sentence_and_stores_nothing(
    synced: Station, args: list[str], sentence: str
) -> None:
    result = synced.run(*args)
    assert result.exit_code == 2
    assert sentence in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert synced.ok("po", "list").strip() == "No purchase orders."


def test_sending_to_a_supplier_without_email_says_how_to_add_one(synced: Station) -> None:
    synced.ok("suppliers", "add", "Quiet Toys", "--lead-time", "9")
    synced.ok("suppliers", "item", "Quiet Toys", "BM-TMR-01", "--case-pack", "6", "--cost", "3.10")
    number = synced.ok(
        "po", "create", "--supplier", "quiet toys", "--location", "PA", "--line", "BM-TMR-01=6"
    ).split()[0]
    result = synced.run("po", "send", number)
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Supplier Quiet Toys has no e-mail address, so the PO cannot be sent; set one with "
        "`packdesk suppliers edit 'Quiet Toys' --email ADDRESS`."
    )
    assert " DRAFT " in synced.ok("po", "list")  # not ordered either
    synced.ok("suppliers", "edit", "Quiet Toys", "--email", "hello@quiet.example")
    synced.ok("po", "send", number)
    with Container(load_settings(synced.config)) as c:
        [item] = [i for i in c.outbox.items() if i.kind == "business_email"]
        assert item.payload["to"] == "hello@quiet.example"


def test_a_wrong_report_is_refused_with_its_line_and_nothing_is_stored(
    synced: Station, tmp_path: Path
) -> None:
    orders = tmp_path / "orders.txt"
    orders.write_text("amazon-order-id\tsku\tquantity-purchased\n111-222\tBM-ABC-01\t1\n")
    result = synced.run("fba", "import", str(orders))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"{orders} was not imported (nothing of it is stored), line 1: this is not the Manage "
        "FBA Inventory report (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA): it looks like an orders "
        "report (it has amazon-order-id); download it again from Seller Central (Inventory → "
        "Inventory Reports → Manage FBA Inventory)"
    )
    broken = tmp_path / "broken.txt"
    rows = [line.split("\t") for line in synced.report_file().decode("cp1252").splitlines()]
    rows[5][rows[0].index("afn-fulfillable-quantity")] = "seven"
    broken.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("cp1252"))
    refused = synced.run("fba", "import", str(broken))
    assert refused.exit_code == 2
    assert "line 6: afn-fulfillable-quantity is 'seven', not a number of units" in refused.output
    assert synced.ok("fba", "list").startswith("No FBA stock yet")
