"""Tracking against the sandbox's Shippo: a parcel the carrier delivered makes its order
DELIVERED, and the delivery-time e-mails count from the carrier's date, however late the
tracking job looks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from packdesk.bootstrap import Container
from packdesk.cli import main
from packdesk.domain.models import Transition
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings

S = StationState


class LateClock:
    """packdesk's clock, set by the test to when the tracking job happens to run."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """A sandbox, a station synced from it, and one order shipped and fulfilled there:
    (config, order name, control URL)."""
    tmp_path = tmp_path_factory.mktemp("tracking")
    with SandboxServer(seed=17, orders=4) as server:
        info = server.info
        assert info is not None
        name = httpx.post(
            f"{info.control_url}/shopify/orders",
            json={"location": "CA", "items": [{"sku": "BM-HND-01", "quantity": 1}]},
            timeout=10,
        ).json()["name"]
        config = tmp_path / "config.toml"
        server.write_config(config, tmp_path / "data")
        with Container(load_settings(config)) as container:
            for resource in ("locations", "variants", "orders"):
                assert container.sync.run(resource).ok
        shipped = CliRunner().invoke(main, ["--config", str(config), "ship", name])
        assert shipped.exit_code == 0, shipped.output
        yield config, name, info.control_url


def test_a_late_tracking_check_still_counts_from_the_carriers_delivery(
    shipped: tuple[Path, str, str],
) -> None:
    config, name, control_url = shipped
    clock = LateClock(datetime.now().astimezone())
    with Container(load_settings(config), clock=clock) as station:
        order = station.store.orders.by_name(name)
        assert order is not None
        current = station.store.station.get(order.id)
        assert current is not None
        station.store.station.apply(  # what the outbox does once Shopify has the fulfillment
            Transition(
                order_id=order.id,
                from_state=current.state,
                to_state=S.FULFILLED,
                actor="outbox",
                at=clock.now(),
            )
        )
        [label] = station.store.labels.for_order(order.id)
        track = httpx.post(
            f"{control_url}/shippo/tracking/{label.tracking_number}",
            json={"status": "DELIVERED"},
            timeout=10,
        ).json()
        carrier_date = datetime.fromisoformat(track["tracking_status"]["status_date"])

        clock.at = carrier_date + timedelta(days=2, hours=5)  # the station was off meanwhile
        assert station.tracking.refresh_tracking() == [name]
        station.comms.plan()  # the outbox's planners run too, and change nothing

        delivered = station.store.station.get(order.id)
        assert delivered is not None
        assert delivered.state is S.DELIVERED
        assert delivered.reason == f"delivered {carrier_date:%Y-%m-%d %H:%M} UTC"
        due = {
            item.payload["template"]: item.next_attempt_at
            for item in station.store.outbox.items()
            if item.kind == "email" and item.payload["template"] != "shipping_confirmation"
        }
        kinds = station.settings.email.kinds
        assert due == {
            "usage_guide": carrier_date + timedelta(days=kinds.guide_days),
            "review_request": carrier_date + timedelta(days=kinds.review_days),
        }

        clock.at = carrier_date + timedelta(days=kinds.guide_days, minutes=1)
        [guide] = [
            i for i in station.store.outbox.items() if i.payload.get("template") == "usage_guide"
        ]
        email = station.comms.compose(guide, "usage_guide", order, str(guide.payload["to"]))
        assert f"Your order {name} arrived {kinds.guide_days} days ago." in email.text
