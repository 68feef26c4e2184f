"""What every station screen shares: the desk and the ordered writes it is handed, sentences
for the packer, and the order actions (reprint, void, hold, note, detail) on "the current
order" of the screen. Results come back as messages; navigation goes up to the App."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.screen import Screen

from packdesk.domain.models import StationOrder
from packdesk.domain.queue import HealthReport
from packdesk.services.desk import StationDesk
from packdesk.tui import words
from packdesk.tui.messages import (
    HoldChecked,
    OrderActionDone,
    OrderActionFailed,
    OrderActionResult,
    QueueChanged,
    ShowDetail,
)
from packdesk.tui.ordered_writes import OrderedWrites
from packdesk.tui.screens.modals import ConfirmModal, PromptModal
from packdesk.tui.widgets.status_bar import StatusBar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StationContext:
    """What the App hands each station screen it makes (attributes down)."""

    desk: StationDesk
    writes: OrderedWrites
    report: HealthReport | None = None
    """The last health figures, so a new screen's status bar shows them at once."""
    report_at: datetime | None = None


class StationScreen(Screen[None]):
    """A screen of the station app. Subclasses say which order their actions apply to."""

    def __init__(self, context: StationContext) -> None:
        super().__init__()
        self.context = context
        self.desk = context.desk
        self.writes = context.writes

    def status_bar(self) -> StatusBar:
        desk = self.desk
        return StatusBar(
            station=desk.station_name,
            location=desk.location_code,
            demo=desk.demo,
            report=self.context.report,
            now=self.context.report_at,
        )

    def current_order_id(self) -> str | None:
        return None

    def order_changed(self) -> None:
        """An action changed the current order: reload what is shown of it."""

    def say(self, sentence: str) -> None:
        self.notify(sentence, timeout=6)

    def fail(self, sentence: str) -> None:
        """A loud error: red notification and the bell."""
        self.notify(sentence, severity="error", timeout=12)
        self.app.bell()

    def _need_order(self) -> str | None:
        order_id = self.current_order_id()
        if order_id is None:
            self.fail("No order selected: pick one in the queue or scan its slip.")
        return order_id

    # --- reprint and void: slow, in a thread worker -------------------------------------

    @work(thread=True, exit_on_error=False, group="order-action")
    def _order_action(
        self, action: str, run: Callable[[str], OrderActionResult], order_id: str
    ) -> None:
        try:
            result = run(order_id)
        except Exception as exc:
            log.exception("%s failed for %s", action, order_id)
            self.post_message(OrderActionFailed(order_id, action, exc))
        else:
            self.post_message(OrderActionDone(order_id, result))

    def action_reprint_label(self) -> None:
        if (order_id := self._need_order()) is not None:
            self._order_action("Reprint label", self.desk.reprint_label, order_id)

    def action_reprint_slip(self) -> None:
        if (order_id := self._need_order()) is not None:
            self._order_action("Reprint slip", self.desk.reprint_slip, order_id)

    def action_void_label(self) -> None:
        order_id = self._need_order()
        if order_id is None:
            return

        def chosen(choice: str | None) -> None:
            if choice == "void":
                self._order_action("Void label", self.desk.void_label, order_id)

        self.app.push_screen(
            ConfirmModal(
                "Void this order's label? Shippo refunds it and the order goes back to PACKED.",
                [("void", "Void label"), ("cancel", "Keep it")],
            ),
            chosen,
        )

    @on(OrderActionDone)
    def _action_done(self, message: OrderActionDone) -> None:
        self.say(words.order_action_done(message.result))
        self.order_changed()
        self.post_message(QueueChanged())

    @on(OrderActionFailed)
    def _action_failed(self, message: OrderActionFailed) -> None:
        self.fail(words.failed(message.action, message.error))

    # --- hold and note: the packer's changes, in order ----------------------------------

    def action_hold(self) -> None:
        order_id = self._need_order()
        if order_id is not None:
            self.writes.submit(
                self,
                lambda: self.desk.on_hold(order_id),
                lambda on_hold: HoldChecked(order_id, on_hold),
                lambda exc: OrderActionFailed(order_id, "Hold", exc),
            )

    @on(HoldChecked)
    def _hold_checked(self, message: HoldChecked) -> None:
        order_id = message.order_id
        if message.on_hold:
            self._toggle_hold(order_id, "")
            return

        def reason_given(reason: str | None) -> None:
            if reason is not None:
                self._toggle_hold(order_id, reason)

        self.app.push_screen(
            PromptModal("Why hold this order?", placeholder="e.g. item damaged"), reason_given
        )

    def _toggle_hold(self, order_id: str, reason: str) -> None:
        self.writes.submit(
            self,
            lambda: self.hold_write(order_id, reason),
            lambda result: OrderActionDone(order_id, result),
            lambda exc: OrderActionFailed(order_id, "Hold", exc),
        )

    def hold_write(self, order_id: str, reason: str) -> StationOrder:
        """Hold or release the order (runs in the ordered writer)."""
        return self.desk.toggle_hold(order_id, reason)

    def action_note(self) -> None:
        order_id = self._need_order()
        if order_id is None:
            return

        def note_given(text: str | None) -> None:
            if text is not None:
                self.writes.submit(
                    self,
                    lambda: self.desk.add_note(order_id, text),
                    lambda note: OrderActionDone(order_id, note),
                    lambda exc: OrderActionFailed(order_id, "Note", exc),
                )

        self.app.push_screen(
            PromptModal("Note for this order", placeholder="Type the note"), note_given
        )

    def action_detail(self) -> None:
        if (order_id := self._need_order()) is not None:
            self.post_message(ShowDetail(order_id))
