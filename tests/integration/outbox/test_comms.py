"""Customer emails through the outbox: once per (order, kind), on time, and only when
allowed (switches, suppression list, marketing consent)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.adapters.store import SqliteStore
from packdesk.domain.events import Event
from packdesk.domain.models import NewOutboxItem, Order, OutboxState
from packdesk.domain.states import StationState
from packdesk.domain.unsubscribe import UnsubscribeLinks
from packdesk.services.comms import Comms, CommsPolicy, arrived
from packdesk.services.effects import fulfillment_effects
from packdesk.services.outbox import OutboxPolicy, OutboxService
from packdesk.services.station import StationService
from packdesk.services.upstream import FulfillmentHandler

from .outbox_helpers import (
    LOCATION,
    T0,
    FakeSender,
    FakeShop,
    MovableClock,
    make_order,
    make_purchase,
)

LINKS = UnsubscribeLinks("https://desk.brightminds.example", "a-long-random-key")


class Bus:
    def publish(self, event: Event) -> None:
        pass


def policy(**changes: object) -> CommsPolicy:
    base = CommsPolicy(
        from_address="orders@brightminds.example",
        shop_name="Bright Minds Learning",
        shop_url="https://brightminds.example",
        review_url="https://brightminds.example/reviews?order={order_number}",
        unsubscribe=LINKS,
    )
    enabled = dict(base.enabled)
    enabled.update(cast("dict[str, bool]", changes.pop("enabled", {})))
    return CommsPolicy(**{**base.__dict__, "enabled": enabled, **changes})


def worker(
    store: SqliteStore,
    clock: MovableClock,
    sender: FakeSender,
    renderer: TemplateRenderer | None = None,
    **changes: object,
) -> OutboxService:
    comms = Comms(store, renderer or TemplateRenderer(), sender, clock, policy(**changes))
    return OutboxService(
        store,
        {"email": comms, "fulfillment": FulfillmentHandler(FakeShop())},
        clock,
        policy=OutboxPolicy(max_attempts=3, backoff_base_s=1),
        planners=[comms.plan],
        rng=random.Random(2),
    )


def ship(store: SqliteStore, clock: MovableClock, order: Order, *, deliver: bool = True) -> None:
    store.orders.save(order)
    station = StationService(store, Bus(), clock)
    for state in (StationState.NEW, StationState.PACKING, StationState.PACKED):
        station.move(order.id, state, actor="packer")
    station.move(
        order.id,
        StationState.LABELED,
        actor="packer",
        outbox=fulfillment_effects(order, make_purchase(order), LOCATION),
    )
    station.move(order.id, StationState.FULFILLED, actor="outbox")
    if deliver:
        station.move(order.id, StationState.DELIVERED, actor="tracking")


def subjects(sender: FakeSender) -> list[str]:
    return [e.subject for e in sender.sent]


def test_shipping_email_goes_once_with_the_tracking_link(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1001)
    ship(store, clock, order, deliver=False)
    sender = FakeSender()
    w = worker(store, clock, sender)
    w.run_until_idle()
    w.run_until_idle()
    [email] = sender.sent
    purchase = make_purchase(order)
    assert email.subject == "Your order #1001 is on its way"
    assert email.to == "maya@example.com"
    assert email.from_name == "Bright Minds Learning"
    for part in (email.text, email.html):
        assert purchase.tracking_number in part
        assert "Alphabet Flash Cards" in part
    assert purchase.tracking_url in email.text
    assert f'href="{purchase.tracking_url.replace("&", "&amp;")}"' in email.html
    assert email.message_id.startswith("<")
    assert email.message_id.endswith("@brightminds.example>")
    assert email.key == f"email:shipping_confirmation:{order.id}"


def test_the_shipping_email_lists_only_what_the_parcel_holds(
    store: SqliteStore, clock: MovableClock
) -> None:
    whole = make_order(1001, skus=("BM-ABC-01", "BM-VOL-01"))
    fo = whole.fulfillment_orders[0]
    cards, kit = fo.lines  # the flash cards left in an earlier parcel
    order = whole.model_copy(
        update={
            "fulfillment_orders": (
                fo.model_copy(
                    update={
                        "status": "IN_PROGRESS",
                        "lines": (cards.model_copy(update={"remaining_quantity": 0}), kit),
                    }
                ),
            )
        }
    )
    ship(store, clock, order, deliver=False)
    closed = fo.model_copy(
        update={
            "status": "CLOSED",
            "lines": tuple(ln.model_copy(update={"remaining_quantity": 0}) for ln in fo.lines),
        }
    )
    store.orders.save(order.model_copy(update={"fulfillment_orders": (closed,)}))  # synced
    sender = FakeSender()
    worker(store, clock, sender).run_until_idle()
    [email] = sender.sent
    parcel = email.text.split("In the parcel:", 1)[1]
    assert "Volcano Science Kit × 1" in parcel
    assert "Alphabet Flash Cards" not in parcel
    assert "Alphabet Flash Cards" not in email.html


def test_guides_and_review_go_out_n_days_after_delivery_once(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1002, skus=("BM-ABC-01", "BM-VOL-01", "BM-NOGUIDE-01"))
    ship(store, clock, order)
    sender = FakeSender()
    w = worker(store, clock, sender, guide_days=3, review_days=14)
    w.run_until_idle()
    assert subjects(sender) == ["Your order #1002 is on its way"]

    clock.advance(days=2, hours=23)
    w.run_until_idle()
    assert len(sender.sent) == 1
    clock.advance(hours=1, seconds=1)
    w.run_until_idle()
    guides = sorted(subjects(sender)[1:])
    assert guides == [
        "Getting started with Alphabet Flash Cards",
        "Getting started with Volcano Science Kit",
    ]
    volcano = next(e for e in sender.sent if "Volcano" in e.subject)
    assert "baking soda" in volcano.text
    assert "<strong>Build the cone</strong>" in volcano.html
    assert "unsubscribe" in volcano.text
    assert "Your order #1002 arrived 3 days ago." in volcano.text

    clock.advance(days=11)
    w.run_until_idle()
    assert subjects(sender)[-1] == "How are you enjoying your order #1002?"
    review = sender.sent[-1]
    assert "https://brightminds.example/reviews?order=1002" in review.text

    clock.advance(days=30)
    w.run_until_idle()
    assert len(sender.sent) == 4  # nothing twice, however often the planner runs


@pytest.mark.parametrize(
    ("elapsed", "said"),
    [
        (timedelta(0), "has arrived"),
        (timedelta(hours=23, minutes=59), "has arrived"),
        (timedelta(days=1, hours=3), "arrived a day ago"),
        (timedelta(days=3), "arrived 3 days ago"),
        (timedelta(days=13, hours=23), "arrived 13 days ago"),
        (timedelta(days=20), "arrived 2 weeks ago"),
        (timedelta(days=59), "arrived 8 weeks ago"),
        (timedelta(days=90), "arrived a while ago"),
        (timedelta(hours=-2), "has arrived"),  # a carrier clock a little ahead of ours
    ],
)
def test_the_guide_says_how_long_ago_the_parcel_arrived(elapsed: timedelta, said: str) -> None:
    assert arrived(T0, T0 + elapsed) == said
    assert arrived(None, T0) == "has arrived"


def test_a_delivery_is_planned_from_the_carriers_date_once(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1004, skus=("BM-ABC-01",))
    ship(store, clock, order, deliver=False)
    comms = Comms(store, TemplateRenderer(), FakeSender(), clock, policy(guide_days=2))
    carrier_date = clock.now() - timedelta(days=5)  # noticed five days late
    assert comms.schedule_followups(order, carrier_date) is True
    assert comms.schedule_followups(order, clock.now()) is False  # planned once
    due = {
        i.payload["template"]: i.next_attempt_at
        for i in store.outbox.items()
        if "usage" in i.dedupe_key or "review" in i.dedupe_key
    }
    assert due == {
        "usage_guide": carrier_date + timedelta(days=2),
        "review_request": carrier_date + timedelta(days=14),
    }


def test_follow_ups_are_planned_with_their_mark_or_not_at_all(
    store: SqliteStore, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = make_order(1003, skus=("BM-ABC-01",))
    ship(store, clock, order)
    comms = Comms(store, TemplateRenderer(), FakeSender(), clock, policy())
    schedule = store.outbox.schedule

    def schedule_then_fail(items: Sequence[tuple[NewOutboxItem, datetime]], at: datetime) -> int:
        schedule(items, at)
        raise OSError("disk full")

    monkeypatch.setattr(store.outbox, "schedule", schedule_then_fail)
    with pytest.raises(OSError, match="disk full"):
        comms.plan_followups()
    monkeypatch.undo()
    assert [o for o, _ in store.outbox.delivered_unplanned()] == [order.id]  # mark undone
    assert [i.dedupe_key for i in store.outbox.items() if "usage_guide" in i.dedupe_key] == []
    assert comms.plan_followups() == 1
    assert store.outbox.delivered_unplanned() == []
    assert [i.dedupe_key for i in store.outbox.items() if "usage_guide" in i.dedupe_key] == [
        f"email:usage_guide:{order.id}:BM-ABC-01"
    ]


def test_order_without_any_guided_sku_gets_the_generic_guide(
    store: SqliteStore, clock: MovableClock
) -> None:
    ship(store, clock, make_order(1003, skus=("BM-XYZ-01", "BM-QRS-01")))
    sender = FakeSender()
    w = worker(store, clock, sender, guide_days=0, enabled={"review_request": False})
    w.run_until_idle()
    assert sorted(subjects(sender)) == [
        "Getting started with your new learning kit",
        "Your order #1003 is on its way",
    ]
    guide = next(e for e in sender.sent if "Getting started" in e.subject)
    assert "Your order #1003 has arrived." in guide.text  # sent on the day of delivery
    assert "<strong>#1003</strong> has arrived." in guide.html


def test_suppressed_address_gets_no_marketing_but_its_shipping_notice(
    store: SqliteStore, clock: MovableClock
) -> None:
    store.outbox.suppress("MAYA@example.com", "unsubscribed", clock.now())
    ship(store, clock, make_order(1004))
    sender = FakeSender()
    w = worker(store, clock, sender)
    clock.advance(days=30)
    w.run_until_idle()
    assert subjects(sender) == ["Your order #1004 is on its way"]
    skipped = store.outbox.items([OutboxState.SKIPPED])
    assert {i.payload["template"] for i in skipped} == {"usage_guide", "review_request"}
    assert all("suppression list" in i.note for i in skipped)


def test_marketing_carries_a_one_click_unsubscribe_link_and_transactional_mail_none(
    store: SqliteStore, clock: MovableClock
) -> None:
    ship(store, clock, make_order(1010, email="Maya@Example.com"))
    sender = FakeSender()
    clock.advance(days=30)
    worker(store, clock, sender).run_until_idle()
    [shipping] = [e for e in sender.sent if "on its way" in e.subject]
    marketing = [e for e in sender.sent if e is not shipping]
    assert shipping.unsubscribe_url == ""
    assert "nsubscribe" not in shipping.text
    assert sorted(e.subject.split()[0] for e in marketing) == ["Getting", "How"]
    for email in marketing:
        assert email.unsubscribe_url.startswith("https://desk.brightminds.example/unsubscribe?e=")
        assert LINKS.address(*_query(email.unsubscribe_url)) == "maya@example.com"
        assert f"with one click: {email.unsubscribe_url}" in email.text
        assert f'href="{email.unsubscribe_url.replace("&", "&amp;")}"' in email.html


def test_without_an_unsubscribe_link_marketing_waits_with_the_reason(
    store: SqliteStore, clock: MovableClock
) -> None:
    ship(store, clock, make_order(1011))
    sender = FakeSender()
    clock.advance(days=30)
    worker(store, clock, sender, unsubscribe=None).run_until_idle()
    assert subjects(sender) == ["Your order #1011 is on its way"]
    notes = {i.note for i in store.outbox.items([OutboxState.SKIPPED])}
    assert notes == {
        "marketing e-mails need a one-click unsubscribe link: set [webhooks].public_url and "
        "[email].unsubscribe_secret, and run the webhook receiver (docs/email.md)"
    }


def _query(url: str) -> tuple[str, str]:
    params = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    return params["e"], params["s"]


def test_marketing_needs_consent_unless_configured_otherwise(
    store: SqliteStore, clock: MovableClock
) -> None:
    ship(store, clock, make_order(1005, accepts_marketing=False))
    ship(store, clock, make_order(1006, accepts_marketing=False, email="sam@example.com"))
    sender = FakeSender()
    clock.advance(days=30)
    worker(store, clock, sender).run_until_idle()
    assert all("on its way" in s for s in subjects(sender))
    notes = {i.note for i in store.outbox.items([OutboxState.SKIPPED])}
    assert notes == {"the customer has not accepted marketing emails"}

    store2_sender = FakeSender()
    store.outbox.retry_all(clock.now())  # nothing DEAD: no effect
    ship(store, clock, make_order(1007, accepts_marketing=False, email="li@example.com"))
    clock.advance(days=30)
    worker(store, clock, store2_sender, marketing_requires_consent=False).run_until_idle()
    assert len(store2_sender.sent) == 3  # shipping, one guide, review for #1007


def test_switched_off_kinds_are_skipped_with_the_reason(
    store: SqliteStore, clock: MovableClock
) -> None:
    ship(store, clock, make_order(1008))
    sender = FakeSender()
    clock.advance(days=30)
    worker(
        store,
        clock,
        sender,
        enabled={"shipping_confirmation": False, "usage_guide": False},
    ).run_until_idle()
    assert subjects(sender) == ["How are you enjoying your order #1008?"]
    [skipped] = store.outbox.items([OutboxState.SKIPPED])
    assert skipped.note == "shipping_confirmation emails are switched off ([email.kinds])"


def test_order_confirmation_is_off_by_default_and_once_when_on(
    store: SqliteStore, clock: MovableClock
) -> None:
    order = make_order(1009, created_at=clock.now())
    store.orders.save(order)
    StationService(store, Bus(), clock).move(order.id, StationState.NEW, actor="sync")
    sender = FakeSender()
    worker(store, clock, sender).run_until_idle()
    assert sender.sent == []
    w = worker(store, clock, sender, enabled={"order_confirmation": True})
    w.run_until_idle()
    w.run_until_idle()
    assert subjects(sender) == ["Thank you for your order #1009"]
    assert "Alphabet Flash Cards" in sender.sent[0].html


def test_template_error_is_dead_at_once_with_the_template_named(
    store: SqliteStore, clock: MovableClock, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    source = TemplateRenderer().templates_dir
    templates.mkdir()
    for path in source.iterdir():
        (templates / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (templates / "shipping_confirmation.txt").write_text("Tracking: {{ tracking.numbr }}\n")
    ship(store, clock, make_order(1010), deliver=False)
    sender = FakeSender()
    worker(store, clock, sender, renderer=TemplateRenderer(templates_dir=templates)).run_once()
    assert sender.sent == []
    [dead] = store.outbox.items([OutboxState.DEAD])
    assert dead.attempts == 1
    assert "shipping_confirmation failed to render" in dead.last_error
    assert "numbr" in dead.last_error


@pytest.mark.parametrize(
    "template", ["order_confirmation", "shipping_confirmation", "usage_guide", "review_request"]
)
def test_every_template_renders_both_parts_without_leftovers(
    store: SqliteStore, clock: MovableClock, template: str
) -> None:
    order = make_order(1011, skus=("BM-USA-01",))
    store.orders.save(order)
    comms = Comms(store, TemplateRenderer(), FakeSender(), clock, policy())
    from packdesk.domain.models import OutboxItem

    item = OutboxItem(
        id=1,
        kind="email",
        dedupe_key=f"email:{template}:{order.id}",
        order_id=order.id,
        payload={
            "template": template,
            "to": order.email,
            "sku": "BM-USA-01",
            "tracking_number": "9400",
            "tracking_url": "https://t.example/9400",
            "carrier": "USPS",
        },
        state=OutboxState.PENDING,
        created_at=clock.now(),
        next_attempt_at=clock.now(),
    )
    email = comms.compose(item, template, order, order.email)
    for part in (email.subject, email.text, email.html):
        assert part.strip()
        assert "{{" not in part
        assert "{%" not in part
        assert "Undefined" not in part
    assert "Bright Minds Learning" in email.html
    assert "#2E6B4F" in email.html
    assert email.html.lstrip().startswith("<!DOCTYPE html>")


def test_200_effects_with_30_percent_faults_are_each_delivered_once(
    store: SqliteStore, clock: MovableClock
) -> None:
    for n in range(100):
        ship(store, clock, make_order(3000 + n, email=f"c{n}@example.com"), deliver=False)
    rng = random.Random(5)

    class FaultyShop(FakeShop):
        def _fault_before(self) -> None:
            if rng.random() < 0.15:
                self.fail_before = 1
            super()._fault_before()

        def _fault_after(self) -> None:
            if rng.random() < 0.15:
                self.commit_then_drop = 1
            super()._fault_after()

    class FaultySender(FakeSender):
        def send(self, email: object) -> None:
            if rng.random() < 0.3:
                self.fail_before = 1
            super().send(email)  # type: ignore[arg-type]

    shop, sender = FaultyShop(), FaultySender()
    comms = Comms(store, TemplateRenderer(), sender, clock, policy())
    w = OutboxService(
        store,
        {"email": comms, "fulfillment": FulfillmentHandler(shop)},
        clock,
        policy=OutboxPolicy(max_attempts=30, backoff_base_s=1, backoff_max_s=8),
        rng=random.Random(3),
    )
    for _ in range(100):
        w.run_once()
        clock.advance(seconds=10)
        if store.outbox.counts()[OutboxState.DELIVERED] == 200:
            break
    assert store.outbox.counts()[OutboxState.DELIVERED] == 200
    assert len(shop.fulfillments) == 100
    assert len({f.order_id for f in shop.fulfillments}) == 100
    assert len(sender.sent) == 100
    assert len({e.key for e in sender.sent}) == 100
    retried = [i for i in store.outbox.items() if i.attempts > 1]
    assert len(retried) > 30  # the faults really happened
