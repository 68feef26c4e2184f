"""The sync state repository (each resource's cursor and health) and the webhook inbox."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from packdesk.adapters.store import Database, SqliteDialect, SqliteStore
from packdesk.domain.models import SyncStatus
from packdesk.domain.shop import WebhookDelivery

from .store_data import T0


def test_a_resource_has_a_blank_state_until_its_first_sync(store: SqliteStore) -> None:
    assert store.sync.status("orders") == SyncStatus(resource="orders")
    assert store.sync.statuses() == []
    done = SyncStatus(resource="orders", cursor="2026-11-02T15:30:00+00:00", last_success_at=T0,
                      last_count=40)  # fmt: skip
    store.sync.save(done)
    failed = done.model_copy(update={"last_error": "Shopify is down", "last_error_at": T0})
    store.sync.save(failed)
    store.sync.save(SyncStatus(resource="locations", last_success_at=T0, last_count=2))
    assert store.sync.status("orders") == failed
    assert [s.resource for s in store.sync.statuses()] == ["locations", "orders"]


def delivery(webhook_id: str, minutes: int = 0) -> WebhookDelivery:
    return WebhookDelivery(
        webhook_id=webhook_id,
        event_id="one-action",
        topic="orders/updated",
        shop="educational-toys.myshopify.com",
        resource_id="gid://shopify/Order/1001",
        payload='{"id": 1001}',
        received_at=T0 + timedelta(minutes=minutes),
    )


def test_a_webhook_is_stored_once_and_stays_pending_until_done(store: SqliteStore) -> None:
    assert store.webhooks.record(delivery("e1"))
    assert not store.webhooks.record(delivery("e1"))  # Shopify sent it again
    assert store.webhooks.record(delivery("e2", minutes=1))
    assert [d.webhook_id for d in store.webhooks.pending()] == ["e1", "e2"]
    store.webhooks.finish("e1", at=None, error="Shopify did not answer")  # try again later
    store.webhooks.finish("e2", at=T0, error="")
    assert store.webhooks.pending() == [delivery("e1")]
    assert store.webhooks.count() == 2
    assert store.views.webhook_counts() == (2, 1, "2026-11-02T15:31:00.000000+00:00",
                                            "Shopify did not answer")  # fmt: skip


def test_deliveries_stored_before_webhook_ids_keep_their_key_and_state(tmp_path: Path) -> None:
    """A packdesk of schema 75 keyed deliveries by event id: after the upgrade that key is
    the webhook id, and a pending one is still worked on."""
    path = tmp_path / "old.db"
    old = Database(SqliteDialect(path))
    old.migrate(target=75)
    old.execute(
        "INSERT INTO webhook_events (event_id, topic, shop, resource_id, payload, received_at)"
        " VALUES ('evt-1', 'orders/create', 'x.myshopify.com', 'gid://shopify/Order/1', '{}',"
        " '2026-11-02T15:30:00.000000+00:00')"
    )
    old.close()
    store = SqliteStore.open(path)
    [kept] = store.webhooks.pending()
    assert (kept.webhook_id, kept.event_id, kept.location_id) == ("evt-1", "", "")
    assert not store.webhooks.record(kept)
    store.close()
