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
    show: bool = True


KEYS: tuple[KeySpec, ...] = (
    KeySpec("help", "f1", "app.help", "Help: every key", "everywhere"),
    KeySpec(
        "reprint-label",
        "f2",
        "reprint_label",
        "Reprint label (buys it if pending)",
        "queue, pack, detail",
    ),
    KeySpec("reprint-slip", "f3", "reprint_slip", "Reprint packing slip", "queue, pack, detail"),
    KeySpec("void-label", "f4", "void_label", "Void label (refund)", "queue, pack, detail"),
    KeySpec("hold", "f5", "hold", "Hold / release order", "queue, pack, detail"),
    KeySpec("note", "f6", "note", "Add a note to the order", "queue, pack, detail"),
    KeySpec("quantity", "f7", "quantity", "Set quantity by hand (no barcode)", "pack"),
    KeySpec("package", "f8", "package", "Box and weight", "pack"),
    KeySpec("sync-now", "f9", "app.sync_now", "Sync with Shopify now", "everywhere"),
    KeySpec("health", "f10", "app.health", "Health: sync, outbox, printers", "everywhere"),
    KeySpec("detail", "ctrl+o", "detail", "Order detail", "queue, pack"),
    KeySpec("search", "slash", "search", "Search the queue (name, customer, SKU)", "queue"),
    KeySpec("back", "escape", "back", "Back / acknowledge an error", "everywhere"),
    KeySpec("undo", "ctrl+z", "undo", "Undo last scan", "pack"),
    KeySpec("next-order", "ctrl+n", "next_order", "Next order", "pack"),
    KeySpec("quit", "q", "app.quit_station", "Quit (asks if a pack is in progress)", "queue"),
)

BY_ID = {k.id: k for k in KEYS}

PRINTABLE_KEYS = frozenset({"slash", "q"})
"""Default keys that are also characters: they act only while the scan field is empty."""


def bindings(*ids: str) -> list[BindingType]:
    """The `Binding`s for these key ids, each with its id so the keymap can change it."""
    return [
        Binding(
            BY_ID[key_id].keys,
            BY_ID[key_id].action,
            BY_ID[key_id].description.split(" (")[0].split(":")[0],
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
