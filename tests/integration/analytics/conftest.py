"""Analytics tests run their SQL on a real SQLite file written through the repositories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from packdesk.adapters.store import SqliteStore
from packdesk.adapters.store.analytics import SqlAnalytics
from packdesk.domain.clock import FixedClock
from packdesk.services.analytics import AnalyticsService

from .shop_data import T0, Shop


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore.open(tmp_path / "packdesk.db")
    yield opened
    opened.close()


@pytest.fixture
def shop(store: SqliteStore) -> Shop:
    return Shop(store)


@pytest.fixture
def analytics(store: SqliteStore) -> SqlAnalytics:
    return SqlAnalytics(store.database)


@pytest.fixture
def service(analytics: SqlAnalytics) -> AnalyticsService:
    """The service on the shop's calendar in UTC, 'today' being Tuesday 31 March 2026."""
    return AnalyticsService(analytics, FixedClock(T0.replace(month=3, day=31)), ZoneInfo("UTC"))
