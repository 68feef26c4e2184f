"""Every key of the packing station, with the id it is remapped by (`[keys]` in the config).

The screens build their `Binding`s from this table, and the Help screen lists it, so a key
and its documentation cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeySpec:
    id: str
    keys: str
    action: str
    description: str
    where: str
    short: str = ""
    """The footer's label; the description when empty."""
    show: bool = True


KEYS: tuple[KeySpec, ...] = (
    KeySpec("help", "f1", "app.help", "Help: every key", "everywhere", short="Help"),
    KeySpec(
        "reprint-label",
        "f2",
        "reprint_label",
        "Reprint label (buys it if pending)",
        "queue, pack, detail",
        short="Label",
    ),
    KeySpec(
        "reprint-slip",
        "f3",
        "reprint_slip",
        "Reprint packing slip",
        "queue, pack, detail",
        short="Slip",
    ),
    KeySpec(
        "void-label", "f4", "void_label", "Void label (refund)", "queue, pack, detail", short="Void"
    ),
    KeySpec("hold", "f5", "hold", "Hold / release order", "queue, pack, detail", short="Hold"),
    KeySpec("note", "f6", "note", "Add a note to the order", "queue, pack, detail", short="Note"),
    KeySpec("quantity", "f7", "quantity", "Set quantity by hand (no barcode)", "pack", short="Qty"),
    KeySpec("package", "f8", "package", "Box and weight", "pack", short="Box/weight"),
    KeySpec("sync-now", "f9", "app.sync_now", "Sync with Shopify now", "everywhere", short="Sync"),
    KeySpec(
        "health",
        "f10",
        "app.health",
        "Health: sync, outbox, printers",
        "everywhere",
        short="Health",
    ),
    KeySpec(
        "analytics",
        "f12",
        "app.analytics",
        "Analytics: sales, shipping, stock, customers",
        "everywhere",
        short="Numbers",
        show=False,  # the footers are full; F1 and the command palette list it
    ),
    KeySpec("detail", "ctrl+o", "detail", "Order detail", "queue, pack", short="Detail"),
    KeySpec(
        "search",
        "slash",
        "search",
        "Search the queue (name, customer, SKU), or the stock",
        "queue, stock",
        short="Search",
    ),
    KeySpec(
        "stock",
        "f11",
        "app.stock",
        "Stock: every SKU at CA, PA and FBA, alerts, reorder",
        "everywhere",
        short="Stock",
    ),
    KeySpec(
        "receive",
        "ctrl+r",
        "app.receive",
        "Receive a purchase order by scan",
        "everywhere",
        short="Receive",
    ),
    KeySpec(
        "count", "ctrl+t", "app.count", "Cycle count a shelf by scan", "everywhere", short="Count"
    ),
    KeySpec(
        "stock-status",
        "s",
        "status",
        "Show one status (LOW, OUT, ...) or all",
        "stock",
        short="Status",
    ),
    KeySpec(
        "stock-location", "l", "location", "Show one location or all", "stock", short="Location"
    ),
    KeySpec(
        "stock-sort",
        "o",
        "sort",
        "Sort by status, cover, velocity, SKU, ...",
        "stock",
        short="Sort",
    ),
    KeySpec("stock-vendor", "v", "vendor", "Show one vendor's SKUs", "stock", short="Vendor"),
    KeySpec(
        "stock-snooze",
        "z",
        "snooze",
        "Snooze (or unsnooze) the SKU's alerts",
        "stock",
        short="Snooze",
    ),
    KeySpec("page-down", "pagedown", "next_page", "Next page of SKUs", "stock", short="Next"),
    KeySpec("page-up", "pageup", "previous_page", "Previous page of SKUs", "stock", short="Prev"),
    KeySpec(
        "finish",
        "ctrl+f",
        "finish",
        "Finish: book the receipt, send the count",
        "receive, count",
        short="Finish",
    ),
    KeySpec("back", "escape", "back", "Back / acknowledge an error", "everywhere", short="Back"),
    KeySpec("undo", "ctrl+z", "undo", "Undo last scan", "pack, receive, count", short="Undo"),
    KeySpec("next-order", "ctrl+n", "next_order", "Next order", "pack", short="Next"),
    KeySpec(
        "quit",
        "q",
        "app.quit_station",
        "Quit (asks if a pack is in progress)",
        "everywhere",
        short="Quit",
    ),
)

BY_ID = {k.id: k for k in KEYS}


def bindings(*ids: str) -> list[BindingType]:
    """The `Binding`s for these key ids, each with its id so the keymap can change it."""
    return [
        Binding(
            BY_ID[key_id].keys,
            BY_ID[key_id].action,
            BY_ID[key_id].short or BY_ID[key_id].description,
            show=BY_ID[key_id].show,
            id=key_id,
        )
        for key_id in ids
    ]


def keymap_errors(keymap: dict[str, str]) -> list[str]:
    """Sentences for `[keys]` entries that name no key id."""
    return [
        f"[keys].{key_id} is not a key id; the Help screen (F1) lists the ids."
        for key_id in keymap
        if key_id not in BY_ID
    ]
