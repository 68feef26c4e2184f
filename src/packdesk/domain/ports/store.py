"""packdesk's database as services see it: a repository per aggregate, and a unit of work
for the changes that span them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from packdesk.domain.ports.inventory import InventoryRepository
from packdesk.domain.ports.labels import LabelRepository, ShipmentRepository
from packdesk.domain.ports.orders import CatalogRepository, OrderRepository
from packdesk.domain.ports.outbox import OutboxRepository
from packdesk.domain.ports.print_jobs import PrintJobRepository
from packdesk.domain.ports.purchasing import PurchasingRepository
from packdesk.domain.ports.station import StationRepository
from packdesk.domain.ports.sync import SyncStateRepository, WebhookInbox
from packdesk.domain.ports.views import DeskViews


class Store(Protocol):
    """The repositories, and `transaction()`.

    Each repository call is a transaction of its own. A change that spans repositories (a
    transition with its audit row, outbox rows and print jobs; a bought label with the move
    to LABELED; a page of orders with its cursor) runs inside `with store.transaction():`,
    which commits everything in it together or nothing; a `transaction()` inside another
    one joins it.
    """

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def catalog(self) -> CatalogRepository: ...

    @property
    def station(self) -> StationRepository: ...

    @property
    def shipments(self) -> ShipmentRepository: ...

    @property
    def labels(self) -> LabelRepository: ...

    @property
    def print_jobs(self) -> PrintJobRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def sync(self) -> SyncStateRepository: ...

    @property
    def webhooks(self) -> WebhookInbox: ...

    @property
    def views(self) -> DeskViews: ...

    @property
    def inventory(self) -> InventoryRepository: ...

    @property
    def purchasing(self) -> PurchasingRepository: ...

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction around the block; joins the outer one when nested."""
        ...
