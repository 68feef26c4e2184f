"""The ESC/POS slip: text, the logo raster and a CODE128 that python-escpos emits with the
code-set prefix; decoded with npos (node) when it is installed, else by its bytes. And
python-escpos's chatter never reaches the terminal."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from escpos.printer import File

from packdesk.adapters.printers import EscposSlipRenderer
from packdesk.bootstrap import default_logo_path
from packdesk.domain.slip import PackingSlip

from .printing_peers import ITEMS, sample_order

NODE_DIR = Path(__file__).parent / "node"
BINS = {variant: bin_ for _li, variant, _sku, _t, _q, bin_ in ITEMS}


def npos_decode(path: Path) -> dict[str, object] | None:
    """npos's reading of an ESC/POS file, or None when node or npos is missing."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "npos").is_dir():
        return None
    out = subprocess.run(
        [node, str(NODE_DIR / "decode.js"), str(path)], capture_output=True, text=True, check=True
    )
    decoded: dict[str, object] = json.loads(out.stdout)
    return decoded


def test_escpos_slip_through_a_file_printer(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    slip = PackingSlip.for_order(sample_order(), BINS)
    data = EscposSlipRenderer("Bright Minds Learning", default_logo_path()).render(slip)
    out = tmp_path / "receipt.bin"
    printer = File(devfile=str(out))
    printer._raw(data)
    printer.close()
    raw = out.read_bytes()

    assert raw.startswith(b"\x1b@")  # the printer is reset first
    barcode = b"\x1dkI" + bytes([len("{B#1001")]) + b"{B#1001"
    assert barcode in raw  # CODE128, code set B, the order name
    assert b"\x1dv0" in raw  # the logo as a raster image (GS v 0)
    assert raw.endswith(b"\x1dV\x00")  # feed and cut

    decoded = npos_decode(out)
    if decoded is None:
        # Without npos: drop two-byte ESC/GS commands with their one parameter (bold,
        # alignment, size) so that the printed words read as they do on paper.
        text = re.sub(rb"[\x1b\x1d][!-~][\x00-\x08]", b"", raw).decode("latin-1")
    else:
        text = str(decoded["text"])
        rasters = decoded["rasters"]
        assert isinstance(rasters, list)
        assert len(rasters) == 1
        assert rasters[0]["width"] == 256
        assert rasters[0]["height"] == 256
    for needle in (
        "Bright Minds Learning",
        "Order #1001",
        "Maya Chen",
        "Oakland, CA 94612",
        "Happy birthday, Leo!",
    ):
        assert needle in text
    for _li, _v, sku, title, qty, bin_ in ITEMS:
        row = next(line for line in text.splitlines() if sku in line)
        assert row.split()[0] == str(qty)
        assert row.split()[-1] == bin_
        assert title in text

    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_logo_is_scaled_to_a_narrow_profile(tmp_path: Path) -> None:
    slip = PackingSlip.for_order(sample_order(), BINS)
    raw = EscposSlipRenderer(
        "Bright Minds Learning", default_logo_path(), profile="TM-T88V", width_px=192
    ).render(slip)
    at = raw.index(b"\x1dv0")
    width_bytes = raw[at + 4] + 256 * raw[at + 5]
    height = raw[at + 6] + 256 * raw[at + 7]
    assert width_bytes * 8 <= 192
    assert height <= 192
