"""Stock: every SKU at CA, PA and FBA with its status, velocity, days of cover and reorder
point; filtered by status, location, vendor or words, sorted, a page at a time; the selected
SKU's numbers per location and the working of its reorder suggestion below.

The view of 100,000 SKUs is made and queried by the inventory desk in a thread worker; the
screen only shows the page it gets back (attributes down, messages up)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from packdesk.domain.inventory.stock import StockStatus
from packdesk.domain.inventory.view import SortKey, StockQuery, StockRow
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.services.inventory.stock import StockPage
from packdesk.tui.keys import bindings
from packdesk.tui.screens.modals import PromptModal
from packdesk.tui.widgets.key_footer import KeyFooter
from packdesk.tui.widgets.stock_table import StockTable

log = logging.getLogger(__name__)

PAGE = 200
STATUS_FILTERS: tuple[frozenset[StockStatus], ...] = (
    frozenset(),
    frozenset({StockStatus.OUT, StockStatus.LOW}),
    frozenset({StockStatus.OUT}),
    frozenset({StockStatus.LOW}),
    frozenset({StockStatus.OVERSTOCK}),
    frozenset({StockStatus.OK}),
)
SORTS: tuple[SortKey, ...] = ("status", "cover", "velocity", "available", "sku", "vendor")


@dataclass
class StockLoaded(Message, bubble=False):
    page: StockPage
    locations: list[str]
    alerts: int


@dataclass
class StockFailed(Message, bubble=False):
    error: Exception


@dataclass
class SnoozeDone(Message, bubble=False):
    sentence: str


def _statuses(value: frozenset[StockStatus]) -> str:
    return "/".join(sorted(s.value for s in value)) if value else "all"


def detail_text(row: StockRow) -> str:
    """The selected SKU: each location's numbers and the working of its plan."""
    lines = [
        f"[b]{escape(row.sku)}[/] {escape(row.title)}"
        + (f" — {escape(row.vendor)}" if row.vendor else "")
    ]
    for line in row.lines:
        if line.shopify is not None:
            q = line.shopify
            head = (
                f"{line.location}: available {q.available}, committed {q.committed}, "
                f"on hand {q.on_hand}, incoming {q.incoming}"
            )
        elif line.fba is not None:
            f = line.fba
            head = (
                f"FBA (report of {f.as_of:%Y-%m-%d %H:%M}): fulfillable {f.fulfillable}, inbound "
                f"{f.inbound} (working {f.inbound_working}, shipped {f.inbound_shipped}, "
                f"receiving {f.inbound_receiving}), reserved {f.reserved}, unsellable "
                f"{f.unsellable}"
            )
        else:
            continue
        lines.append(f"{escape(head)} — {line.status.value}")
        if line.plan is not None and (line.plan.due or line.status is not StockStatus.OK):
            lines += [f"    {escape(text)}" for text in line.plan.explain()]
        elif line.plan is None and line.shopify is not None:
            lines.append("    no sale here in the window: no reorder point")
    if row.snoozed_until:
        lines.append(f"[yellow]alerts snoozed until {row.snoozed_until:%Y-%m-%d}[/]")
    return "\n".join(lines)


