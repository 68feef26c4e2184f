"""The demo shop's catalog and warehouses: educational products, barcodes, weights and stock.

Everything is built from a seeded `random.Random`, so the same seed always gives the same
shop. Objects are plain dicts in the shape of Shopify's GraphQL types (camelCase keys), linked
to each other (variant → product, variant → inventory item → levels), so that resolvers only
read dicts. Keys starting with `_` are the sandbox's own bookkeeping, never served.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

Node = dict[str, Any]

# (code, title, product type, grams, (L, W, H) cm, price, variant titles)
_PRODUCTS: list[tuple[str, str, str, int, tuple[int, int, int], str, tuple[str, ...]]] = [
    ("ABC", "Alphabet Flash Cards", "Flash Cards", 180, (10, 8, 4), "9.99", ("Default Title",)),
    ("NUM", "Number Flash Cards 1-100", "Flash Cards", 190, (10, 8, 4), "9.99", ("Default Title",)),
    (
        "SIG",
        "Sight Words Flash Cards",
        "Flash Cards",
        210,
        (10, 8, 5),
        "11.99",
        ("Level 1", "Level 2"),
    ),
    (
        "MUL",
        "Multiplication Flash Cards",
        "Flash Cards",
        200,
        (10, 8, 4),
        "8.99",
        ("Default Title",),
    ),
    (
        "SPN",
        "Spanish Vocabulary Cards",
        "Flash Cards",
        230,
        (11, 8, 5),
        "12.99",
        ("Default Title",),
    ),
    ("USA", "USA Map Floor Puzzle", "Puzzles", 1250, (30, 22, 6), "24.99", ("Default Title",)),
    ("WLD", "World Map Puzzle 500 pc", "Puzzles", 820, (28, 20, 6), "19.99", ("Default Title",)),
    ("SOL", "Solar System Puzzle", "Puzzles", 640, (26, 18, 5), "17.99", ("Default Title",)),
    ("DIN", "Dinosaur Jigsaw 100 pc", "Puzzles", 450, (22, 16, 5), "14.99", ("Default Title",)),
    (
        "GFP",
        "Giant Floor Puzzle Ocean Life",
        "Puzzles",
        4800,
        (60, 40, 12),
        "49.99",
        ("Default Title",),
    ),
    ("TAN", "Wooden Tangram Set", "Puzzles", 380, (18, 18, 3), "15.99", ("Default Title",)),
    ("VOL", "Volcano Science Kit", "Science Kits", 950, (30, 20, 10), "29.99", ("Default Title",)),
    ("CRY", "Crystal Growing Kit", "Science Kits", 870, (28, 20, 9), "27.99", ("Default Title",)),
    (
        "MAG",
        "Magnetism Discovery Kit",
        "Science Kits",
        760,
        (25, 18, 8),
        "22.99",
        ("Default Title",),
    ),
    (
        "CIR",
        "Snap Circuits Starter",
        "Science Kits",
        1400,
        (35, 25, 8),
        "39.99",
        ("Default Title",),
    ),
    ("MIC", "Beginner Microscope", "Science Kits", 1650, (32, 22, 12), "44.99", ("Default Title",)),
    ("WTH", "Weather Station Kit", "Science Kits", 1100, (30, 25, 10), "34.99", ("Default Title",)),
    ("PLN", "Plant Life Cycle Kit", "Science Kits", 540, (24, 16, 8), "18.99", ("Default Title",)),
    (
        "PHN",
        "Phonics Reading Workbook",
        "Workbooks",
        320,
        (28, 22, 1),
        "7.99",
        ("Grade K", "Grade 1"),
    ),
    (
        "RDC",
        "Reading Comprehension Workbook",
        "Workbooks",
        340,
        (28, 22, 1),
        "8.99",
        ("Grade 2", "Grade 3"),
    ),
    ("HND", "Handwriting Practice Book", "Workbooks", 290, (28, 22, 1), "6.99", ("Default Title",)),
    ("GRM", "Grammar Basics Workbook", "Workbooks", 310, (28, 22, 1), "7.99", ("Default Title",)),
    ("SPL", "Spelling Workbook", "Workbooks", 300, (28, 22, 1), "7.49", ("Default Title",)),
    ("MTH", "Math Facts Workbook", "Workbooks", 330, (28, 22, 1), "7.99", ("Default Title",)),
    (
        "BLK",
        "Base Ten Blocks Set",
        "Math Manipulatives",
        1300,
        (26, 20, 10),
        "26.99",
        ("Default Title",),
    ),
    (
        "CNT",
        "Counting Bears 100 pc",
        "Math Manipulatives",
        700,
        (20, 15, 10),
        "16.99",
        ("Default Title",),
    ),
    ("FRC", "Fraction Tiles", "Math Manipulatives", 520, (24, 12, 4), "13.99", ("Default Title",)),
    (
        "GEO",
        "Geoboard with Bands",
        "Math Manipulatives",
        430,
        (20, 20, 3),
        "11.99",
        ("Default Title",),
    ),
    ("ABA", "Wooden Abacus", "Math Manipulatives", 900, (30, 20, 5), "21.99", ("Default Title",)),
    ("CLK", "Learning Clock", "Math Manipulatives", 350, (22, 22, 3), "12.99", ("Default Title",)),
    (
        "SCL",
        "Balance Scale Kit",
        "Math Manipulatives",
        3200,
        (45, 30, 15),
        "38.99",
        ("Default Title",),
    ),
    ("MNY", "Play Money Set", "Math Manipulatives", 410, (24, 16, 4), "14.49", ("Default Title",)),
    ("GLB", "Illuminated Globe", "Geography", 2100, (32, 32, 38), "46.99", ("Default Title",)),
    ("ATL", "Kids World Atlas", "Books", 880, (31, 24, 2), "19.99", ("Default Title",)),
    ("DCT", "Picture Dictionary", "Books", 760, (28, 22, 3), "16.99", ("Default Title",)),
    ("STK", "Reward Sticker Pack", "Classroom", 60, (15, 10, 1), "3.99", ("Default Title",)),
    ("WBD", "Dry Erase Lap Boards", "Classroom", 1500, (31, 23, 4), "28.99", ("Default Title",)),
    ("TMR", "Sand Timer Set", "Classroom", 260, (15, 10, 8), "9.49", ("Default Title",)),
    ("LAC", "Lacing Beads", "Early Learning", 480, (20, 15, 8), "12.49", ("Default Title",)),
    ("SHP", "Shape Sorter Cube", "Early Learning", 620, (16, 16, 16), "15.49", ("Default Title",)),
]

VENDORS = {
    "Flash Cards": "Cardworks Press",
    "Puzzles": "Puzzle Forge",
    "Science Kits": "LabBox Science",
    "Workbooks": "Maple Leaf Publishing",
    "Books": "Maple Leaf Publishing",
}
"""Who makes each product type (Shopify's product `vendor`); the rest come from Classroom
Direct."""
OTHER_VENDOR = "Classroom Direct"

HEAVY_SKU = "BM-GFP-01"
OUT_OF_STOCK_SKU = "BM-MIC-01"
SOLD_OUT_DAYS = 12
"""The out-of-stock SKU sold at CA until this many days before the sandbox started."""
LOW_STOCK_SKUS = ("BM-CIR-01", "BM-GLB-01", "BM-SOL-01", "BM-CRY-01")
NO_COST_SKU = "BM-SPN-01"
"""The one item whose cost the merchant never entered in Shopify (unitCost null)."""

CUSTOMS: dict[str, tuple[str, str]] = {
    "Flash Cards": ("4901990093", "US"),
    "Books": ("4901990070", "US"),
    "Workbooks": ("4901990070", "US"),
    "Puzzles": ("9503006000", "CN"),
    "Math Manipulatives": ("9503000073", "US"),
    "Early Learning": ("9503000073", "US"),
    "Classroom": ("9503000073", "US"),
    "Geography": ("9503000073", "US"),
}
"""Customs information (HS code, country of origin) by product type, as a merchant enters it
on the product page; the science kits have none, as many products in real shops."""

LOCATIONS: list[tuple[str, int, str, dict[str, str]]] = [
    (
        "CA",
        72_001_001,
        "CA Warehouse",
        {
            "address1": "2100 Livingston St",
            "city": "Oakland",
            "province": "California",
            "provinceCode": "CA",
            "zip": "94606",
            "country": "United States",
            "countryCode": "US",
            "phone": "+15105550100",
        },
    ),
    (
        "PA",
        72_001_002,
        "PA Warehouse",
        {
            "address1": "7 Industrial Dr",
            "city": "Allentown",
            "province": "Pennsylvania",
            "provinceCode": "PA",
            "zip": "18109",
            "country": "United States",
            "countryCode": "US",
            "phone": "+16105550100",
        },
    ),
]


def check_digit(digits: str) -> str:
    """GS1 check digit for a 12-digit (EAN-13) or 11-digit (UPC-A) body."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def gid(kind: str, number: int) -> str:
    """Shopify's global id for a numeric resource id."""
    return f"gid://shopify/{kind}/{number}"


def unit_cost(price: str, variant_no: int) -> Node:
    """What a unit costs the merchant: 38 % to 48 % of its price (a MoneyV2)."""
    cents = round(float(price) * 100 * (0.38 + 0.02 * (variant_no % 6)))
    return {"amount": f"{cents // 100}.{cents % 100:02d}", "currencyCode": "USD"}


def money(amount: str, currency: str = "USD") -> Node:
    """A MoneyBag whose shop and presentment money are the same."""
    m = {"amount": amount, "currencyCode": currency}
    return {"shopMoney": m, "presentmentMoney": m}


@dataclass
class Catalog:
    """Products, variants, inventory items and levels of the demo shop, indexed by id and SKU."""

    created_at: str
    locations: dict[str, Node] = field(default_factory=dict)  # key "CA"/"PA" → Location
    locations_by_id: dict[str, Node] = field(default_factory=dict)
    products: list[Node] = field(default_factory=list)
    variants: list[Node] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    by_id: dict[str, Node] = field(default_factory=dict)  # any gid → node
    by_sku: dict[str, Node] = field(default_factory=dict)  # sku → variant

    def level(self, item: Node, location_id: str) -> Node | None:
        """The inventory level of an item at a location gid, if it is stocked there."""
        levels: dict[str, Node] = item["_levels"]
        return levels.get(location_id)


def build_catalog(rng: random.Random, created_at: str) -> Catalog:
    """The demo catalog: ~46 variants of ~40 products, stocked at CA and PA."""
    cat = Catalog(created_at=created_at)
    for key, number, name, address in LOCATIONS:
        loc: Node = {
            "id": gid("Location", number),
            "legacyResourceId": str(number),
            "name": name,
            "isActive": True,
            "fulfillsOnlineOrders": True,
            "address": {"address2": None, **address},
            "_key": key,
        }
        cat.locations[key] = loc
        cat.locations_by_id[loc["id"]] = loc
        cat.by_id[loc["id"]] = loc
    variant_no = 0
    for p_index, (code, title, ptype, grams, dims, price, vtitles) in enumerate(_PRODUCTS):
        pnum = 8_100_000_001 + p_index
        product: Node = {
            "id": gid("Product", pnum),
            "legacyResourceId": str(pnum),
            "title": title,
            "handle": title.lower().replace(" ", "-"),
            "vendor": VENDORS.get(ptype, OTHER_VENDOR),
            "productType": ptype,
            "status": "ACTIVE",
            "createdAt": created_at,
            "updatedAt": created_at,
            "variants": [],
        }
        cat.products.append(product)
        cat.by_id[product["id"]] = product
        for v_index, vtitle in enumerate(vtitles):
            variant_no += 1
            vnum = 4_400_000_001 + variant_no
            inum = 4_600_000_001 + variant_no
            sku = f"BM-{code}-{v_index + 1:02d}"
            if variant_no % 2:
                body = f"0{rng.randrange(10**9, 10**10)}"
                barcode = body + check_digit(body)  # UPC-A, 12 digits
            else:
                body = f"{rng.randrange(400, 440)}{rng.randrange(10**8, 10**9)}"
                barcode = body + check_digit(body)  # EAN-13
            vgrams = grams + 20 * v_index
            item: Node = {
                "id": gid("InventoryItem", inum),
                "legacyResourceId": str(inum),
                "sku": sku,
                "tracked": True,
                "harmonizedSystemCode": CUSTOMS.get(ptype, (None, None))[0],
                "countryCodeOfOrigin": CUSTOMS.get(ptype, (None, None))[1],
                "createdAt": created_at,
                "updatedAt": created_at,
                "measurement": {
                    "id": gid("InventoryItemMeasurement", inum),
                    "weight": {"unit": "GRAMS", "value": float(vgrams)},
                },
                "unitCost": None if sku == NO_COST_SKU else unit_cost(price, variant_no),
                "_levels": {},
            }
            variant: Node = {
                "id": gid("ProductVariant", vnum),
                "legacyResourceId": str(vnum),
                "title": vtitle,
                "displayName": title if vtitle == "Default Title" else f"{title} - {vtitle}",
                "sku": sku,
                "barcode": barcode,
                "price": price,
                "product": product,
                "inventoryItem": item,
                "createdAt": created_at,
                "updatedAt": created_at,
                "inventoryQuantity": 0,
                "_priceSet": money(price),
                "_grams": vgrams,
                "_metafields": {
                    ("packdesk", "dimensions_cm"): {
                        "id": gid("Metafield", 2_000_000_000 + vnum % 1_000_000 * 2),
                        "namespace": "packdesk",
                        "key": "dimensions_cm",
                        "value": f"{dims[0]} x {dims[1]} x {dims[2]}",
                        "type": "single_line_text_field",
                    },
                    ("packdesk", "bin"): {
                        "id": gid("Metafield", 2_000_000_001 + vnum % 1_000_000 * 2),
                        "namespace": "packdesk",
                        "key": "bin",
                        "value": f"{'ABCDEF'[p_index % 6]}-{p_index // 6 + 1:02d}"
                        + ("" if v_index == 0 else f"-{v_index + 1}"),
                        "type": "single_line_text_field",
                    },
                },
            }
            item["variant"] = variant
            product["variants"].append(variant)
            for key, loc in cat.locations.items():
                if sku == OUT_OF_STOCK_SKU and key == "CA":
                    on_hand = 0
                elif sku in LOW_STOCK_SKUS and key == "CA":
                    on_hand = rng.randint(1, 3)
                else:
                    on_hand = rng.randint(25, 140) if key == "CA" else rng.randint(5, 60)
                item["_levels"][loc["id"]] = {
                    # Shopify names a level by its location and item
                    "id": f"gid://shopify/InventoryLevel/{loc['legacyResourceId']}"
                    f"?inventory_item_id={inum}",
                    "location": loc,
                    "item": item,
                    "createdAt": created_at,
                    "updatedAt": created_at,
                    "_q": {
                        "available": on_hand,
                        "on_hand": on_hand,
                        "committed": 0,
                        "incoming": 0,
                        "reserved": 0,
                        "damaged": 0,
                        "safety_stock": 0,
                        "quality_control": 0,
                    },
                }
            variant["inventoryQuantity"] = sum(
                lv["_q"]["available"] for lv in item["_levels"].values()
            )
            cat.variants.append(variant)
            cat.items.append(item)
            cat.by_id[variant["id"]] = variant
            cat.by_id[item["id"]] = item
            cat.by_sku[sku] = variant
    return cat
