"""The scan field: where the USB scanner (a keyboard wedge) and the packer type codes.

Scanners type fast and end with Enter or Tab. A plain `Input` would let Tab move the focus
and would swallow printable keys before any binding sees them, so this field:
- finishes an entry on Enter *and* Tab (and keeps the focus);
- times the keys (`ScanDetector`) to tell a scanner from a person;
- while empty, lets a printable key that is bound on the screen (`/` search, `q` quit, as
  remapped by the keymap) run its binding instead of typing it.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from packdesk.domain.scanning import ScanDetector


class ScanField(Input):
    DEFAULT_CSS = """
    ScanField { border: tall $accent; }
    ScanField:focus { border: tall $success; }
    """

    class Scanned(Message):
        """A finished entry: the code and whether a scanner typed it."""

        def __init__(self, field: ScanField, code: str, from_scanner: bool) -> None:
            super().__init__()
            self.field = field
            self.code = code
            self.from_scanner = from_scanner

        @property
        def control(self) -> ScanField:
            return self.field

    class EmptyEnter(Message):
        """Enter on an empty field (the queue opens the selected order)."""

    def __init__(
        self,
        *,
        placeholder: str = "Scan or type a code, then Enter",
        prefix: str = "",
        max_interkey_ms: int = 50,
        id: str | None = None,
    ) -> None:
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)
        self.detector = ScanDetector(max_interkey_ms=max_interkey_ms, prefix=prefix)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("enter", "tab"):
            event.stop()
            event.prevent_default()
            self._finish()
            return
        if event.is_printable and not self.value and await self._run_bound_key(event):
            return
        if event.key == "backspace":
            self.detector.backspace()
        elif event.is_printable and event.character is not None:
            self.detector.key(event.character, event.time)
        await super()._on_key(event)

    def _watch_value(self, value: str) -> None:
        # Input sets its virtual width from the text on every key, and that reactive asks for
        # a layout pass of the whole screen (~5 ms at 60 frames a second while a scanner
        # types 13 digits). The field is wider than any code, so set the size quietly:
        # only the field repaints.
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # While empty, printable keys bound on the screen stay bindings (see `_on_key`).
        if not self.value:
            return False
        return super().check_consume_key(key, character)

    async def _run_bound_key(self, event: events.Key) -> bool:
        active = self.screen.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return False
        event.stop()
        event.prevent_default()
        await self.app.run_action(active.binding.action, active.node)
        return True

    def _finish(self) -> None:
        text = self.value
        detected = self.detector.finish(text)
        self.value = ""
        if detected.text:
            self.post_message(self.Scanned(self, detected.text, detected.from_scanner))
        else:
            self.post_message(self.EmptyEnter())
