"""The pack screen: scan every item of one order; the last scan buys and prints the label.

The scan field keeps the focus. A right scan ticks its line; a wrong item, an over-scan or
an unknown code shows a red banner and rings the bell, and further scans are refused until
Esc. Scans are stored on the app's pack thread, in scan order; the label purchase and
printing run in a thread worker; neither runs on the event loop.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from packdesk.domain.scanning import ScanKind
from packdesk.domain.states import StationState
from packdesk.services.packing import PackOutcome, PackRefused, PackSession
from packdesk.tui.keys import bindings
from packdesk.tui.screens.base import StationScreen
from packdesk.tui.screens.modals import PromptModal
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.key_footer import KeyFooter
from packdesk.tui.widgets.pack_list import PackListTable
from packdesk.tui.widgets.scan_field import ScanField

log = logging.getLogger(__name__)

WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)\s*(g|kg)?$", re.IGNORECASE)


class PackScreen(StationScreen):
    BINDINGS = [
        *bindings(
            "undo",
            "quantity",
            "package",
            "reprint-label",
            "reprint-slip",
            "void-label",
            "hold",
            "note",
            "detail",
            "next-order",
            "back",
        ),
        Binding("up", "line('up')", show=False),
        Binding("down", "line('down')", show=False),
    ]

    def __init__(self, session: PackSession) -> None:
        super().__init__()
        self.session = session
        self.working = False
        self._texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="pack-head", classes="screen-title")
        yield ScanAlert(id="alert")
        yield PackListTable(id="pack-lines")
        with Horizontal(id="pack-info"):
            yield Static(id="pack-progress")
            yield Static(id="pack-box")
            yield Static(id="pack-rate")
        yield Static(id="pack-outcome")
        yield ScanField(
            placeholder="Scan each item (barcode or SKU); ctrl+z undoes the last scan",
            prefix=self.desk.scanner.prefix,
            max_interkey_ms=self.desk.scanner.max_interkey_ms,
            id="scan",
        )
        yield self.status_bar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ScanField).focus()
        self.refresh_view()
        if self.session.state is StationState.PACKED:
            self._show_outcome("Packed earlier; the label is pending. Press F2 to buy it now.")

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    def current_order_id(self) -> str | None:
        return self.session.order_id

    async def order_changed(self) -> None:
        await self.station_app.record(self.session.reload_state)
        self.refresh_view()
        state = self.session.state
        if state is StationState.ON_HOLD:
            self.app.pop_screen()

    @property
    def alert(self) -> ScanAlert:
        return self.query_one(ScanAlert)

    @property
    def in_progress(self) -> bool:
        """Items are scanned but the order is not packed yet (quitting asks first)."""
        return self.session.state is StationState.PACKING and self.session.scanned > 0

    def refresh_view(self) -> None:
        s = self.session
        order = s.order
        address = order.shipping_address
        where = f"{address.name}, {address.one_line()}" if address else "no shipping address!"
        state = s.state.value if s.state else "—"
        self._set(
            "#pack-head",
            f"[b]{order.name}[/]  {where}  ·  {order.shipping_title or 'no service'}  ·  [b]{state}[/]"
            + (f"\n[yellow]Note: {order.note}[/]" if order.note else ""),
        )
        self.query_one(PackListTable).show_lines(s.lines)
        done = s.scanned
        self._set(
            "#pack-progress",
            f"[b]{done} of {s.expected}[/] items scanned"
            + ("  [green b]✔ complete[/]" if s.complete else ""),
        )
        parcel = s.package
        box = (
            f"Box [b]{parcel.box}[/] {parcel.length_cm:g}×{parcel.width_cm:g}×{parcel.height_cm:g} cm, "
            f"[b]{parcel.weight_g:g} g[/]"
            if parcel
            else f"No box chosen · items {s.items_weight:g} g"
        )
        self._set("#pack-box", f"{box} · F8")
        rate = (
            f"Rate [b]{s.rate.describe()}[/]" + (f" — {s.rate_reason}" if s.rate_reason else "")
            if s.rate
            else "No rate yet: fetched when the label is bought."
        )
        self._set("#pack-rate", rate)

    def _set(self, selector: str, text: str) -> None:
        """Update a fixed-height line only when its text changed (no layout pass: scans
        must reach the screen fast)."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text, layout=False)

    def _show_outcome(self, text: str, *, error: bool = False) -> None:
        self.query_one("#pack-outcome", Static).set_class(error, "-error")
        self._set("#pack-outcome", text)

    # --- scanning ---------------------------------------------------------------------

    @on(ScanField.Scanned)
    async def _scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        if self.alert.shown:
            self.app.bell()
            return
        code = self.desk.packing.classify(event.code)
        if code.kind is ScanKind.COMMAND:
            await self._command(code.command)
            return
        if code.kind is ScanKind.ORDER:
            await self._other_order(code.value)
            return
        if self.working:
            self.alert.show("Wait: the label for this order is being bought.")
            return
        state = self.session.state
        if state in (StationState.CANCELLED, StationState.ON_HOLD, StationState.ERROR):
            self.alert.show(
                f"Order {self.session.order.name} is {state.value}: it must not be packed now. "
                "Put its items back and press Esc twice for the queue."
            )
            return
        if state is not StationState.PACKING:
            self.alert.show(
                f"Order {self.session.order.name} is already packed. Scan the next slip, "
                "or press ctrl+n for the next order."
            )
            return
        try:
            # Stored on the pack thread; the screen takes the next scan once this one is in.
            result = await self.station_app.record(self.session.scan, code.value)
        except Exception as exc:  # the database refused: say so, keep the screen
            log.exception("scan failed")
            self.alert.show(f"The scan could not be saved ({exc}); scan it again.")
            return
        if result.rejected:
            self.alert.show(result.message)
            return
        self.refresh_view()
        self.query_one(PackListTable).highlight(result.line_item_id)
        if result.complete:
            # The tick reaches the screen first; then the purchase and printing start.
            self.working = True
            self.call_after_refresh(self.start_finish)

    async def _other_order(self, name: str) -> None:
        if name.lstrip("#") == self.session.order.number:
            return
        if self.in_progress:
            self.alert.show(
                f"{self.session.order.name} is half packed: finish it, or press Esc then q to "
                f"abandon it, before opening {name}."
            )
            return
        error = await self.station_app.open_order(name, replace=True)
        if error:
            self.alert.show(error)

    async def _command(self, command: str) -> None:
        action: dict[str, Callable[[], Awaitable[None]]] = {
            "undo": self.action_undo,
            "hold": self.action_hold,
            "next": self.action_next_order,
        }
        run = action.get(command)
        if run is None:
            self.alert.show(f"The command {command!r} is not known on the pack screen.")
        else:
            await run()

    # --- finishing: label and printing in a worker ------------------------------------

    def start_finish(self) -> None:
        self.working = True
        self._show_outcome("[b]All scanned.[/] Buying the label and printing…")
        self._finish()

    @work(thread=True, exclusive=True, exit_on_error=False, group="finish")
    def _finish(self) -> PackOutcome:
        return self.station_app.act(self.session.finish)

    @on(Worker.StateChanged)
    async def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "finish":
            return
        if event.state is WorkerState.SUCCESS:
            self.working = False
            outcome = event.worker.result
            assert isinstance(outcome, PackOutcome)
            await self._outcome_shown(outcome)
        elif event.state is WorkerState.ERROR:
            self.working = False
            log.error("finishing the pack failed: %s", event.worker.error)
            self._show_outcome(
                f"Something failed after the last scan ({event.worker.error}). The order stays "
                "PACKED; press F2 to try the label again.",
                error=True,
            )
            self.app.bell()

    async def _outcome_shown(self, outcome: PackOutcome) -> None:
        self.refresh_view()
        next_name = await self.station_app.next_order_name(exclude=self.session.order_id)
        offer = (
            f"Next: [b]{next_name}[/] — press ctrl+n or scan its slip."
            if next_name
            else "The queue is empty. Esc for the queue."
        )
        if outcome.label_error:
            self._show_outcome(f"[b]Label not bought:[/] {outcome.label_error}", error=True)
            self.app.bell()
            return
        parts = [
            f"[b green]Shipped![/] Tracking [b]{outcome.tracking_number}[/] "
            f"({outcome.carrier} {outcome.service})."
        ]
        if outcome.print_error:
            parts.append(f"[red]Printing: {outcome.print_error}[/]")
        parts.append(offer)
        self._show_outcome("\n".join(parts), error=bool(outcome.print_error))
        self.station_app.queue_changed()

    # --- keys -------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.alert.shown:
            self.alert.clear()
            self.query_one(ScanField).focus()
            return
        self.app.pop_screen()

    async def action_undo(self) -> None:
        if self.alert.shown:
            self.app.bell()
            return
        try:
            scan = await self.station_app.record(self.session.undo)
        except PackRefused as exc:
            self.fail(str(exc))
            return
        if scan is None:
            self.say("Nothing to undo.")
            return
        self.refresh_view()
        self.query_one(PackListTable).highlight(scan.line_item_id)
        self.say(f"Undid the scan of {scan.code}.")

    def action_line(self, where: str) -> None:
        table = self.query_one(PackListTable)
        table.action_cursor_up() if where == "up" else table.action_cursor_down()

    def action_quantity(self) -> None:
        line_id = self.query_one(PackListTable).selected_line_id
        line = next((ln for ln in self.session.lines if ln.line_item_id == line_id), None)
        if line is None:
            return

        async def given(value: str | None) -> None:
            if value is None:
                return
            try:
                quantity = int(value.strip())
                await self.station_app.record(
                    self.session.set_quantity, line.line_item_id, quantity
                )
            except ValueError as exc:
                self.fail(
                    str(exc)
                    if isinstance(exc, PackRefused)
                    else f"{value!r} is not a number; type e.g. 3."
                )
                return
            self.refresh_view()
            if self.session.complete and self.session.state is StationState.PACKED:
                self.start_finish()

        self.app.push_screen(
            PromptModal(f"How many {line.title}? (0 to {line.expected})", value=str(line.scanned)),
            given,
        )

    def action_package(self) -> None:
        async def given(value: str | None) -> None:
            if value is None or not value.strip():
                return
            try:
                for token in value.split(","):
                    token = token.strip()
                    match = WEIGHT.match(token)
                    if match:
                        grams = float(match.group(1)) * (
                            1000 if (match.group(2) or "").lower() == "kg" else 1
                        )
                        await self.station_app.record(self.session.set_weight, grams)
                    elif token:
                        await self.station_app.record(self.session.set_box, token)
            except PackRefused as exc:
                self.fail(str(exc))
            self.refresh_view()

        boxes = ", ".join(b.name for b in self.desk.packing.boxes) or "none configured"
        self.app.push_screen(
            PromptModal(f"Box and/or weight, e.g. “M, 850 g” (boxes: {boxes})"), given
        )

    def action_reprint_label(self) -> None:
        if self.session.state is StationState.PACKED and not self.working:
            self.start_finish()  # the label is pending: F2 buys it
            return
        super().action_reprint_label()

    async def action_next_order(self) -> None:
        if self.in_progress:
            self.alert.show(
                f"{self.session.order.name} is not finished: scan its remaining items first."
            )
            return
        name = await self.station_app.next_order_name(exclude=self.session.order_id)
        if name is None:
            self.say("The queue has no order ready to pack.")
            return
        error = await self.station_app.open_order(name, replace=True)
        if error:
            self.alert.show(error)
