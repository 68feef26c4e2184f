"""End to end against the sandbox: the outbox delivers a packed order's fulfillment to the
sandbox Shopify and its emails to the sandbox SendGrid and SMTP, once, through faults,
concurrent workers, lost answers and restarts; after-delivery emails follow sandbox time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.smtp import SmtpSender
from packdesk.adapters.shopify.client import ShopifyClient
from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap import Container
from packdesk.domain.clock import Clock, SystemClock
from packdesk.domain.events import Event
from packdesk.domain.models import (
    Address,
    Customer,
    FulfillmentOrder,
    FulfillmentOrderLine,
    LineItem,
    Order,
    OutboxState,
)
from packdesk.domain.ports import EmailSender
from packdesk.domain.states import StationState
from packdesk.sandbox.server import SandboxServer
from packdesk.services.effects import fulfillment_effects
from packdesk.services.outbox import OutboxService
from packdesk.services.station import StationService
from packdesk.settings import (
    BrandSettings,
    EmailKindsSettings,
    EmailSettings,
    OutboxSettings,
    Settings,
    ShopifySettings,
    WebhookSettings,
)

from .outbox_helpers import make_purchase


class Bus:
    def publish(self, event: Event) -> None:
        pass


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    server = SandboxServer(orders=5)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def control(sandbox: Any) -> Iterator[httpx.Client]:
    """The sandbox's control API, on a sandbox with no faults, no mail and a full Shopify
    bucket (a test that drained it does not slow the next one down)."""
    client = httpx.Client(base_url=sandbox.info.control_url, timeout=10)
    sandbox.reset()
    yield client
    sandbox.reset()
    client.close()


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def new_order(control: httpx.Client, *, email: str, consent: bool = True) -> Order:
    """A fresh sandbox order, as packdesk's domain model (what sync would store)."""
    rest = control.post("/shopify/orders", json={"email": email}).json()
    lines = tuple(
        LineItem(
            id=gid("LineItem", li["id"]),
            sku=li["sku"] or "",
            title=li["title"],
            variant_title=li["variant_title"] or "",
            quantity=li["current_quantity"],
            price=Decimal(li["price"]),
        )
        for li in rest["line_items"]
    )
    fos = tuple(
        FulfillmentOrder(
            id=gid("FulfillmentOrder", fo["id"]),
            order_id=gid("Order", rest["id"]),
            location_id=gid("Location", fo["assigned_location_id"]),
            status=fo["status"],
            lines=tuple(
                FulfillmentOrderLine(
                    id=gid("FulfillmentOrderLineItem", x["id"]),
                    line_item_id=gid("LineItem", x["line_item_id"]),
                    total_quantity=x["total_quantity"],
                    remaining_quantity=x["remaining_quantity"],
                )
                for x in fo["line_items"]
            ),
        )
        for fo in rest["fulfillment_orders"]
    )
    a = rest["shipping_address"] or {}
    return Order(
        id=gid("Order", rest["id"]),
        name=rest["name"],
        created_at=rest["created_at"],
        updated_at=rest["updated_at"],
        email=rest["email"] or email,
        customer=Customer(email=email, name=a.get("name") or "", accepts_marketing=consent),
        shipping_address=Address(
            name=a.get("name") or "", address1=a.get("address1") or "", city=a.get("city") or "",
            province_code=a.get("province_code") or "", zip=a.get("zip") or "",
        ),
        line_items=lines,
        fulfillment_orders=fos,
    )  # fmt: skip


def pack(store: SqliteStore, clock: Clock, order: Order, n: int = 0) -> str:
    store.orders.save(order)
    station = StationService(store, Bus(), clock)
    for state in (StationState.NEW, StationState.PACKING, StationState.PACKED):
        station.move(order.id, state, actor="packer")
    purchase = make_purchase(order, tracking=f"9400{order.number}{n:04d}")
    location = order.fulfillment_orders[0].location_id
    station.move(
        order.id,
        StationState.LABELED,
        actor="packer",
        outbox=fulfillment_effects(order, purchase, location),
    )
    return purchase.tracking_number


