"""The pack screen: scan every item of one order; the last scan buys and prints the label.

The scan field keeps the focus. A right scan ticks its line; a wrong item, an over-scan or
an unknown code shows a red banner and rings the bell, and further scans are refused until
Esc. Every change the packer makes goes through the station's ordered writes, in the order
it was made, and its answer comes back as a message; the label purchase and printing run in
a thread worker. Neither runs on the event loop, and the screen decides nothing about the
order: it asks the session and shows the answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from packdesk.domain.events import OrderStateChanged
from packdesk.domain.models import StationOrder
from packdesk.domain.scanning import ScanKind, ScanOutcome
from packdesk.services.desk import NothingToPack
from packdesk.services.packing import PackRefused, PackSession
from packdesk.tui import words
from packdesk.tui.keys import bindings
from packdesk.tui.messages import (
    OrderNotOpened,
    PackAbandoned,
    PackageChanged,
    PackFinished,
    PackOpened,
    PackReloaded,
    PackStopped,
    PackWriteFailed,
    QuantityChanged,
    QueueChanged,
    QuitAsked,
    QuitStation,
    ScanChecked,
    ScanUndone,
)
from packdesk.tui.screens.base import StationContext, StationScreen
from packdesk.tui.screens.modals import ConfirmModal, PromptModal
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.key_footer import KeyFooter
from packdesk.tui.widgets.pack_list import PackListTable
from packdesk.tui.widgets.scan_field import ScanField

log = logging.getLogger(__name__)
T = TypeVar("T")


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

    def __init__(self, context: StationContext, session: PackSession) -> None:
        super().__init__(context)
        self.session = session
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
        if self.session.label_pending:
            self._show_outcome("Packed earlier; the label is pending. Press F2 to buy it now.")

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()

    def current_order_id(self) -> str | None:
        return self.session.order_id

    @property
    def alert(self) -> ScanAlert:
        return self.query_one(ScanAlert)

    def _write(
        self, change: str, work: Callable[[], T], answer: Callable[[T], Message | None]
    ) -> asyncio.Future[None]:
        """Queue one of the packer's changes behind the ones before it."""
        return self.writes.submit(self, work, answer, lambda exc: PackWriteFailed(change, exc))

    # --- the view ---------------------------------------------------------------------

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
        self._set(
            "#pack-progress",
            f"[b]{s.scanned} of {s.expected}[/] items scanned"
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
            self._command(code.command)
        elif code.kind is ScanKind.ORDER:
            ref = code.value
            self._open(ref, lambda: self.desk.open_instead(self.session, ref))
        else:
            # The answer is handled next, before this screen paints again (see OrderedWrites).
            await self._write("scan", lambda: self.session.scan(code.value), ScanChecked)

    def on_scan_checked(self, message: ScanChecked) -> None:
        result = message.result
        if result.outcome is ScanOutcome.UNACKNOWLEDGED:
            self.app.bell()  # a scan that came while the refusal before it waits for Esc
            return
        if result.rejected:
            self.alert.show(result.message)
            return
        self.refresh_view()
        self.query_one(PackListTable).highlight(result.line_item_id)
        if result.complete:
            # The tick reaches the screen first; then the purchase and printing start.
            self.call_after_refresh(self.start_finish)

    def _command(self, command: str) -> None:
        action: dict[str, Callable[[], Any]] = {
            "undo": self.action_undo,
            "hold": self.action_hold,
            "next": self.action_next_order,
        }
        run = action.get(command)
        if run is None:
            self.alert.show(f"The command {command!r} is not known on the pack screen.")
        else:
            run()

    def _open(self, ref: str, work: Callable[[], PackSession | None]) -> None:
        """Open another order in place of this one (None: it is this one already)."""
        self.writes.submit(
            self,
            work,
            lambda session: PackOpened(session) if session is not None else None,
            lambda exc: OrderNotOpened(ref, exc),
        )

    def on_order_not_opened(self, message: OrderNotOpened) -> None:
        if isinstance(message.error, NothingToPack):
            self.say(str(message.error))
        else:
            self.alert.show(words.open_failed(message.ref, message.error))

    def on_pack_write_failed(self, message: PackWriteFailed) -> None:
        if message.change == "scan":
            self.alert.show(f"The scan could not be saved ({message.error}); scan it again.")
        else:
            self.fail(words.failed(message.change.capitalize(), message.error))

    # --- finishing: label and printing in a worker ------------------------------------

    def start_finish(self) -> None:
        self._show_outcome("[b]All scanned.[/] Buying the label and printing…")
        self._buy_and_print()

    @work(thread=True, exit_on_error=False, group="finish")
    def _buy_and_print(self) -> None:
        outcome = self.session.finish()
        self.post_message(PackFinished(outcome, self.desk.next_to_pack(self.session.order_id)))

    @on(Worker.StateChanged)
    def _finish_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "finish" or event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, PackRefused):  # the purchase was running already
            self.say(str(error))
            return
        log.error("finishing the pack failed: %s", error)
        self._show_outcome(
            f"Something failed after the last scan ({error}). The order stays PACKED; "
            "press F2 to try the label again.",
            error=True,
        )
        self.app.bell()

    def on_pack_finished(self, message: PackFinished) -> None:
        outcome = message.outcome
        self.refresh_view()
        self.post_message(QueueChanged())
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
        parts.append(
            f"Next: [b]{message.next_name}[/] — press ctrl+n or scan its slip."
            if message.next_name
            else "The queue is empty. Esc for the queue."
        )
        self._show_outcome("\n".join(parts), error=bool(outcome.print_error))

    # --- what others did to the order -------------------------------------------------

    def order_moved(self, event: OrderStateChanged) -> None:
        """The App passes every move of an order down: a move of this pack's order made
        elsewhere may stop the pack."""
        if event.order_id != self.session.order_id:
            return
        self._write(
            "reload",
            self.session.stopped_elsewhere,
            lambda state: PackStopped(state, event) if state is not None else None,
        )

    def on_pack_stopped(self, message: PackStopped) -> None:
        self.refresh_view()
        self.alert.show(words.stopped_elsewhere(message.event))

    def order_changed(self) -> None:
        self._write("reload", self.session.reload_state, lambda _: PackReloaded())

    def hold_write(self, order_id: str, reason: str) -> StationOrder:
        result = super().hold_write(order_id, reason)
        self.session.reload_state()
        return result

    def on_pack_reloaded(self, message: PackReloaded) -> None:
        self.refresh_view()
        if self.session.on_hold and self.is_current:
            self.app.pop_screen()

    # --- quitting ---------------------------------------------------------------------

    def ask_quit(self) -> None:
        """The packer wants to quit (the App asks this screen): ask first if half packed."""
        self._write("quit", lambda: self.session.in_progress, QuitAsked)

    def on_quit_asked(self, message: QuitAsked) -> None:
        if not message.in_progress:
            self.post_message(QuitStation())
            return
        session = self.session

        def chosen(choice: str | None) -> None:
            if choice == "abandon":
                self._write("abandon", session.abandon, PackAbandoned)
            elif choice == "keep":
                self.post_message(QuitStation())

        self.app.push_screen(
            ConfirmModal(
                f"{session.order.name} is half packed ({session.scanned} of {session.expected}). "
                "Abandon it (scans cleared, back to the queue) or keep it to resume later?",
                [("abandon", "Abandon and quit"), ("keep", "Keep and quit"), ("cancel", "Cancel")],
            ),
            chosen,
        )

    def on_pack_abandoned(self, message: PackAbandoned) -> None:
        self.post_message(QuitStation())

    # --- keys -------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.alert.shown:
            self.alert.clear()
            self.query_one(ScanField).focus()
            self._write("acknowledge", self.session.acknowledge, lambda _: None)
            return
        self.app.pop_screen()

    def action_undo(self) -> None:
        if self.alert.shown:
            self.app.bell()
            return
        self._write("undo", self.session.undo, ScanUndone)

    def on_scan_undone(self, message: ScanUndone) -> None:
        if message.scan is None:
            self.say("Nothing to undo.")
            return
        self.refresh_view()
        self.query_one(PackListTable).highlight(message.scan.line_item_id)
        self.say(f"Undid the scan of {message.scan.code}.")

    def action_line(self, where: str) -> None:
        table = self.query_one(PackListTable)
        table.action_cursor_up() if where == "up" else table.action_cursor_down()

    def action_quantity(self) -> None:
        line_id = self.query_one(PackListTable).selected_line_id
        line = next((ln for ln in self.session.lines if ln.line_item_id == line_id), None)
        if line is None:
            return

        def given(value: str | None) -> None:
            if value is not None:
                self._write(
                    "quantity",
                    lambda: self.session.enter_quantity(line.line_item_id, value),
                    QuantityChanged,
                )

        self.app.push_screen(
            PromptModal(f"How many {line.title}? (0 to {line.expected})", value=str(line.scanned)),
            given,
        )

    def on_quantity_changed(self, message: QuantityChanged) -> None:
        self.refresh_view()
        if message.change.completed:
            self.start_finish()

    def action_package(self) -> None:
        def given(value: str | None) -> None:
            if value is not None:
                self._write("package", lambda: self.session.enter_package(value), PackageChanged)

        boxes = ", ".join(self.desk.packing.box_names) or "none configured"
        self.app.push_screen(
            PromptModal(f"Box and/or weight, e.g. “M, 850 g” (boxes: {boxes})"), given
        )

    def on_package_changed(self, message: PackageChanged) -> None:
        self.refresh_view()

    def action_reprint_label(self) -> None:
        if self.session.label_pending:
            self.start_finish()  # the label is pending: F2 buys it
            return
        super().action_reprint_label()

    def action_next_order(self) -> None:
        self._open("the next order", lambda: self.desk.open_next(self.session))
