"""The weekly report: made once from Monday's hour, e-mailed once per week however often the
job runs, and the report e-mail handler's delivery."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from packdesk.adapters.reports import ReportFiles
from packdesk.adapters.store import SqliteStore
from packdesk.adapters.store.analytics import SqlAnalytics
from packdesk.domain.clock import FixedClock
from packdesk.domain.models import OutboxItem, OutboxState
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail
from packdesk.services.analytics import AnalyticsService
from packdesk.services.reports import (
    REPORT_KIND,
    ReportMailer,
    ReportPolicy,
    ReportRefused,
    ReportService,
)

from .shop_data import T0, Shop, variant

LA = ZoneInfo("America/Los_Angeles")


def reports(store: SqliteStore, at: datetime, folder: Path, email_to: str = "") -> ReportService:
    analytics = AnalyticsService(SqlAnalytics(store.database), FixedClock(at), LA)
    policy = ReportPolicy(email_to=email_to, weekly=True, weekly_hour=7, folder=folder)
    return ReportService(analytics, ReportFiles(), store.outbox, FixedClock(at), policy)


def queued(store: SqliteStore) -> list[OutboxItem]:
    return [i for i in store.outbox.items([OutboxState.PENDING]) if i.kind == REPORT_KIND]


def test_last_weeks_report_is_made_once_from_mondays_hour(shop: Shop, tmp_path: Path) -> None:
    shop.catalog(variant(1, "A", "10.00", "4.00"))
    shop.order({"A": 2})  # Monday 2 March 2026, 07:00 in Los Angeles
    folder = tmp_path / "reports"
    # Monday 9 March, 06:30 in Los Angeles: not yet.
    early = reports(shop.store, datetime(2026, 3, 9, 13, 30, tzinfo=UTC), folder, "o@example.com")
    assert early.run_weekly() == []
    assert not folder.exists()
    # 07:30: last week's (2-8 March, ISO week 10) report and one e-mail.
    due = reports(shop.store, datetime(2026, 3, 9, 14, 30, tzinfo=UTC), folder, "o@example.com")
    written = due.run_weekly()
    week = folder / "2026-W10"
    assert week / "report.pdf" in written
    assert (week / "summary.csv").read_text().count("\nsales,orders,Orders,count,1,") == 1
    assert [i.payload["to"] for i in queued(shop.store)] == ["o@example.com"]
    # Later runs that week (another process too) make and send nothing again.
    again = reports(shop.store, datetime(2026, 3, 11, 20, 0, tzinfo=UTC), folder, "o@example.com")
    assert again.run_weekly() == []
    assert len(queued(shop.store)) == 1


def test_email_without_an_address_says_where_to_set_one(shop: Shop, tmp_path: Path) -> None:
    service = reports(shop.store, T0, tmp_path)
    with pytest.raises(ReportRefused, match=r"set \[reports\].email_to"):
        service.email(service.last_week())


class Sender:
    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []

    def send(self, email: OutgoingEmail) -> None:
        self.sent.append(email)


def test_the_report_email_carries_the_pdf(shop: Shop, tmp_path: Path) -> None:
    service = reports(shop.store, T0, tmp_path)
    service.email(service.last_week(), "owner@example.com")
    (item,) = queued(shop.store)
    sender = Sender()
    delivery = ReportMailer(sender, "orders@example.com", "BrightMinds")(item)
    assert delivery.note == "sent to owner@example.com"
    (email,) = sender.sent
    assert email.to == "owner@example.com"
    assert email.from_name == "BrightMinds"
    (attachment,) = email.attachments
    assert attachment.mime_type == "application/pdf"
    assert attachment.data.startswith(b"%PDF")
    assert attachment.data == base64.b64decode(str(item.payload["pdf"]))
    assert "Orders" in email.text


def test_a_report_email_without_its_pdf_stops_for_a_person(shop: Shop, tmp_path: Path) -> None:
    service = reports(shop.store, T0, tmp_path)
    service.email(service.last_week(), "owner@example.com")
    (item,) = queued(shop.store)
    broken = item.model_copy(update={"payload": {**item.payload, "pdf": ""}})
    with pytest.raises(DeliveryFailed) as failed:
        ReportMailer(Sender(), "orders@example.com", "BrightMinds")(broken)
    assert failed.value.permanent
