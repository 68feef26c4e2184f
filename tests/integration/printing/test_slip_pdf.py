"""The packing slip PDF as the packer and the scanner see it: text through pdftotext, the
Code128 rasterised at the thermal printer's 203 dpi and read back by zxing-cpp."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from packdesk.adapters.printers import PdfSlipRenderer
from packdesk.bootstrap import default_logo_path
from packdesk.domain.slip import PackingSlip, SlipLine

from .printing_peers import ITEMS, need, sample_order

BINS = {variant: bin_ for _li, variant, _sku, _t, _q, bin_ in ITEMS}


def pdf_text(pdf: Path) -> str:
    tool = need("pdftotext")
    return subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_barcodes(pdf: Path) -> list[str]:
    tool = need("pdftoppm")
    subprocess.run(
        [tool, "-r", "203", "-mono", "-png", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    found: list[str] = []
    for page in sorted(pdf.parent.glob(f"{pdf.stem}-*.png")):
        found += [b.text for b in zxingcpp.read_barcodes(Image.open(page))]
    return found


@pytest.mark.parametrize("page", ["letter", "4x6"])
def test_slip_holds_order_items_note_and_a_scannable_barcode(tmp_path: Path, page: str) -> None:
    slip = PackingSlip.for_order(sample_order(), BINS)
    pdf = tmp_path / f"1001-slip-{page}.pdf"
    pdf.write_bytes(
        PdfSlipRenderer("Bright Minds Learning", default_logo_path(), page=page).render(slip)
    )

    text = pdf_text(pdf)
    assert "#1001" in text
    assert "Bright Minds Learning" in text
    assert "Maya Chen" in text
    assert "Oakland, CA 94612" in text
    for _li, _variant, sku, title, qty, bin_ in ITEMS:
        row = next(line for line in text.splitlines() if sku in line)
        assert row.split()[0] == str(qty), row  # quantity leads the item's row
        assert title in row
        assert bin_ in row
    assert "Happy birthday, Leo! Love, Grandma" in text
    assert pdf_barcodes(pdf) == ["#1001"]


def test_a_long_order_runs_over_pages_and_keeps_every_line(tmp_path: Path) -> None:
    base = PackingSlip.for_order(sample_order(), BINS)
    lines = tuple(
        SlipLine(
            sku=f"BM-SKU-{n:03d}", title=f"Counting bears set {n}", quantity=n % 5 + 1, bin="Z-9"
        )
        for n in range(70)
    )
    pdf = tmp_path / "1001-slip.pdf"
    pdf.write_bytes(
        PdfSlipRenderer("Bright Minds Learning", page="4x6").render(
            base.model_copy(update={"lines": lines})
        )
    )
    text = pdf_text(pdf)
    assert text.count("\f") >= 3  # several pages
    for line in lines:
        assert line.sku in text
    assert "(continued)" in text


def test_the_shipped_logo_is_small() -> None:
    logo = default_logo_path()
    assert logo.is_file()
    assert logo.stat().st_size < 50_000
    assert Image.open(logo).size == (256, 256)


def test_unknown_page_size_is_a_sentence() -> None:
    with pytest.raises(ValueError, match="letter or 4x6"):
        PdfSlipRenderer("Shop", page="a4")
