"""The demo merchant's suppliers, as a file `packdesk suppliers import` reads: one row per
SKU with its maker's e-mail and lead time, case pack, minimum order and unit cost. Shopify
keeps no suppliers; the merchant does, and `packdesk demo` loads this file."""

from __future__ import annotations

import csv
import io

from packdesk.sandbox.shopify.catalog import OTHER_VENDOR, VENDORS, Catalog

COLUMNS = (
    "supplier",
    "email",
    "lead_time_days",
    "currency",
    "sku",
    "case_pack",
    "min_order",
    "unit_cost",
    "sku_lead_time_days",
)
SUPPLIERS = {
    "Cardworks Press": ("orders@cardworks.example", 12, 24),
    "Puzzle Forge": ("sales@puzzleforge.example", 21, 6),
    "LabBox Science": ("purchasing@labbox.example", 28, 4),
    "Maple Leaf Publishing": ("trade@mapleleaf.example", 10, 25),
    OTHER_VENDOR: ("po@classroomdirect.example", 16, 12),
}
"""Supplier → (e-mail, lead time in days, case pack)."""
OWN_LEAD_TIMES = {"BM-GLB-01": 35, "BM-CIR-01": 21}
"""SKUs whose lead time is their own (an imported globe; a kit made to order)."""


def suppliers_csv(catalog: Catalog) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for product in catalog.products:
        vendor = VENDORS.get(product["productType"], OTHER_VENDOR)
        email, lead, pack = SUPPLIERS[vendor]
        for variant in product["variants"]:
            cost = f"{float(variant['price']) * 0.42:.2f}"
            own = OWN_LEAD_TIMES.get(variant["sku"])
            writer.writerow(
                (
                    vendor,
                    email,
                    lead,
                    "USD",
                    variant["sku"],
                    pack,
                    pack * 2,
                    cost,
                    "" if own is None else own,
                )
            )
    return out.getvalue()
