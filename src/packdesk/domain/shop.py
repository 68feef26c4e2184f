"""Values the Shopify sync passes around: a page of a paginated list, and a webhook as
Shopify delivered it (the ports themselves are in `packdesk.domain.ports`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from packdesk.domain.models import Model

T = TypeVar("T")


@dataclass(frozen=True)
class ShopPage(Generic[T]):
    """One page of a paginated Shopify list, with where the next page starts."""

    items: list[T] = field(default_factory=list)
    end_cursor: str = ""
    has_next: bool = False


class WebhookDelivery(Model):
    """One webhook as Shopify sent it: its event id, topic and the raw JSON body."""

    event_id: str
    topic: str
    shop: str
    resource_id: str
    """The GID of the order it is about (`gid://shopify/Order/…`)."""
    payload: str
    received_at: datetime
