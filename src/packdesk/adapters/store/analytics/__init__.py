"""Analytics over the store: sales, shipping, stock, customers, the station's gauges and
the fact tables, in SQL the engines share (the engine's own pieces are in `sql`)."""

from __future__ import annotations

from packdesk.adapters.store.analytics.customers import SqlCustomers
from packdesk.adapters.store.analytics.facts import SqlFactTables
from packdesk.adapters.store.analytics.readings import SqlStationReadings
from packdesk.adapters.store.analytics.sales import SqlSales
from packdesk.adapters.store.analytics.shipping import SqlShipping
from packdesk.adapters.store.analytics.sql import analytics_sql
from packdesk.adapters.store.analytics.stock import SqlStock
from packdesk.adapters.store.db import Database


class SqlAnalytics:
    """The `Analytics` port on one database: a reader per concern."""

    def __init__(self, db: Database) -> None:
        sql = analytics_sql(db.dialect.name)
        self.sales = SqlSales(db, sql)
        self.shipping = SqlShipping(db, sql)
        self.stock = SqlStock(db, sql)
        self.customers = SqlCustomers(db, sql)
        self.facts = SqlFactTables(db)
        self.readings = SqlStationReadings(db, sql)


__all__ = ["SqlAnalytics"]
