"""Scanning at the pack station: what a code is, whether it fits the order, and who typed it.

Everything here is pure: the pack session (services/packing.py) feeds it the order's lines and
what the local catalog knows about a code, and gets back a `ScanResult` to store and show.
DESIGN.md, "Scanner": a scan is an item barcode (variant barcode, else SKU), an order name or
slip barcode (`#1001`, which opens that order), or a configured command code. Every rejected
scan is loud, so each result carries a sentence for the packer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from packdesk.domain.states import StationState


class ScanKind(StrEnum):
    """What a scanned code names."""

    ITEM = "item"
    ORDER = "order"
    COMMAND = "command"


class ScanOutcome(StrEnum):
    """What a scanned item code means for the order being packed."""

    TICK = "tick"
    """The right item: one more of a line that still needs it."""
    WRONG_ITEM = "wrong_item"
    """A real catalog item, but not on this order."""
    OVER_SCAN = "over_scan"
    """An item of this order whose line is already complete."""
    UNKNOWN_CODE = "unknown_code"
    """Neither a barcode nor a SKU packdesk knows."""
    NOT_PACKING = "not_packing"
    """The order is not open for scanning: held, cancelled, in error, or packed already."""
    UNACKNOWLEDGED = "unacknowledged"
    """An earlier refusal still waits for the packer's Esc; nothing more is taken until then."""
    ALREADY_SHIPPED = "already_shipped"
    """An item of this order that left in an earlier parcel; none of it is left to pack."""
    NOT_HERE = "not_here"
    """An item of this order that another location ships."""

    @property
    def rejected(self) -> bool:
        return self is not ScanOutcome.TICK


class PackLine(BaseModel):
    """One line of the order as the pack screen shows it."""

    model_config = ConfigDict(frozen=True)

    line_item_id: str
    sku: str = ""
    barcode: str = ""
    title: str
    bin: str = ""
    expected: int
    scanned: int = 0

    @property
    def remaining(self) -> int:
        return max(self.expected - self.scanned, 0)

    @property
    def done(self) -> bool:
        return self.scanned >= self.expected

    def matches(self, code: str) -> bool:
        """A code names this line by its variant barcode, else its SKU (case-insensitive)."""
        wanted = code.strip().casefold()
        if not wanted:
            return False
        return wanted in {v.casefold() for v in (self.barcode, self.sku) if v}


class ScanResult(BaseModel):
    """The verdict on one scanned item code, with the sentence to show."""

    model_config = ConfigDict(frozen=True)

    code: str
    outcome: ScanOutcome
    line_item_id: str = ""
    message: str
    complete: bool = False
    """This scan ticked the order's last missing item."""

    @property
    def rejected(self) -> bool:
        return self.outcome.rejected


ORDER_NAME = re.compile(r"^#\d{1,12}$")


@dataclass(frozen=True)
class ScanCode:
    """A classified code: its kind, the cleaned value, and a command's action name."""

    kind: ScanKind
    value: str
    command: str = ""


def classify(code: str, commands: Mapping[str, str] | None = None) -> ScanCode:
    """Name what a scanned code is.

    `commands` maps command codes (as the scanner reads them, case-insensitive) to action
    names, e.g. `{"CMD-UNDO": "undo"}`. Order names and slip barcodes are `#` and digits;
    anything else is an item code to look up by barcode, then SKU.
    """
    value = code.strip()
    for known, action in (commands or {}).items():
        if value.casefold() == known.strip().casefold():
            return ScanCode(ScanKind.COMMAND, value, action)
    if ORDER_NAME.match(value):
        return ScanCode(ScanKind.ORDER, value)
    return ScanCode(ScanKind.ITEM, value)


def verify_scan(
    lines: Sequence[PackLine],
    code: str,
    *,
    catalog_title: str | None = None,
    shipped: Mapping[str, str] | None = None,
) -> ScanResult:
    """Check one item code against the order's lines.

    `catalog_title` is what the local catalog calls the item with that barcode or SKU, or
    None when no variant has it; it turns a miss into "wrong item" rather than "unknown code".
    `shipped` says, per line item id, what of a line left in earlier parcels ("1 shipped on
    28 Nov in parcel 9400…"), so that one too many says where the others went.
    Lines are tried in order; the first line with the code that still needs items is ticked,
    so an order with the same item on two lines fills them one after the other.
    """
    value = code.strip()
    matching = [line for line in lines if line.matches(value)]
    if not matching:
        if catalog_title is not None:
            return ScanResult(
                code=value,
                outcome=ScanOutcome.WRONG_ITEM,
                message=f"Wrong item: {value} is {catalog_title}, which is not on this order. "
                "Put it back and press Esc.",
            )
        return ScanResult(
            code=value,
            outcome=ScanOutcome.UNKNOWN_CODE,
            message=f"Unknown code {value}: no item has this barcode or SKU. "
            "Check the item, or sync the catalog (F9), then press Esc.",
        )
    open_line = next((line for line in matching if not line.done), None)
    if open_line is None:
        line = matching[0]
        earlier = (shipped or {}).get(line.line_item_id, "")
        has = (
            f"{line.expected} × {line.title} left to pack ({earlier})"
            if earlier
            else (f"{line.expected} × {line.title}")
        )
        return ScanResult(
            code=value,
            outcome=ScanOutcome.OVER_SCAN,
            line_item_id=line.line_item_id,
            message=f"Too many: the order has {has} and all are scanned. "
            "Take the extra one out and press Esc.",
        )
    missing_after = sum(line.remaining for line in lines) - 1
    return ScanResult(
        code=value,
        outcome=ScanOutcome.TICK,
        line_item_id=open_line.line_item_id,
        message=f"{open_line.title}: {open_line.scanned + 1} of {open_line.expected}",
        complete=missing_after == 0,
    )


