"""The pack screen's lines: SKU, barcode, title, bin, expected and scanned."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from packdesk.domain.scanning import PackLine
from packdesk.tui.widgets.tables import bound_render_cache

COLUMNS = ("", "SKU", "Barcode", "Title", "Bin", "Expected", "Scanned")
WIDTHS = (1, 14, 16, 40, 6, 8, 7)


def line_cells(line: PackLine) -> tuple[Text | str, ...]:
    done = line.done
    style = "green" if done else ("yellow" if line.scanned else "")
    return (
        Text("✔" if done else "·", style="bold green" if done else "dim"),
        Text(line.sku, style=style),
        line.barcode or Text("(no barcode: F7)", style="dim italic"),
        Text(line.title, style=style),
        Text(line.bin, style="bold"),
        str(line.expected),
        Text(str(line.scanned), style="bold " + (style or "white")),
    )


class PackListTable(DataTable[Text | str]):
    _shown: dict[str, PackLine]

    def on_mount(self) -> None:
        self._shown = {}
        self.cursor_type = "row"
        bound_render_cache(self)
        for label, width in zip(COLUMNS, WIDTHS, strict=True):
            self.add_column(label, key=label or "done", width=width)

    def show_lines(self, lines: Sequence[PackLine]) -> None:
        keys = [str(k.value) for k in self.rows]
        if keys != [ln.line_item_id for ln in lines]:
            self.clear(columns=False)
            for line in lines:
                self.add_row(*line_cells(line), key=line.line_item_id)
            self._shown = {ln.line_item_id: ln for ln in lines}
            return
        for line in lines:
            if self._shown.get(line.line_item_id) == line:
                continue  # a scan changes one line: repaint only that one
            self._shown[line.line_item_id] = line
            for column, cell in zip(COLUMNS, line_cells(line), strict=True):
                self.update_cell(line.line_item_id, column or "done", cell)

    def highlight(self, line_item_id: str) -> None:
        self.move_cursor(row=self.get_row_index(line_item_id))

    @property
    def selected_line_id(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        return str(key.value) if key.value is not None else None
