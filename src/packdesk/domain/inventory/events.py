"""What inventory services publish on the bus for the TUI and the log."""

from __future__ import annotations

from packdesk.domain.events import Event


class StockChanged(Event):
    """Stock packdesk shows changed: an FBA import, a receipt, a count, a PO's move."""

    reason: str


class StockAlertsChanged(Event):
    """Low-stock alerts were raised or cleared; `open` alerts remain."""

    raised: int
    cleared: int
    open: int
