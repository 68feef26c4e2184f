"""Receive: a purchase order checked in at the station by scan.

Scan the PO's barcode (on its PDF) or type its number; then scan each item out of the
carton. A wrong item, one too many or an unknown code is loud (red banner, bell) and is not
counted; scans are refused until Esc acknowledges it, as in packing. Finish (ctrl+f) books
what was scanned: the PO moves to PARTIAL or RECEIVED, and Shopify's available and incoming
change through the outbox. Scans are stored as they come (a restart resumes the receipt)
and handled one at a time, in the order they were made."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from packdesk.domain.inventory.purchasing import PO_NUMBER
from packdesk.services.inventory.desk import InventoryDesk
from packdesk.services.inventory.receiving import ReceiptDone, ReceiveScanned, ReceiveSession
from packdesk.tui.keys import bindings
from packdesk.tui.widgets.alert import ScanAlert
from packdesk.tui.widgets.key_footer import KeyFooter
from packdesk.tui.widgets.scan_field import ScanField

log = logging.getLogger(__name__)


@dataclass
class ReceiptOpened(Message, bubble=False):
    session: ReceiveSession


@dataclass
class ReceiveScanDone(Message, bubble=False):
    scanned: ReceiveScanned


@dataclass
class ReceiptUndone(Message, bubble=False):
    session: ReceiveSession


@dataclass
class ReceiptFinished(Message, bubble=False):
    done: ReceiptDone


@dataclass
class ReceiveRefused(Message, bubble=False):
    """Opening, scanning or finishing failed: the sentence is shown loud."""

    sentence: str


class ReceiveScreen(Screen[None]):
    BINDINGS = bindings("finish", "undo", "back")

    def __init__(self, inventory: InventoryDesk) -> None:
        super().__init__()
        self.inventory = inventory
        self.session: ReceiveSession | None = None
        self.pending: deque[str] = deque()
        self.working = False
        self.last_variant = ""

    def compose(self) -> ComposeResult:
        yield Static(
            "Receive — scan the PO's barcode or type its number",
            classes="screen-title",
            id="receive-title",
        )
        yield ScanField(placeholder="PO barcode or number, then the items", id="receive-scan")
        yield ScanAlert(id="receive-alert")
        yield DataTable(id="receive-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="receive-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#receive-lines", DataTable)
        for label, width in (
            ("SKU", 14),
            ("Item", 36),
            ("Ordered", 8),
            ("Before", 7),
            ("Scanned", 8),
            ("To come", 8),
        ):
            table.add_column(label, width=width)
        self.query_one(ScanField).focus()

    @property
    def alert(self) -> ScanAlert:
        return self.query_one(ScanAlert)

    # --- scans, one at a time -----------------------------------------------------------

    @on(ScanField.Scanned)
    def _scanned(self, event: ScanField.Scanned) -> None:
        if self.alert.shown:
            self.app.bell()
            return
        self.pending.append(event.code)
        self._next()

    def _next(self) -> None:
        if self.working or not self.pending:
            return
        self.working = True
        code = self.pending.popleft()
        if self.session is None or (PO_NUMBER.match(code) and code.upper().startswith("PO")):
            self._open(code)
        else:
            self._scan(self.session, code)

    def _done(self) -> None:
        self.working = False
        self._next()

    @work(thread=True, exit_on_error=False, group="receive")
    def _open(self, ref: str) -> None:
        if self.session is not None and self.session.scanned:
            self.post_message(
                ReceiveRefused(
                    f"{self.session.po.number} has scans not booked: finish it (ctrl+f) before "
                    f"opening {ref}."
                )
            )
            return
        try:
            self.post_message(ReceiptOpened(self.inventory.open_receipt(ref)))
        except Exception as exc:
            self.post_message(ReceiveRefused(str(exc)))

    @work(thread=True, exit_on_error=False, group="receive")
    def _scan(self, session: ReceiveSession, code: str) -> None:
        try:
            self.post_message(ReceiveScanDone(self.inventory.receive_scan(session, code)))
        except Exception as exc:
            log.exception("a receive scan failed")
            self.post_message(ReceiveRefused(f"The scan of {code} was not stored: {exc}"))

    @on(ReceiptOpened)
    def _opened(self, message: ReceiptOpened) -> None:
        self.session = message.session
        po = message.session.po
        self.query_one("#receive-title", Static).update(
            f"Receive {po.number} from {po.supplier.name} into {po.location} — scan each item"
        )
        self._show()
        self._done()

    @on(ReceiveScanDone)
    def _scan_done(self, message: ReceiveScanDone) -> None:
        result = message.scanned.result
        self.session = message.scanned.session
        if result.rejected:
            self.pending.clear()  # scans behind a refusal wait for the receiver
            self.alert.show(result.message)
        else:
            self.last_variant = result.variant_id
            self.query_one("#receive-status", Static).update(
                Text(
                    result.message
                    + ("  — everything is in: finish with ctrl+f" if result.complete else ""),
                    style="bold green",
                )
            )
        self._show()
        self._done()

    @on(ReceiveRefused)
    def _refused(self, message: ReceiveRefused) -> None:
        self.pending.clear()
        self.alert.show(message.sentence)
        self._done()

    def _show(self) -> None:
        table = self.query_one("#receive-lines", DataTable)
        table.clear()
        if self.session is None:
            return
        for li in self.session.lines:
            done = li.remaining == 0
            table.add_row(
                Text(li.sku, style="bold"),
                li.title,
                str(li.ordered),
                str(li.received_before),
                Text(str(li.scanned), style="bold green" if done else "bold"),
                Text(str(li.remaining), style="dim" if done else "bold yellow"),
                key=li.variant_id,
            )

    # --- keys -------------------------------------------------------------------------

    def action_undo(self) -> None:
        if self.session is not None and self.last_variant and not self.working:
            self.working = True
            self._undo(self.session, self.last_variant)

    @work(thread=True, exit_on_error=False, group="receive")
    def _undo(self, session: ReceiveSession, variant_id: str) -> None:
        self.post_message(ReceiptUndone(self.inventory.receive_undo(session, variant_id)))

    @on(ReceiptUndone)
    def _undone(self, message: ReceiptUndone) -> None:
        self.session = message.session
        self.last_variant = ""
        self._show()
        self._done()

    def action_finish(self) -> None:
        if self.session is None or self.working:
            return
        self.working = True
        self._finish(self.session)

    @work(thread=True, exit_on_error=False, group="receive")
    def _finish(self, session: ReceiveSession) -> None:
        try:
            self.post_message(ReceiptFinished(self.inventory.finish_receipt(session)))
        except Exception as exc:
            self.post_message(ReceiveRefused(str(exc)))

    @on(ReceiptFinished)
    def _finished(self, message: ReceiptFinished) -> None:
        self.notify(message.done.sentence(), timeout=8)
        self.session = None
        self.last_variant = ""
        self.query_one("#receive-title", Static).update(
            "Receive — scan the next PO's barcode or type its number"
        )
        self.query_one("#receive-status", Static).update(message.done.sentence())
        self._show()
        self._done()

    def action_back(self) -> None:
        if self.alert.shown:
            self.alert.clear()
            return
        if self.session is not None and self.session.scanned:
            self.notify(
                f"The {self.session.scanned} units scanned for {self.session.po.number} are kept: "
                "open it again to go on, and finish to book them.",
                timeout=8,
            )
        self.app.pop_screen()
