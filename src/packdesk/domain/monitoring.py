"""What the station's gauges read at one moment, for the Prometheus exporter.

Counters and histograms (scans, label purchases, scan-to-label) are counted as things
happen; these are read from the database when Prometheus scrapes, so every process on one
database reports the same truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class GaugeQuery:
    """What the gauges are read for."""

    now: datetime
    location_id: str
    """The station's Shopify location (its queue); empty counts every location."""
    window_start: datetime
    """Sales since then give each SKU's velocity and its ABC class."""
    window_days: int
    a_share: float
    lead_days: float
    """Days of sales a SKU's stock must cover: its reorder point is velocity × lead days."""


@dataclass(frozen=True)
class PrinterGauge:
    queued: int = 0
    failed: int = 0
    up: bool = True
    """False while jobs wait behind an error (the printer's last attempt failed)."""


@dataclass(frozen=True)
class SyncGauge:
    last_success: datetime | None
    """When the resource last synced completely; None: never."""


@dataclass(frozen=True)
class StationGauges:
    read_at: datetime
    """When the reading was taken (the sync lags count from it)."""
    queue: dict[str, int] = field(default_factory=dict)
    """Orders in the station's queue by state (NEW counts open orders not queued yet)."""
    printers: dict[str, PrinterGauge] = field(default_factory=dict)
    outbox_pending: int = 0
    outbox_dead: int = 0
    oldest_pending_s: float = 0.0
    """Age of the oldest pending outbox item in seconds; 0 when none waits."""
    sync: dict[str, SyncGauge] = field(default_factory=dict)
    below_reorder_point: int = 0
    """SKUs whose stock available across locations is below their reorder point."""
    a_class_out: dict[str, int] = field(default_factory=dict)
    """A-class SKUs with nothing available, by location code."""
