"""Help: every key of the station with its binding id (remap it under `[keys]`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from packdesk.tui.keys import KEYS, bindings
from packdesk.tui.screens.base import StationScreen
from packdesk.tui.widgets.key_footer import KeyFooter


def key_label(keys: str) -> str:
    return ", ".join({"slash": "/", "escape": "Esc"}.get(k, k) for k in keys.split(","))


class HelpScreen(StationScreen):
    BINDINGS = bindings("back")

    def compose(self) -> ComposeResult:
        yield Static(
            "Help — keys (remap by id under \\[keys] in the config)", classes="screen-title"
        )
        yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Static(
            "Scanning: the scan field always has the focus. A scanner ends each code with Enter "
            "or Tab. Scan a packing slip (#1001) to open its order, then every item. Printable "
            "keys (/ and q) act as commands only while the scan field is empty. "
            "ctrl+p opens the command palette.",
            id="help-scan",
        )
        yield self.status_bar()
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Id", "What", "Where")
        for spec in KEYS:
            table.add_row(
                key_label(self.desk.keys.get(spec.id, spec.keys)),
                spec.id,
                spec.description,
                spec.where,
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
