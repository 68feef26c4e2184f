"""The footer of every station screen: Textual's Footer, rebuilt only when its keys change.

Textual's Footer recomposes (unmounts and mounts a widget per key, ~20 ms for the pack
screen's dozen keys) every time the screen's bindings *may* have changed: each focus
change, each screen push or pop. The packer's keys rarely change, so this footer compares
what it would show with what it shows and skips the rebuild when they are the same.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What the footer shows for the screen's current bindings, as a comparable value."""
    return tuple(
        (key, active.binding.description, active.binding.show, active.enabled, active.tooltip)
        for key, active in screen.active_bindings.items()
    )


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Hashable, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = shown_keys(screen)
            if keys == self._shown:
                self._bindings_ready = True
                return
            self._shown = keys  # Footer rebuilds for exactly this case
        super().bindings_changed(screen)
