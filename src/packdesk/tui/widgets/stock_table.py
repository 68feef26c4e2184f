"""The Stock screen's table: one row per SKU, a column per location (available, and incoming
or FBA's inbound), velocity, days of cover, reorder point and status; the rows of the page
the screen asked for, replaced whole."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from packdesk.domain.inventory.stock import StockStatus
from packdesk.domain.inventory.view import LocationLine, StockRow
from packdesk.tui.widgets.tables import bound_render_cache

STATUS_STYLE = {
    StockStatus.OUT: "bold white on red",
    StockStatus.LOW: "bold black on yellow",
    StockStatus.OVERSTOCK: "cyan",
    StockStatus.OK: "green",
}


def status_text(status: StockStatus) -> Text:
    return Text(f" {status.value} ", style=STATUS_STYLE[status])


def location_cell(line: LocationLine | None) -> Text:
    if line is None:
        return Text("—", style="dim")
    more = (
        line.fba.inbound if line.fba is not None else (line.shopify.incoming if line.shopify else 0)
    )
    text = Text(
        str(line.available),
        style=STATUS_STYLE[line.status]
        if line.status in (StockStatus.OUT, StockStatus.LOW)
        else "",
    )
    if more:
        text.append(f" +{more}", style="dim")
    return text


class StockTable(DataTable[Text | str]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.locations: list[str] = []
        self.rows_shown: list[StockRow] = []

    def on_mount(self) -> None:
        bound_render_cache(self)

    def show(self, rows: Sequence[StockRow], locations: Sequence[str]) -> None:
        """Replace the rows (and the location columns when they changed)."""
        if list(locations) != self.locations:
            self.clear(columns=True)
            self.locations = list(locations)
            self.add_column("SKU", width=14)
            self.add_column("Status", width=11)
            for code in self.locations:
                self.add_column(code, width=9)
            for label, width in (("Vel/day", 7), ("Cover", 6), ("ROP", 6), ("", 2), ("Title", 36)):
                self.add_column(label, width=width)
        else:
            self.clear()
        self.rows_shown = list(rows)
        for row in rows:
            cover = f"{row.days_of_cover:.0f}d" if row.days_of_cover is not None else "—"
            mark = (
                Text("!", style="bold red") if row.alert else Text("z" if row.snoozed_until else "")
            )
            self.add_row(
                Text(row.sku, style="bold"),
                status_text(row.status),
                *(location_cell(row.line(code)) for code in self.locations),
                f"{row.velocity:.2f}",
                cover,
                f"{row.reorder_point:.1f}",
                mark,
                row.title,
                key=row.variant_id,
            )

    @property
    def selected(self) -> StockRow | None:
        if not self.rows_shown or self.cursor_row >= len(self.rows_shown):
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value
        return next((r for r in self.rows_shown if r.variant_id == key), None)
