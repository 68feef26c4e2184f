"""Messages of the packing station (attributes down, messages up).

Screens post the messages of the first group; they bubble to the App, which owns navigation
and the status bar. Workers post the others, from their threads, to the screen or the App
that started them (`post_message` is thread-safe).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from packdesk.domain.events import Event, OrderStateChanged
from packdesk.domain.models import Parcel, StationOrder
from packdesk.domain.queue import HealthReport, OrderDetail, QueueRow
from packdesk.domain.scanning import PackScan, ScanResult, StationNote
from packdesk.domain.states import StationState
from packdesk.services.desk import Reprinted, SyncSummary, Voided
from packdesk.services.pack_finish import PackOutcome
from packdesk.services.packing import PackSession, QuantitySet

# --- up to the App ----------------------------------------------------------------------


@dataclass
class PackOpened(Message):
    """An order is open for packing: show its pack screen (in place of the one showing)."""

    session: PackSession


@dataclass
class ShowDetail(Message):
    """Show an order's detail screen."""

    order_id: str


@dataclass
class QueueChanged(Message):
    """Something the packer did moved orders: reload the queue and the status bar."""


@dataclass
class StatusWanted(Message):
    """A screen wants fresh health figures now."""


@dataclass
class QuitStation(Message):
    """The packer chose to quit (nothing half packed is left behind unasked)."""


# --- from threads to the App ------------------------------------------------------------


@dataclass
class BusEvent(Message):
    """A domain event from the bus (posted from a job's thread)."""

    event: Event


@dataclass
class HealthLoaded(Message):
    """Fresh health figures for the status bar and the Health screen."""

    report: HealthReport


@dataclass
class SyncDone(Message):
    """Sync now (F9) finished; what each resource did."""

    summary: SyncSummary


# --- answers to a screen ----------------------------------------------------------------


@dataclass
class QueueLoaded(Message, bubble=False):
    """Rows for the queue table, loaded for `search`."""

    rows: list[QueueRow]
    search: str


@dataclass
class DetailLoaded(Message, bubble=False):
    """An order's detail, loaded."""

    detail: OrderDetail


@dataclass
class OrderNotOpened(Message, bubble=False):
    """Opening `ref` was refused or failed; `typed` says a person typed words there (the
    queue searches for them instead)."""

    ref: str
    error: Exception
    typed: bool = False


@dataclass
class HoldChecked(Message, bubble=False):
    """Whether F5 on the order releases it (it is on hold) or holds it (asks why)."""

    order_id: str
    on_hold: bool


OrderActionResult = Reprinted | Voided | StationOrder | StationNote


@dataclass
class OrderActionDone(Message, bubble=False):
    """An order action (reprint, void, hold or release, note) is done."""

    order_id: str
    result: OrderActionResult


@dataclass
class OrderActionFailed(Message, bubble=False):
    """An order action was refused or failed; `action` names it for the sentence."""

    order_id: str
    action: str
    error: Exception


# --- answers to the pack screen ---------------------------------------------------------


@dataclass
class ScanChecked(Message, bubble=False):
    """The session's verdict on one scanned item code (stored first when it is right)."""

    result: ScanResult


@dataclass
class ScanUndone(Message, bubble=False):
    """The last scan was taken back (None: there was none)."""

    scan: PackScan | None


@dataclass
class QuantityChanged(Message, bubble=False):
    """A line's count was typed by hand."""

    change: QuantitySet


@dataclass
class PackageChanged(Message, bubble=False):
    """The box and/or weight the packer entered is stored (None: no package yet)."""

    parcel: Parcel | None


@dataclass
class PackReloaded(Message, bubble=False):
    """The session read its order's state again after an order action."""


@dataclass
class PackStopped(Message, bubble=False):
    """Someone else stopped this pack (`state`: cancelled or held); `event` says who and why."""

    state: StationState
    event: OrderStateChanged


@dataclass
class QuitAsked(Message, bubble=False):
    """Whether the open pack is half done when the packer asked to quit."""

    in_progress: bool


@dataclass
class PackAbandoned(Message, bubble=False):
    """The pack was abandoned (scans cleared); the order went back to `state`."""

    state: StationState


@dataclass
class PackFinished(Message, bubble=False):
    """The label purchase and printing after the last scan are done; `next_name` is the
    order to offer next (None: nothing is ready)."""

    outcome: PackOutcome
    next_name: str | None


@dataclass
class PackWriteFailed(Message, bubble=False):
    """A change on the pack screen was refused or failed; `change` names it."""

    change: str
    error: Exception
