"""Small modal screens: a question with buttons, and a one-line prompt."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class ConfirmModal(ModalScreen[str]):
    """Ask a question; dismisses with the chosen button's id, or "cancel" on Esc."""

    BINDINGS = [Binding("escape", "dismiss('cancel')", "Cancel", show=False)]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        super().__init__(classes="modal")
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(self.question, classes="modal-question")
            with Horizontal(classes="modal-buttons"):
                for n, (choice_id, label) in enumerate(self.choices):
                    yield Button(label, id=choice_id, variant="error" if n == 0 else "default")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")


class PromptModal(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with it, or None on Esc."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", show=False)]

    def __init__(self, title: str, *, placeholder: str = "", value: str = "") -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.placeholder = placeholder
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(self.title_text, classes="modal-question")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt")
            yield Label("Enter to save, Esc to cancel", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
