"""Analytics: the numbers of a period, section by section, for the screen, the report and
the e-mail (docs/analytics.md has every formula).

Each section is a few SQL queries through the `Analytics` port; the Analytics screen loads
them one worker each, `report()` gathers them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo

from packdesk.domain.analytics.periods import Grain, Period
from packdesk.domain.analytics.report import Report, Section
from packdesk.domain.clock import Clock
from packdesk.domain.ports.analytics import Analytics
from packdesk.services.analytics.customers import customers_section
from packdesk.services.analytics.sales import sales_section
from packdesk.services.analytics.shipping import shipping_section
from packdesk.services.analytics.stock import stock_section

SECTIONS: dict[str, str] = {
    "sales": "Orders and revenue",
    "shipping": "Shipping",
    "stock": "Inventory",
    "customers": "Customers",
}


@dataclass
class AnalyticsService:
    analytics: Analytics
    clock: Clock
    zone: tzinfo
    """The shop's time zone: days, weeks and months are its calendar's."""
    shop_name: Callable[[], str] = lambda: "packdesk"

    def today(self) -> date:
        return self.clock.now().astimezone(self.zone).date()

    def preset(self, name: str) -> Period:
        """A named period ending today (`Period.preset`)."""
        return Period.preset(name, self.today(), self.zone)

    def between(self, first: str, last: str) -> Period:
        """The days from `first` to `last` (YYYY-MM-DD); `PeriodError` with the fix."""
        return Period.parse(first, last, self.zone)

    def section(self, key: str, period: Period, grain: Grain | None = None) -> Section:
        """One section of the report (a key of SECTIONS)."""
        a = self.analytics
        if key == "stock":
            return stock_section(a.stock, period, self.today())
        if key == "customers":
            return customers_section(a.customers, period)
        mix = a.sales.currencies(period.start, period.end)
        if key == "sales":
            return sales_section(a.sales, period, mix, grain)
        if key == "shipping":
            return shipping_section(a.shipping, period, mix)
        raise KeyError(f"No analytics section {key!r}; use one of {', '.join(SECTIONS)}.")

    def currency(self, period: Period) -> str:
        """The shop's currency in the period: every amount is in it."""
        return self.analytics.sales.currencies(period.start, period.end).shop

    def report(self, period: Period, grain: Grain | None = None) -> Report:
        """Every section of the period."""
        before = period.previous()
        sections = [self.section(key, period, grain) for key in SECTIONS]
        return Report(
            title=f"{self.shop_name()}: {period.describe()}",
            first=period.first,
            last=period.last,
            previous_first=before.first,
            previous_last=before.last,
            currency=self.currency(period),
            generated_at=self.clock.now(),
            sections=sections,
        )

    def snapshot_stock(self) -> int:
        """Take today's picture of stock on hand at unit cost (the snapshot job)."""
        return self.analytics.stock.take_snapshot(self.today(), self.clock.now())


__all__ = ["SECTIONS", "AnalyticsService"]
