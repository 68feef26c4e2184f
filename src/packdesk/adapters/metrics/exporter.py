"""packdesk's Prometheus metrics (prometheus-client), served on `[metrics] listen`.

Names follow Prometheus conventions: the `packdesk_` prefix, base units (`_seconds`),
counters ending in `_total`. Labels are low-cardinality words (a state, a printer's name, a
location code, a result); never an order number, an e-mail address or a SKU. docs/monitoring.md
lists every metric; the alert rules and the Grafana dashboard in assets/monitoring use them.

Counters and histograms count what happens in this process (scans, label purchases,
scan-to-label); gauges are read from the database at each scrape, so every process on one
database reports the same queue, print jobs, outbox and sync.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from packdesk.domain.events import Event, ItemScanned, OrderStateChanged
from packdesk.domain.monitoring import StationGauges
from packdesk.domain.states import StationState

log = logging.getLogger(__name__)

LABEL_SECONDS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 60.0)
SCAN_TO_LABEL_SECONDS = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 60.0, 120.0, 300.0)
WAITING_PACKS = 10_000
"""Packed orders remembered while their label is bought (the oldest are forgotten)."""

Throttle = Callable[[], tuple[float, float] | None]
"""Shopify's cost bucket as last answered: (points available, maximum), or None yet."""


class StationMetrics:
    """One process's metrics, on a registry of its own."""

    def __init__(
        self,
        gauges: Callable[[], StationGauges],
        *,
        printers: Sequence[str],
        throttle: Throttle,
        info: dict[str, str],
    ) -> None:
        self.registry = CollectorRegistry()
        self.scans = Counter(
            "packdesk_scans",
            "Item codes scanned on the pack screen, accepted or refused.",
            registry=self.registry,
        )
        self.wrong_scans = Counter(
            "packdesk_wrong_scans",
            "Item scans refused: an item not on the order, one too many, an unknown code, one "
            "already shipped or to be shipped from elsewhere.",
            ["reason"],
            registry=self.registry,
        )
        self.label_purchases = Counter(
            "packdesk_label_purchases",
            "Label purchases sent to the carrier, by result.",
            ["result"],
            registry=self.registry,
        )
        self.label_seconds = Histogram(
            "packdesk_label_purchase_duration_seconds",
            "Seconds one label purchase took at the carrier, whatever its result.",
            buckets=LABEL_SECONDS,
            registry=self.registry,
        )
        self.scan_to_label = Histogram(
            "packdesk_scan_to_label_seconds",
            "Seconds from an order's last scan (PACKED) to its bought label (LABELED).",
            buckets=SCAN_TO_LABEL_SECONDS,
            registry=self.registry,
        )
        self.registry.register(_Readings(gauges, list(printers), throttle, info))
        self._packed: OrderedDict[str, datetime] = OrderedDict()
        self._lock = threading.Lock()
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    # -- what happens ------------------------------------------------------------------------

    def label_purchase(self, result: str, seconds: float) -> None:
        """A purchase ended (MeteredCarrier calls this)."""
        self.label_purchases.labels(result=result).inc()
        self.label_seconds.observe(seconds)

    def observe(self, event: Event) -> None:
        """The bus subscriber: scans, and the moves from PACKED to LABELED."""
        if isinstance(event, ItemScanned):
            self.scans.inc()
            if event.outcome != "tick":
                self.wrong_scans.labels(reason=event.outcome).inc()
        elif isinstance(event, OrderStateChanged):
            self._moved(event)

    def _moved(self, event: OrderStateChanged) -> None:
        with self._lock:
            if event.to_state is StationState.PACKED and event.from_state is StationState.PACKING:
                self._packed[event.order_id] = event.at
                while len(self._packed) > WAITING_PACKS:
                    self._packed.popitem(last=False)
            elif event.to_state is StationState.LABELED:
                packed = self._packed.pop(event.order_id, None)
                if packed is not None:
                    self.scan_to_label.observe(max(0.0, (event.at - packed).total_seconds()))

    # -- serving -----------------------------------------------------------------------------

    def serve(self, host: str, port: int) -> str:
        """Serve /metrics on host:port in a thread of its own; returns the URL. `OSError`
        when the address cannot be had."""
        self._server, self._thread = start_http_server(port, addr=host, registry=self.registry)
        bound = self._server.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{bound}/metrics"

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