def refuse_scan(
    code: str, order_name: str, state: StationState | None, *, buying: bool
) -> ScanResult | None:
    """The refusal of an item scan while the order is not being packed, or None when it is.

    `buying` says the label purchase after the last scan is running, so the packer waits."""
    code = code.strip()
    if buying:
        return ScanResult(
            code=code,
            outcome=ScanOutcome.NOT_PACKING,
            message=f"Wait: the label for {order_name} is being bought.",
        )
    if state in (StationState.CANCELLED, StationState.ON_HOLD, StationState.ERROR):
        return ScanResult(
            code=code,
            outcome=ScanOutcome.NOT_PACKING,
            message=f"Order {order_name} is {state.value}: it must not be packed now. "
            "Put its items back and press Esc twice for the queue.",
        )
    if state is not StationState.PACKING:
        return ScanResult(
            code=code,
            outcome=ScanOutcome.NOT_PACKING,
            message=f"Order {order_name} is already packed. Scan the next slip, "
            "or press ctrl+n for the next order.",
        )
    return None


def unacknowledged(code: str) -> ScanResult:
    """The answer to a scan that comes while a refusal waits for the packer's Esc."""
    return ScanResult(
        code=code.strip(),
        outcome=ScanOutcome.UNACKNOWLEDGED,
        message="The last refusal is still shown: press Esc to acknowledge it, then scan again.",
    )


def already_shipped(code: str, title: str, parcels: str) -> ScanResult:
    """The verdict on an item of the order that left earlier: `parcels` says when and in
    which parcel ("on 28 Nov in parcel 9400…")."""
    return ScanResult(
        code=code.strip(),
        outcome=ScanOutcome.ALREADY_SHIPPED,
        message=f"Already shipped {parcels}; nothing left of {title} to pack. "
        "Put it back and press Esc.",
    )


def not_here(code: str, title: str, where: str) -> ScanResult:
    """The verdict on an item of the order that another location ships (`where`)."""
    return ScanResult(
        code=code.strip(),
        outcome=ScanOutcome.NOT_HERE,
        message=f"Not packed here: {title} of this order ships from {where}. "
        "Put it back and press Esc.",
    )


def apply_scan(lines: Sequence[PackLine], line_item_id: str, quantity: int) -> list[PackLine]:
    """The lines after `quantity` more (or fewer) of one line were scanned."""
    return [
        line.model_copy(update={"scanned": max(line.scanned + quantity, 0)})
        if line.line_item_id == line_item_id
        else line
        for line in lines
    ]


def all_scanned(lines: Sequence[PackLine]) -> bool:
    """Every line has all its items (an order with no shippable line is never complete)."""
    return bool(lines) and all(line.done for line in lines)


@dataclass
class DetectedInput:
    """A finished entry from the keyboard wedge: its text and whether a scanner typed it."""

    text: str
    from_scanner: bool


@dataclass
class ScanDetector:
    """Tell a barcode scanner from a person by how fast the keys come.

    Scanners type every ~10 ms, people every ~150 ms. Feed each printable key with its time
    in seconds; a terminator (Enter or Tab) finishes the entry. The entry is a scan when it
    starts with the configured prefix (the prefix is removed), or when every gap between its
    keys is at most `max_interkey_ms`. A lone key is never a scan.
    """

    max_interkey_ms: int = 50
    prefix: str = ""
    _chars: list[str] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self._chars)

    def key(self, character: str, at: float) -> None:
        self._chars.append(character)
        self._times.append(at)

    def backspace(self) -> None:
        if self._chars:
            self._chars.pop()
            self._times.pop()

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()

    def finish(self, text: str | None = None) -> DetectedInput:
        """End the entry. `text` overrides the collected characters (an edited field)."""
        raw = self.text if text is None else text
        fast = len(self._times) >= 2 and all(
            (b - a) * 1000 <= self.max_interkey_ms
            for a, b in zip(self._times, self._times[1:], strict=False)
        )
        edited = text is not None and text != self.text
        self.reset()
        if self.prefix and raw.startswith(self.prefix):
            return DetectedInput(raw[len(self.prefix) :].strip(), True)
        return DetectedInput(raw.strip(), fast and not edited)


class PackScan(BaseModel):
    """One stored scan (or manual quantity change) of a pack in progress."""

    model_config = ConfigDict(frozen=True)

    id: int
    order_id: str
    line_item_id: str
    code: str
    quantity: int
    at: datetime


class StationNote(BaseModel):
    """A note a packer added to an order at the station (F6)."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    at: datetime
    actor: str
    text: str
