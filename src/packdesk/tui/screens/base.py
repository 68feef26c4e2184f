"""What every station screen shares: the desk, sentences for the packer, and the order
actions (reprint, void, hold, note, detail) on "the current order" of the screen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from packdesk.services.desk import StationDesk
from packdesk.tui.screens.modals import ConfirmModal, PromptModal
from packdesk.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from packdesk.tui.app import PackdeskApp

log = logging.getLogger(__name__)


class StationScreen(Screen[None]):
    """A screen of the station app. Subclasses say which order their actions apply to."""

    @property
    def station_app(self) -> PackdeskApp:
        from packdesk.tui.app import PackdeskApp

        assert isinstance(self.app, PackdeskApp)
        return self.app

    @property
    def desk(self) -> StationDesk:
        return self.station_app.desk

    def status_bar(self) -> StatusBar:
        desk = self.desk
        return StatusBar(station=desk.station_name, location=desk.location_code, demo=desk.demo)

    def current_order_id(self) -> str | None:
        return None

    async def order_changed(self) -> None:
        """Called after an action changed the current order (reload what is shown)."""

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

    @work(thread=True, exit_on_error=False, group="order-action")
    def _run_order_action(self, what: str, action: Callable[[str], str], order_id: str) -> None:
        try:
            sentence = self.station_app.act(action, order_id)
        except Exception as exc:
            log.exception("%s failed for %s", what, order_id)
            self.app.call_from_thread(self.fail, str(exc) or f"{what} failed; see the log.")
        else:
            self.app.call_from_thread(self.say, sentence)
            self.call_later(self.order_changed)  # post_message underneath: thread-safe

    def action_reprint_label(self) -> None:
        if (order_id := self._need_order()) is not None:
            self._run_order_action("Reprint label", self.desk.reprint_label, order_id)

    def action_reprint_slip(self) -> None:
        if (order_id := self._need_order()) is not None:
            self._run_order_action("Reprint slip", self.desk.reprint_slip, order_id)

    def action_void_label(self) -> None:
        order_id = self._need_order()
        if order_id is None:
            return

        def chosen(choice: str | None) -> None:
            if choice == "void":
                self._run_order_action("Void label", self.desk.void_label, order_id)

        self.app.push_screen(
            ConfirmModal(
                "Void this order's label? Shippo refunds it and the order goes back to PACKED.",
                [("void", "Void label"), ("cancel", "Keep it")],
            ),
            chosen,
        )

    async def action_hold(self) -> None:
        order_id = self._need_order()
        if order_id is None:
            return
        current = await self.station_app.read(self.desk.station.state_of, order_id)
        if current is not None and current.state.value == "ON_HOLD":
            await self._toggle_hold(order_id, "")
            return

        async def reason_given(reason: str | None) -> None:
            if reason is not None:
                await self._toggle_hold(order_id, reason.strip() or "held by the packer")

        self.app.push_screen(
            PromptModal("Why hold this order?", placeholder="e.g. item damaged"), reason_given
        )

    async def _toggle_hold(self, order_id: str, reason: str) -> None:
        try:
            result = await self.station_app.record(self.desk.toggle_hold, order_id, reason)
        except Exception as exc:
            self.fail(str(exc))
            return
        self.say(f"Order is now {result.state.value}.")
        await self.order_changed()

    def action_note(self) -> None:
        order_id = self._need_order()
        if order_id is None:
            return

        async def note_given(text: str | None) -> None:
            if text is None:
                return
            try:
                await self.station_app.record(self.desk.add_note, order_id, text)
            except ValueError as exc:
                self.fail(str(exc))
            else:
                self.say("Note saved.")
                await self.order_changed()

        self.app.push_screen(
            PromptModal("Note for this order", placeholder="Type the note"), note_given
        )

    def action_detail(self) -> None:
        if (order_id := self._need_order()) is not None:
            from packdesk.tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(order_id))