class _Readings(Collector):
    """The gauges, read from the database at each scrape."""

    def __init__(
        self,
        read: Callable[[], StationGauges],
        printers: list[str],
        throttle: Throttle,
        info: dict[str, str],
    ) -> None:
        self.read = read
        self.printers = printers
        self.throttle = throttle
        self.info = info

    def describe(self) -> list[Metric]:
        return []  # read only when scraped, never at registration

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "packdesk_info", "packdesk's version and station.", labels=sorted(self.info)
        )
        info.add_metric([self.info[k] for k in sorted(self.info)], 1)
        yield info
        bucket = self.throttle()
        if bucket is not None:
            yield GaugeMetricFamily(
                "packdesk_shopify_throttle_available_points",
                "Points left in Shopify's query cost bucket at its last answer.",
                value=bucket[0],
            )
            yield GaugeMetricFamily(
                "packdesk_shopify_throttle_maximum_points",
                "The size of Shopify's query cost bucket.",
                value=bucket[1],
            )
        try:
            gauges = self.read()
        except Exception:  # a locked or missing database must not fail the whole scrape
            log.warning("metrics: the station's gauges could not be read", exc_info=True)
            return
        yield from station_families(gauges, self.printers)


def station_families(g: StationGauges, printers: Sequence[str]) -> Iterator[Metric]:
    """The gauges of one reading as metric families."""
    queue = GaugeMetricFamily(
        "packdesk_queue_orders", "Orders in the station's queue by state.", labels=["state"]
    )
    for state, count in sorted(g.queue.items()):
        queue.add_metric([state], count)
    yield queue
    queued = GaugeMetricFamily(
        "packdesk_print_jobs_queued", "Print jobs waiting for their printer.", labels=["printer"]
    )
    failed = GaugeMetricFamily(
        "packdesk_print_jobs_failed",
        "Print jobs the printer can never print (wrong format); reprint to retry.",
        labels=["printer"],
    )
    up = GaugeMetricFamily(
        "packdesk_printer_up",
        "1 unless the printer's last attempt failed and jobs wait behind it.",
        labels=["printer"],
    )
    for name in sorted(set(printers) | set(g.printers)):
        reading = g.printers.get(name)
        queued.add_metric([name], reading.queued if reading else 0)
        failed.add_metric([name], reading.failed if reading else 0)
        up.add_metric([name], 1 if reading is None or reading.up else 0)
    yield from (queued, failed, up)
    outbox = GaugeMetricFamily(
        "packdesk_outbox_items",
        "Upstream effects waiting (pending) or stopped for a person (dead).",
        labels=["state"],
    )
    outbox.add_metric(["pending"], g.outbox_pending)
    outbox.add_metric(["dead"], g.outbox_dead)
    yield outbox
    yield GaugeMetricFamily(
        "packdesk_outbox_oldest_pending_age_seconds",
        "Age of the oldest pending outbox item; 0 when none waits.",
        value=g.oldest_pending_s,
    )
    last = GaugeMetricFamily(
        "packdesk_sync_last_success_timestamp_seconds",
        "When each resource last synced completely (Unix time).",
        labels=["resource"],
    )
    lag = GaugeMetricFamily(
        "packdesk_sync_lag_seconds",
        "Seconds since each resource last synced completely.",
        labels=["resource"],
    )
    now = g.read_at
    for resource, sync in sorted(g.sync.items()):
        if sync.last_success is not None:
            last.add_metric([resource], sync.last_success.timestamp())
            lag.add_metric([resource], max(0.0, (now - sync.last_success).total_seconds()))
    yield from (last, lag)
    yield GaugeMetricFamily(
        "packdesk_skus_below_reorder_point",
        "SKUs whose available stock covers fewer days of sales than [metrics].reorder_lead_days.",
        value=g.below_reorder_point,
    )
    out = GaugeMetricFamily(
        "packdesk_a_class_skus_out_of_stock",
        "A-class SKUs (top 80 % of units sold) with nothing available, by location.",
        labels=["location"],
    )
    for location, count in sorted(g.a_class_out.items()):
        out.add_metric([location], count)
    yield out
