"""The loud banner for a refused scan: red, it rings the bell, and it stays until Esc."""

from __future__ import annotations

from textual.widgets import Static


class ScanAlert(Static):
    DEFAULT_CSS = """
    ScanAlert {
        display: none; height: auto; padding: 1 2; margin: 0 1;
        background: $error; color: $text; text-style: bold;
    }
    ScanAlert.-shown { display: block; }
    """

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def show(self, sentence: str) -> None:
        """Show a refusal until it is acknowledged; rings the terminal bell."""
        self.update(f"{sentence}\n[dim](Esc to acknowledge — scans are refused until then)[/]")
        self.add_class("-shown")
        self.app.bell()

    def clear(self) -> None:
        self.remove_class("-shown")
        self.update("")
