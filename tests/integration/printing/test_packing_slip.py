"""What goes on a packing slip, before any printer format (a pure domain test)."""

from __future__ import annotations

from packdesk.domain.models import LineItem, PrintRole
from packdesk.domain.printing import document_name
from packdesk.domain.slip import PackingSlip

from .printing_peers import sample_order


def test_slip_lists_items_to_ship_with_their_bins() -> None:
    order = sample_order()
    extra = (
        LineItem(id="gift-card", title="Gift card", quantity=1, requires_shipping=False),
        LineItem(id="removed", sku="BM-X", title="Removed by an edit", quantity=0),
        LineItem(id="v", sku="BM-PZL-2", title="Puzzle", variant_title="100 pieces", quantity=1),
    )
    order = order.model_copy(update={"line_items": order.line_items + extra})
    slip = PackingSlip.for_order(order, {"gid://shopify/ProductVariant/11": "A-03"})
    assert slip.order_name == "#1001"
    assert slip.number == "1001"
    assert [(line.sku, line.quantity, line.bin) for line in slip.lines] == [
        ("BM-ABC-01", 2, "A-03"),
        ("BM-GEO-07", 1, ""),
        ("BM-STEM-42", 3, ""),
        ("BM-PZL-2", 1, ""),
    ]
    assert slip.lines[-1].title == "Puzzle — 100 pieces"
    assert slip.note == "Happy birthday, Leo! Love, Grandma"


def test_document_names_follow_the_order() -> None:
    assert document_name("#1001", PrintRole.LABEL, "application/zpl") == "1001-label.zpl"
    assert document_name("#1001", PrintRole.SLIP, "application/pdf") == "1001-slip.pdf"
    assert (
        document_name("#1001", PrintRole.LABEL, "image/png", package_no=2, packages=2)
        == "1001-label-p2.png"
    )
    assert (
        document_name("#1001", PrintRole.LABEL, "image/png", package_no=1, packages=2)
        == "1001-label-p1.png"
    )
    assert document_name("#1001", PrintRole.SLIP, "application/escpos") == "1001-slip.bin"