def outbox(
    sandbox: Any,
    store: SqliteStore,
    clock: Clock,
    sender: EmailSender,
    *,
    guide_days: int = 3,
    review_days: int = 14,
) -> OutboxService:
    """The outbox as the container wires it for a station on `sandbox`'s Shopify, sending
    through `sender`, retrying quickly (faults here are many and deliberate)."""
    info = sandbox.info
    settings = Settings(
        shopify=ShopifySettings(
            shop=info.shop,
            api_version=info.api_version,
            access_token=info.shopify_token,
            endpoint=info.shopify_endpoint,
            timeout_s=10,
        ),
        email=EmailSettings(
            from_address="orders@brightminds.example",
            kinds=EmailKindsSettings(guide_days=guide_days, review_days=review_days),
            unsubscribe_secret="a-long-random-key-for-links",
        ),
        webhooks=WebhookSettings(public_url="https://desk.brightminds.example"),
        outbox=OutboxSettings(max_attempts=40, backoff_base_s=0.01, backoff_max_s=0.05, parallel=4),
        brand=BrandSettings(shop_name="Bright Minds Learning"),
    )
    return Container(settings, store=store, clock=clock, email_sender=sender).outbox


def sendgrid(sandbox: Any) -> SendGridSender:
    return SendGridSender(
        sandbox.info.sendgrid_api_key, endpoint=sandbox.info.sendgrid_url, timeout_s=5
    )


def smtp(sandbox: Any) -> SmtpSender:
    host, port = sandbox.info.smtp.rsplit(":", 1)
    return SmtpSender(host, int(port), security="none", timeout_s=5)


def upstream(control: httpx.Client, order: Order) -> dict[str, Any]:
    return dict(control.get(f"/shopify/orders/{order.id.rsplit('/', 1)[1]}").json())


def drain(service: OutboxService, rounds: int = 2000) -> None:
    """Run the worker until nothing has been due for a while (longer than any backoff)."""
    idle = 0
    for _ in range(rounds):
        idle = idle + 1 if service.run_once().claimed == 0 else 0
        if idle >= 5:
            return
        time.sleep(0.02)


def assert_one_fulfillment(control: httpx.Client, order: Order, tracking: str) -> None:
    shown = upstream(control, order)
    assert [f["tracking_number"] for f in shown["fulfillments"]] == [tracking]
    [fulfillment] = shown["fulfillments"]
    assert fulfillment["tracking_company"] == "USPS"
    assert fulfillment["tracking_url"].endswith(tracking)
    wanted = sorted((int(li.id.rsplit("/", 1)[1]), li.quantity) for li in order.line_items)
    assert sorted((x["id"], x["quantity"]) for x in fulfillment["line_items"]) == wanted


def mail_to(control: httpx.Client, address: str) -> list[dict[str, Any]]:
    return [m for m in control.get("/mail").json() if address in m["to"]]


def check_mail(
    message: dict[str, Any], tracking: str, shop_name: str = "Bright Minds Learning"
) -> None:
    assert message["text"]
    assert message["html"]
    assert tracking in message["text"]
    assert tracking in message["html"]
    headers = {k.lower(): v for k, v in message["headers"].items()}
    assert headers["message-id"].startswith("<")
    assert parsedate_to_datetime(headers["date"]).tzinfo is not None
    assert shop_name in message["from"]
    assert 'src="cid:logo@packdesk"' in message["html"]
    for part in (message["text"], message["html"], message["subject"]):
        assert "{{" not in part
        assert "Undefined" not in part


@pytest.mark.parametrize("via", ["sendgrid", "smtp"])
def test_packed_order_gives_one_fulfillment_and_one_shipping_email(
    sandbox: Any, control: httpx.Client, tmp_path: Path, via: str
) -> None:
    store = SqliteStore.open(tmp_path / "packdesk.db")
    address = f"e2e-{via}@example.com"
    order = new_order(control, email=address)
    tracking = pack(store, sandbox.clock, order)
    sender = sendgrid(sandbox) if via == "sendgrid" else smtp(sandbox)
    drain(outbox(sandbox, store, sandbox.clock, sender))
    drain(outbox(sandbox, store, sandbox.clock, sender))  # a second run sends nothing

    assert_one_fulfillment(control, order, tracking)
    [message] = mail_to(control, address)
    assert message["via"] == via
    assert message["subject"] == f"Your order {order.name} is on its way"
    check_mail(message, tracking)
    station = store.station.get(order.id)
    assert station is not None
    assert station.state is StationState.FULFILLED
    store.close()


