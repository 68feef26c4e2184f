"""When Shopify answers with another Admin API version than configured, the status bar flags
it and the health screen says which version answered and the fix."""

from __future__ import annotations

from packdesk.tui.app import PackdeskApp
from packdesk.tui.widgets.status_bar import StatusBar

from .conftest import Rig

SIZE = (140, 40)
WARNING = (
    "Shopify answered with Admin API version 2026-01, not 2025-10 ([shopify].api_version): "
    'set [shopify].api_version = "2026-10".'
)


async def _settle(app: PackdeskApp, pilot: object) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def test_status_bar_and_health_screen_show_the_version_warning(rig: Rig) -> None:
    said = [WARNING]
    rig.desk.health.shopify_api_warning = lambda: said[0]
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert "Shopify API version" in app.screen.query_one(StatusBar).render().plain
        await pilot.press("f10")
        await _settle(app, pilot)
        health = str(app.screen.query_one("#health-body").render())
        assert "answered with Admin API version 2026-01" in health
        assert 'api_version = "2026-10"' in health
        said[0] = ""
        app.refresh_status()
        await _settle(app, pilot)
        assert "Shopify API version" not in app.screen.query_one(StatusBar).render().plain


async def test_no_warning_no_flag(rig: Rig) -> None:
    app = PackdeskApp(rig.desk, status_every_s=0)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert "Shopify API version" not in app.screen.query_one(StatusBar).render().plain