class StockScreen(Screen[None]):
    BINDINGS = bindings(
        "stock-status",
        "stock-location",
        "stock-sort",
        "stock-vendor",
        "search",
        "stock-snooze",
        "page-down",
        "page-up",
        "back",
    )

    def __init__(self, inventory: InventoryDesk) -> None:
        super().__init__()
        self.inventory = inventory
        self.query_ = StockQuery(limit=PAGE)
        self.locations: list[str] = []
        self.page_: StockPage | None = None

    def compose(self) -> ComposeResult:
        yield Static("Stock", classes="screen-title", id="stock-title")
        yield Static("loading the stock view…", id="stock-filters")
        yield StockTable(id="stock-table")
        yield Static("", id="stock-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(StockTable).focus()
        self.load()

    # --- loading ----------------------------------------------------------------------

    def load(self) -> None:
        self.query_one("#stock-filters", Static).update(self._filters("loading…"))
        self._load(self.query_)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stock")
    def _load(self, query: StockQuery) -> None:
        try:
            page = self.inventory.page(query)
            locations = self.inventory.locations()
            alerts = self.inventory.open_alerts()
        except Exception as exc:
            log.exception("loading the stock view failed")
            self.post_message(StockFailed(exc))
            return
        self.post_message(StockLoaded(page, locations, alerts))

    @on(StockLoaded)
    def _loaded(self, message: StockLoaded) -> None:
        self.page_ = message.page
        self.locations = message.locations
        self.query_one(StockTable).show(message.page.rows, message.locations)
        counts = message.page.counts
        alerts = f" · [b yellow]{message.alerts} low-stock alert(s)[/]" if message.alerts else ""
        self.query_one("#stock-title", Static).update(
            f"Stock — {message.page.variants:,} SKUs: "
            + ", ".join(f"{counts[s]} {s.value}" for s in StockStatus)
            + alerts
        )
        shown = f"{self.query_.offset + 1}–{self.query_.offset + len(message.page.rows)} of {message.page.total:,}"
        self.query_one("#stock-filters", Static).update(self._filters(shown))
        self._show_detail()

    @on(StockFailed)
    def _failed(self, message: StockFailed) -> None:
        self.notify(
            f"The stock view cannot be shown: {message.error}", severity="error", timeout=12
        )

    def _filters(self, shown: str) -> str:
        q = self.query_
        words = f" · words “{escape(q.search)}”" if q.search else ""
        vendor = f" · vendor “{escape(q.vendor)}”" if q.vendor else ""
        return (
            f"status {_statuses(q.statuses)} · location {q.location or 'all'}{vendor}{words}"
            f" · sorted by {q.sort} · {shown}"
        )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.query_one(StockTable).selected
        self.query_one("#stock-detail", Static).update(detail_text(row) if row else "")

    def _requery(self, **changes: object) -> None:
        self.query_ = replace(self.query_, offset=0, **changes)  # type: ignore[arg-type]
        self.load()

    # --- keys -------------------------------------------------------------------------

    def action_status(self) -> None:
        now = (
            STATUS_FILTERS.index(self.query_.statuses)
            if self.query_.statuses in STATUS_FILTERS
            else 0
        )
        self._requery(statuses=STATUS_FILTERS[(now + 1) % len(STATUS_FILTERS)])

    def action_location(self) -> None:
        choices = ["", *self.locations]
        now = choices.index(self.query_.location) if self.query_.location in choices else 0
        self._requery(location=choices[(now + 1) % len(choices)])

    def action_sort(self) -> None:
        now = SORTS.index(self.query_.sort) if self.query_.sort in SORTS else 0
        self._requery(sort=SORTS[(now + 1) % len(SORTS)])

    def action_vendor(self) -> None:
        def given(text: str | None) -> None:
            if text is not None:
                self._requery(vendor=text.strip())

        self.app.push_screen(
            PromptModal("Show the SKUs of which vendor? (empty: all)", placeholder="e.g. LabBox"),
            given,
        )

    def action_search(self) -> None:
        def given(text: str | None) -> None:
            if text is not None:
                self._requery(search=text.strip())

        self.app.push_screen(
            PromptModal(
                "Find SKUs by SKU, title or barcode (empty: all)", placeholder="e.g. BM-CIR"
            ),
            given,
        )

    def action_next_page(self) -> None:
        if self.page_ and self.query_.offset + PAGE < self.page_.total:
            self.query_ = replace(self.query_, offset=self.query_.offset + PAGE)
            self.load()

    def action_previous_page(self) -> None:
        if self.query_.offset > 0:
            self.query_ = replace(self.query_, offset=max(self.query_.offset - PAGE, 0))
            self.load()

    def action_snooze(self) -> None:
        row = self.query_one(StockTable).selected
        if row is not None:
            self._snooze(row)

    @work(thread=True, exit_on_error=False, group="stock-snooze")
    def _snooze(self, row: StockRow) -> None:
        try:
            if row.snoozed_until:
                self.inventory.unsnooze(row.sku)
                sentence = f"{row.sku} raises low-stock alerts again."
            else:
                done = self.inventory.snooze(row.sku)
                sentence = f"{row.sku} raises no low-stock alert until {done.until:%Y-%m-%d}."
        except Exception as exc:
            sentence = f"Snoozing {row.sku} failed: {exc}"
        self.post_message(SnoozeDone(sentence))

    @on(SnoozeDone)
    def _snoozed(self, message: SnoozeDone) -> None:
        self.notify(message.sentence, timeout=6)
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