def test_two_workers_a_dropped_answer_and_a_restart_still_give_one_of_each(
    sandbox: Any, control: httpx.Client, tmp_path: Path
) -> None:
    path = tmp_path / "packdesk.db"
    store = SqliteStore.open(path)
    orders = [new_order(control, email=f"twice{n}@example.com") for n in range(6)]
    tracking = [pack(store, sandbox.clock, o, n) for n, o in enumerate(orders)]
    # every Shopify answer is lost after the change is made, for the first run
    control.put("/faults", json={"shopify": {"commit_then_drop_rate": 1.0}})
    workers = [
        outbox(sandbox, SqliteStore.open(path), sandbox.clock, sendgrid(sandbox)) for _ in range(2)
    ]
    barrier = threading.Barrier(2)

    def once(w: OutboxService) -> None:
        barrier.wait()
        w.run_once()

    threads = [threading.Thread(target=once, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    control.delete("/faults")
    for w in workers:
        w.store.close()  # type: ignore[attr-defined]
    store.close()

    restarted = SqliteStore.open(path)  # a new process on the same database
    drain(outbox(sandbox, restarted, sandbox.clock, sendgrid(sandbox)))
    for order, number in zip(orders, tracking, strict=True):
        assert_one_fulfillment(control, order, number)
        assert len(mail_to(control, order.email)) == 1
    restarted.close()


@pytest.mark.slow
def test_200_effects_through_30_percent_faults_are_each_delivered_once(
    sandbox: Any, control: httpx.Client, tmp_path: Path
) -> None:
    store = SqliteStore.open(tmp_path / "packdesk.db")
    orders = [new_order(control, email=f"load{n}@example.com") for n in range(100)]
    tracking = [pack(store, sandbox.clock, o, n) for n, o in enumerate(orders)]
    faults = {"error_rate": 0.1, "drop_rate": 0.1, "burst_429": 0}
    control.put(
        "/faults",
        json={
            "*": faults,
            "shopify": {**faults, "commit_then_drop_rate": 0.1},
            # SendGrid refuses, but answers: a lost SendGrid answer may cost a copy or stop
            # the e-mail for a person, which test_email_duplicates.py counts.
            "sendgrid": {"error_rate": 0.2, "burst_429": 3},
        },
    )
    service = outbox(sandbox, store, sandbox.clock, sendgrid(sandbox))
    drain(service, rounds=2000)
    control.delete("/faults")

    assert store.outbox.counts()[OutboxState.DELIVERED] == 200
    for order, number in zip(orders, tracking, strict=True):
        assert [f["tracking_number"] for f in upstream(control, order)["fulfillments"]] == [number]
    mail = control.get("/mail").json()
    assert sorted(m["to"][0] for m in mail) == sorted(o.email for o in orders)
    assert sum(i.attempts > 1 for i in store.outbox.items(limit=500)) > 20  # faults happened
    store.close()


def test_guide_and_review_follow_delivery_by_sandbox_days_and_skip_suppressed(
    sandbox: Any, control: httpx.Client, tmp_path: Path
) -> None:
    store = SqliteStore.open(tmp_path / "packdesk.db")
    happy = new_order(control, email="happy@example.com")
    blocked = new_order(control, email="blocked@example.com")
    store.outbox.suppress("blocked@example.com", "unsubscribed", sandbox.clock.now())
    service = outbox(sandbox, store, sandbox.clock, smtp(sandbox), guide_days=3, review_days=7)
    for n, order in enumerate((happy, blocked)):
        pack(store, sandbox.clock, order, n)
    drain(service)
    station = StationService(store, Bus(), sandbox.clock)
    for order in (happy, blocked):
        station.move(order.id, StationState.DELIVERED, actor="tracking")  # the carrier says so
    drain(service)
    assert [m["subject"] for m in mail_to(control, "happy@example.com")] == [
        f"Your order {happy.name} is on its way"
    ]

    control.post("/time/advance", json={"days": 3, "seconds": 5})
    drain(service)
    guides = [m for m in mail_to(control, "happy@example.com") if "Getting started" in m["subject"]]
    skus = {li.sku for li in happy.line_items}
    assert guides
    assert len(guides) <= len(skus)
    assert not any("review" in m["subject"].lower() for m in mail_to(control, "happy@example.com"))

    control.post("/time/advance", json={"days": 4, "seconds": 5})
    drain(service)
    control.post("/time/advance", json={"days": 30})
    drain(service)
    happy_mail = mail_to(control, "happy@example.com")
    assert sum("enjoying your order" in m["subject"] for m in happy_mail) == 1
    for mail in happy_mail:  # marketing carries the one-click link, the shipping notice none
        marketing = "on its way" not in mail["subject"]
        link = mail["headers"].get("List-Unsubscribe", "")
        assert link.startswith("<https://desk.brightminds.example/unsubscribe?e=") is marketing
        assert ("List-Unsubscribe-Post" in mail["headers"]) is marketing
    assert len(happy_mail) == 1 + len(guides) + 1
    assert [m["subject"] for m in mail_to(control, "blocked@example.com")] == [
        f"Your order {blocked.name} is on its way"
    ]
    store.close()


def test_outbox_run_once_from_the_sandbox_config_delivers_through_bootstrap(
    sandbox: Any, control: httpx.Client, tmp_path: Path
) -> None:
    """The wiring a user gets: `packdesk outbox run --once` with the config the sandbox
    writes (SMTP to the sandbox, Shopify client from [shopify]); Shopify is not asked to
    send its own shipping email, since packdesk sends one."""
    from click.testing import CliRunner

    from packdesk.cli import main

    config, data = tmp_path / "config.toml", tmp_path / "data"
    sandbox.write_config(config, data)
    store = SqliteStore.open(data / "packdesk.db")
    order = new_order(control, email="cli@example.com")
    tracking = pack(store, SystemClock(), order)  # the CLI runs on real time
    store.close()

    result = CliRunner().invoke(main, ["--config", str(config), "outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "Settled 2 item(s); 0 pending, 0 dead." in result.output
    assert_one_fulfillment(control, order, tracking)
    assert upstream(control, order)["fulfillments"][0]["notify_customer"] is False
    [message] = mail_to(control, "cli@example.com")
    assert message["via"] == "smtp"
    check_mail(message, tracking, "BrightMinds Learning")  # the shop's name in Shopify
    listing = CliRunner().invoke(main, ["--config", str(config), "outbox", "list", "--all"])
    assert "delivered 2" in listing.output
    assert "fulfillment gid://shopify/Fulfillment/" in listing.output


def test_the_outbox_is_a_scheduled_job(sandbox: Any, tmp_path: Path) -> None:
    from packdesk.settings import load_settings

    config = tmp_path / "config.toml"
    sandbox.write_config(config, tmp_path / "data")
    with Container(load_settings(config)) as container:
        [job] = [j for j in container.jobs if j.name == "deliver_outbox"]
        assert job.every_s == container.settings.outbox.every_s
        assert sorted(container.outbox.handlers) == [
            "business_email",
            "email",
            "fulfillment",
            "inventory_adjust",
            "inventory_set",
            "report",
        ]


def test_synced_orders_carry_the_customers_marketing_consent(
    sandbox: Any, control: httpx.Client
) -> None:
    """Marketing kinds depend on `Customer.accepts_marketing`: sync must fill it from
    the marketing state of the customer's default e-mail address in Shopify."""
    from packdesk.adapters.shopify.shop import ShopifyShop

    info = sandbox.info
    client = ShopifyClient(info.shopify_url, info.shopify_token, timeout_s=10)
    shop = ShopifyShop(client)
    seen = set()
    for number in range(1001, 1041):
        rest = control.get(f"/shopify/orders/{number}")
        if rest.status_code != 200 or not rest.json()["customer"]:
            continue
        body = rest.json()
        order = shop.order(body["admin_graphql_api_id"])
        assert order is not None
        subscribed = body["customer"]["email_marketing_consent"]["state"] == "subscribed"
        assert order.customer.accepts_marketing is subscribed
        seen.add(subscribed)
    client.close()
    assert seen == {True, False}
