"""The Analytics screen: each section computed in a worker thread and shown with its change,
charts and tables; a new period reloads, a bad one is a red sentence; F12 opens it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Select

from packdesk.adapters.store import SqliteStore
from packdesk.adapters.store.analytics import SqlAnalytics
from packdesk.domain.analytics.periods import Period
from packdesk.domain.analytics.report import Section
from packdesk.domain.clock import FixedClock
from packdesk.services.analytics import SECTIONS, AnalyticsService
from packdesk.tui.app import PackdeskApp
from packdesk.tui.screens.analytics import AnalyticsScreen
from packdesk.tui.widgets.analytics_section import ChartView, SectionView
from tests.integration.analytics.shop_data import T0, Shop, variant

SIZE = (140, 50)


class Recording(AnalyticsService):
    """The real service, remembering on which thread and for which period each section was
    computed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[str, Period, bool]] = []

    def section(self, key: str, period: Period, grain: Any = None) -> Section:
        on_main = threading.current_thread() is threading.main_thread()
        self.calls.append((key, period, on_main))
        return super().section(key, period, grain)


class Host(App[None]):
    def __init__(self, analytics: AnalyticsService) -> None:
        super().__init__()
        self.analytics = analytics

    def on_mount(self) -> None:
        self.push_screen(AnalyticsScreen(self.analytics))


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Recording]:
    """Four orders in the last 30 days before 31 March 2026, two of them in the last 7."""
    store = SqliteStore.open(tmp_path / "packdesk.db")
    shop = Shop(store)
    shop.catalog(variant(1, "A", "10.00", "4.00"), variant(2, "B", "20.00", None))
    today = T0.replace(day=31)
    for days_ago, customer in ((20, "c1"), (15, "c2"), (3, "c1"), (1, "c3")):
        shop.order({"A": 1, "B": 1}, at=today - timedelta(days=days_ago), customer=customer)
    yield Recording(SqlAnalytics(store.database), FixedClock(today), ZoneInfo("UTC"))
    store.close()


def figure(screen: AnalyticsScreen, section: str, key: str) -> str:
    view = screen.query_one(f"#section-{section}", SectionView)
    table = view.query_one(".analytics-figures", DataTable)
    return str(table.get_row(key)[1])


async def loaded(app: App[None], pilot: Any) -> AnalyticsScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AnalyticsScreen)
    return screen


async def test_every_section_is_computed_off_the_event_loop(service: Recording) -> None:
    app = Host(service)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        assert sorted(key for key, _, _ in service.calls) == sorted(SECTIONS)
        assert not any(on_main for _, _, on_main in service.calls)
        assert figure(screen, "sales", "orders") == "4"
        assert figure(screen, "sales", "net_sales") == "$120.00"
        assert figure(screen, "stock", "cost_coverage") == "50.0 %"
        charts = screen.query_one("#section-sales", SectionView).query(ChartView)
        assert [c.chart.title for c in charts] == ["Net sales by day", "Orders by day"]
        notes = str(screen.query_one("#section-stock .analytics-notes").render())
        assert "4 units sold have no unit cost (B)" in notes


async def test_a_preset_period_reloads_every_section(service: Recording) -> None:
    app = Host(service)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        service.calls.clear()
        screen.query_one("#analytics-preset", Select).value = "7d"
        screen = await loaded(app, pilot)
        assert {p.days for _, p, _ in service.calls} == {7}
        assert figure(screen, "sales", "orders") == "2"


async def test_typed_dates_show_that_period(service: Recording) -> None:
    app = Host(service)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        screen.query_one("#analytics-from", Input).value = "2026-03-10"
        screen.query_one("#analytics-to", Input).value = "2026-03-20"
        screen.query_one("#analytics-to", Input).focus()
        await pilot.press("enter")
        screen = await loaded(app, pilot)
        assert figure(screen, "sales", "orders") == "2"  # 11 and 16 March
        assert "2026-03-10 – 2026-03-20" in str(screen.query_one("#analytics-shown").render())


async def test_a_period_backwards_is_a_red_sentence_and_changes_nothing(
    service: Recording,
) -> None:
    app = Host(service)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        service.calls.clear()
        screen.query_one("#analytics-from", Input).value = "2026-03-20"
        screen.query_one("#analytics-to", Input).value = "2026-03-01"
        screen.query_one("#analytics-to", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("give --from a day on or before --to" in m for m in messages)
        assert bells == [1]
        assert service.calls == []
        assert figure(screen, "sales", "orders") == "4"


async def test_stale_results_of_an_earlier_period_are_dropped(service: Recording) -> None:
    app = Host(service)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        month = screen.period
        screen.show_period(service.preset("7d"))
        await loaded(app, pilot)
        early = service.section("sales", month)
        from packdesk.tui.screens.analytics import SectionLoaded

        screen.post_message(SectionLoaded("sales", screen.load - 1, early, "USD"))
        await pilot.pause()
        assert figure(screen, "sales", "orders") == "2"


async def test_f12_opens_analytics_from_the_station(rig: Any) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f12")
        screen = await loaded(app, pilot)
        assert figure(screen, "sales", "orders") != ""
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AnalyticsScreen)
