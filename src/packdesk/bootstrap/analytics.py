"""Analytics, reports and metrics of one process, from the container's store and settings.

`AnalyticsParts` is built once (the container's `analytics`): the analytics service over the
store's SQL, the report and export services with their file writers, the report e-mail's
outbox handler, the Prometheus metrics (subscribed to the bus, served when
[metrics].listen is set) and the jobs (stock snapshots, the weekly report).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from packdesk import __version__
from packdesk.adapters.metrics import MeteredCarrier, StationMetrics
from packdesk.adapters.reports import FactFiles, ReportFiles
from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.store import SqliteStore
from packdesk.adapters.store.analytics import SqlAnalytics
from packdesk.domain.analytics.formulas import A_SHARE
from packdesk.domain.clock import Clock
from packdesk.domain.monitoring import GaugeQuery, StationGauges
from packdesk.domain.ports import Carrier, EmailSender
from packdesk.jobs.bus import EventBus
from packdesk.jobs.tasks import Job
from packdesk.services.analytics import AnalyticsService
from packdesk.services.export import ExportService
from packdesk.services.reports import ReportMailer, ReportPolicy, ReportService
from packdesk.settings import Settings

log = logging.getLogger(__name__)

WEEKLY_CHECK_S = 900.0
"""Seconds between looks at whether last week's report is due."""


class Services(Protocol):
    """What analytics is made of (the container has it all, built on first use)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def bus(self) -> EventBus: ...
    @property
    def store(self) -> SqliteStore: ...
    @property
    def data_dir(self) -> Path: ...
    @property
    def email_sender(self) -> EmailSender: ...
    @property
    def shopify_configured(self) -> bool: ...
    @property
    def sync_client(self) -> ShopifyClient: ...


def shop_zone(settings: Settings) -> tzinfo:
    """[analytics].timezone, else this computer's time zone (UTC when it has none)."""
    if settings.analytics.timezone:
        return ZoneInfo(settings.analytics.timezone)
    try:
        with Path("/etc/localtime").open("rb") as local:
            return ZoneInfo.from_file(local, key="localtime")
    except (OSError, ValueError):
        return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


class AnalyticsParts:
    def __init__(self, c: Services) -> None:
        self.c = c
        self.reader = SqlAnalytics(c.store.database)

    @cached_property
    def service(self) -> AnalyticsService:
        c = self.c
        return AnalyticsService(
            self.reader, c.clock, shop_zone(c.settings), shop_name=self._shop_name
        )

    def _shop_name(self) -> str:
        """The report's heading: [brand].shop_name, else the shop's name as last synced."""
        configured = self.c.settings.brand.shop_name.strip()
        kept = self.c.store.catalog.shop()
        return configured or (kept.name if kept and kept.name else "packdesk")

    @cached_property
    def reports(self) -> ReportService:
        r = self.c.settings.reports
        folder = Path(r.folder).expanduser() if r.folder else self.c.data_dir / "reports"
        return ReportService(
            self.service,
            ReportFiles(),
            self.c.store.outbox,
            self.c.clock,
            ReportPolicy(
                email_to=r.email_to, weekly=r.weekly, weekly_hour=r.weekly_hour, folder=folder
            ),
        )

    @cached_property
    def export(self) -> ExportService:
        return ExportService(self.reader.facts, FactFiles())

    @cached_property
    def report_mailer(self) -> ReportMailer:
        """The outbox's handler of `report` e-mails."""
        return ReportMailer(
            self.c.email_sender, self.c.settings.email.from_address, self._shop_name()
        )

    # -- metrics ---------------------------------------------------------------------------

    @cached_property
    def metrics(self) -> StationMetrics:
        """This process's Prometheus metrics, fed by the bus from the moment they exist."""
        s = self.c.settings
        metrics = StationMetrics(
            self.gauges,
            printers=[p.name for p in s.printers],
            throttle=self._throttle,
            info={"version": __version__, "station": s.station.name},
        )
        self.c.bus.subscribe(metrics.observe)
        return metrics

    def metered(self, carrier: Carrier) -> Carrier:
        """The carrier, each label purchase counted and timed in the metrics."""
        return MeteredCarrier(carrier, self.metrics.label_purchase)

    def gauges(self) -> StationGauges:
        c = self.c
        m = c.settings.metrics
        now = c.clock.now()
        location = c.store.catalog.location(c.settings.station.location)
        return self.reader.readings.gauges(
            GaugeQuery(
                now=now,
                location_id=location.id if location else "",
                window_start=now - timedelta(days=m.velocity_days),
                window_days=m.velocity_days,
                a_share=A_SHARE,
                lead_days=m.reorder_lead_days,
            )
        )

    def _throttle(self) -> tuple[float, float] | None:
        if not self.c.shopify_configured:
            return None
        status = self.c.sync_client.bucket.status
        return None if status is None else (status.available, status.maximum)

    def serve_metrics(self) -> str:
        """Serve /metrics on [metrics].listen; returns the URL, or "" when it is off.
        `OSError` with the address when it cannot be had."""
        address = self.c.settings.metrics.address()
        if address is None:
            return ""
        try:
            url = self.metrics.serve(*address)
        except OSError as exc:
            raise OSError(
                f"Cannot serve metrics on {self.c.settings.metrics.listen} ({exc.strerror or exc})"
                ": free that port or change [metrics].listen."
            ) from exc
        log.info("serving Prometheus metrics on %s", url)
        return url

    # -- jobs ------------------------------------------------------------------------------

    @cached_property
    def jobs(self) -> list[Job]:
        """The stock snapshot, and the weekly report when [reports].weekly is on."""
        s = self.c.settings
        every = s.analytics.snapshot_every_min * 60
        jobs = [Job("snapshot_stock", self.service.snapshot_stock, every)]
        if s.reports.weekly:
            jobs.append(Job("weekly_report", self.reports.run_weekly, WEEKLY_CHECK_S))
        return jobs

    def close(self) -> None:
        if "metrics" in self.__dict__:
            self.metrics.close()
