"""The queue's table: it updates in place, keeping the selected order and the scroll."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from packdesk.domain.queue import QueueRow
from packdesk.domain.states import StationState
from packdesk.tui.widgets.status_bar import age_text
from packdesk.tui.widgets.tables import bound_render_cache

COLUMNS = ("Order", "Age", "Items", "Service / ship by", "Destination", "State", "Problems")
WIDTHS = (8, 4, 5, 22, 20, 8, 32)
"""Fixed widths: live updates never make the columns jump."""

STATE_STYLE = {
    StationState.READY: "green",
    StationState.PACKING: "bold cyan",
    StationState.PACKED: "yellow",
    StationState.LABELED: "blue",
    StationState.ON_HOLD: "bold magenta",
    StationState.ERROR: "bold red",
}


def row_cells(row: QueueRow, now: datetime) -> tuple[Text | str, ...]:
    express = row.promise_days <= 2
    service = f"{row.service or '—'} · {row.ship_by():%b %d}"
    return (
        Text(row.name, style="bold"),
        age_text(max((now - row.created_at).total_seconds(), 0)),
        str(row.items),
        Text(service, style="bold yellow" if express else ""),
        row.destination or "—",
        Text(row.state.value, style=STATE_STYLE.get(row.state, "")),
        Text(", ".join(row.problems), style="red") if row.problems else "",
    )


class QueueTable(DataTable[Text | str]):
    _shown: dict[str, tuple[Text | str, ...]]

    def on_mount(self) -> None:
        self._shown = {}
        self.cursor_type = "row"
        self.zebra_stripes = True
        bound_render_cache(self)
        for label, width in zip(COLUMNS, WIDTHS, strict=True):
            self.add_column(label, key=label, width=width)

    @property
    def selected_order_id(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        return str(key.value) if key.value is not None else None

    def show_rows(self, rows: Sequence[QueueRow], now: datetime) -> None:
        """Replace the rows, keeping the selected order (or its position) and the scroll."""
        selected = self.selected_order_id
        old_row = self.cursor_row
        scroll_y = self.scroll_y
        new_keys = [r.order_id for r in rows]
        old_keys = [str(k.value) for k in self.rows]
        if new_keys == old_keys:
            for row in rows:
                cells = row_cells(row, now)
                if self._shown.get(row.order_id) == cells:
                    continue  # unchanged: no repaint
                self._shown[row.order_id] = cells
                for column, cell in zip(COLUMNS, cells, strict=True):
                    self.update_cell(row.order_id, column, cell)
            return
        self._shown = {}
        self.clear(columns=False)
        for row in rows:
            cells = row_cells(row, now)
            self._shown[row.order_id] = cells
            self.add_row(*cells, key=row.order_id)
        if not rows:
            return
        target = new_keys.index(selected) if selected in new_keys else min(old_row, len(rows) - 1)
        self.move_cursor(row=target, animate=False, scroll=False)
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
