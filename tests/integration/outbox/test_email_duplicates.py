"""E-mails whose sending outcome is unclear: SMTP stays exact, SendGrid sends at most one
extra copy per lost answer, and an e-mail whose answer was lost twice waits for a person.

SendGrid is the sandbox's `/v3/mail/send` with its fault injection; SMTP is a real aiosmtpd
server on loopback that refuses and hangs up at random."""

from __future__ import annotations

import random
import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.smtp import SmtpSender
from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import NewOutboxItem, OutboxItem, OutboxState
from packdesk.domain.outbox import DeliveryFailed, email_key
from packdesk.domain.ports import EmailSender
from packdesk.sandbox.server import SandboxServer
from packdesk.services.comms import Comms, CommsPolicy
from packdesk.services.outbox import OutboxPolicy, OutboxService

from .outbox_helpers import MovableClock, make_order, make_purchase

POLICY = CommsPolicy(from_address="orders@brightminds.example", shop_name="Bright Minds Learning")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(orders=2) as server:
        yield server


@pytest.fixture
def control(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """The control API, on a sandbox with no faults and no mail."""
    assert sandbox.info is not None
    sandbox.reset()
    with httpx.Client(base_url=sandbox.info.control_url, timeout=10) as client:
        yield client
    sandbox.reset()


def sendgrid(sandbox: SandboxServer) -> SendGridSender:
    assert sandbox.info is not None
    return SendGridSender(
        sandbox.info.sendgrid_api_key, endpoint=sandbox.info.sendgrid_url, timeout_s=5
    )


def shipping_notices(store: SqliteStore, clock: MovableClock, count: int, first: int) -> None:
    """`count` orders with their shipping notice waiting in the outbox."""
    for number in range(first, first + count):
        order = make_order(number, email=f"customer{number}@example.com")
        store.orders.save(order)
        purchase = make_purchase(order)
        notice = NewOutboxItem(
            kind="email",
            dedupe_key=email_key("shipping_confirmation", order.id),
            order_id=order.id,
            payload={
                "template": "shipping_confirmation",
                "to": order.email,
                "tracking_number": purchase.tracking_number,
                "tracking_url": purchase.tracking_url,
                "carrier": "USPS",
            },
        )
        store.outbox.add([notice], clock.now())


def deliver_all(store: SqliteStore, clock: MovableClock, sender: EmailSender) -> list[OutboxItem]:
    """Run the outbox until no e-mail is waiting (moving its clock past every backoff);
    returns the rows as they ended."""
    worker = OutboxService(
        store,
        {"email": Comms(store, TemplateRenderer(), sender, clock, POLICY)},
        clock,
        policy=OutboxPolicy(max_attempts=40, parallel=4),
        rng=random.Random(3),
    )
    try:
        for _ in range(200):
            worker.run_once()
            if not store.outbox.items([OutboxState.PENDING]):
                break
            clock.advance(hours=2)
    finally:
        worker.close()
    return store.outbox.items(limit=1000)


def copies_by_key(messages: list[dict[str, Any]]) -> Counter[str]:
    return Counter(
        next(v for k, v in m["headers"].items() if k.lower() == "x-packdesk-key") for m in messages
    )


# -- what each sender can tell ---------------------------------------------------------------


def test_sendgrid_tells_a_lost_answer_from_an_e_mail_that_never_went(
    sandbox: SandboxServer, control: httpx.Client, store: SqliteStore, clock: MovableClock
) -> None:
    shipping_notices(store, clock, 1, 3001)
    [row] = store.outbox.items()
    order = store.orders.get(str(row.order_id))
    assert order is not None
    email = Comms(store, TemplateRenderer(), None, clock, POLICY).compose(
        row, "shipping_confirmation", order, order.email
    )

    def attempt(fault: dict[str, float], sender: SendGridSender) -> tuple[DeliveryFailed, int]:
        control.delete("/mail")
        control.put("/faults", json={"sendgrid": fault})
        with pytest.raises(DeliveryFailed) as failed:
            sender.send(email)
        return failed.value, len(control.get("/mail").json())

    lost, kept = attempt({"commit_then_drop_rate": 1.0}, sendgrid(sandbox))
    assert (lost.unclear, lost.permanent, kept) == (True, False, 1)
    assert f"packdesk_key {email.key}" in str(lost)
    dropped, kept = attempt({"drop_rate": 1.0}, sendgrid(sandbox))
    assert (dropped.unclear, kept) == (True, 0)  # looks the same from here: "may have"
    refused, kept = attempt({"error_rate": 1.0}, sendgrid(sandbox))
    assert (refused.unclear, refused.permanent, kept) == (False, False, 0)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    away, _ = attempt({}, SendGridSender("SG.key", endpoint=nowhere, timeout_s=5))
    assert (away.unclear, away.permanent) == (False, False)
    assert "nothing was sent" in str(away)


# -- the bounds ------------------------------------------------------------------------------


def test_an_e_mail_whose_answer_is_lost_twice_stops_for_a_person(
    sandbox: SandboxServer, control: httpx.Client, store: SqliteStore, clock: MovableClock
) -> None:
    shipping_notices(store, clock, 1, 3101)
    control.put("/faults", json={"sendgrid": {"commit_then_drop_rate": 1.0}})
    [row] = deliver_all(store, clock, sendgrid(sandbox))
    assert row.state is OutboxState.DEAD
    assert (row.attempts, row.unclear) == (2, 2)  # sent, lost; sent again, lost; stop
    assert "Not sent again: 2 answers were lost" in row.last_error
    assert f"`packdesk outbox retry {row.id}`" in row.last_error
    assert copies_by_key(control.get("/mail").json()) == {row.dedupe_key: 2}

    control.delete("/faults")
    service = OutboxService(store, {}, clock)
    assert service.retry(row.id)  # a person looked and wants it sent once more
    [row] = deliver_all(store, clock, sendgrid(sandbox))
    assert (row.state, row.unclear) == (OutboxState.DELIVERED, 0)
    assert copies_by_key(control.get("/mail").json()) == {row.dedupe_key: 3}


def test_sendgrid_sends_at_most_one_extra_copy_per_lost_answer(
    sandbox: SandboxServer, control: httpx.Client, store: SqliteStore, clock: MovableClock
) -> None:
    shipping_notices(store, clock, 40, 3201)
    control.put(
        "/faults",
        json={"sendgrid": {"commit_then_drop_rate": 0.3, "drop_rate": 0.1, "error_rate": 0.1}},
    )
    rows = deliver_all(store, clock, sendgrid(sandbox))
    copies = copies_by_key(control.get("/mail").json())

    assert len(rows) == 40
    for row in rows:
        sent = copies[row.dedupe_key]
        assert sent <= 1 + row.unclear, row  # at most one extra copy per lost answer
        assert sent <= 1 + OutboxPolicy().max_unclear, row  # and one resend after it
        if row.state is OutboxState.DELIVERED:
            assert sent >= 1
        else:
            assert row.state is OutboxState.DEAD
            assert "Not sent again" in row.last_error
    assert sum(r.unclear for r in rows) >= 5  # answers were lost
    assert any(copies[r.dedupe_key] == 2 for r in rows)  # and copies made, as they can be


class FlakyMailServer:
    """A real SMTP server that refuses (451) or hangs up before it has the message, at
    random; whatever it accepts it keeps."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.kept: list[bytes] = []
        self.faults = 0

    def _roll(self) -> float:
        value = self.rng.random()
        self.faults += value < 0.3
        return value

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        roll = self._roll()
        if roll < 0.15:
            server.transport.abort()
        if roll < 0.3:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._roll() < 0.3:
            return "451 4.3.0 Queue full, try again later"
        self.kept.append(envelope.content)
        return "250 OK"


def test_smtp_stays_exact_through_refusals_and_hang_ups(
    store: SqliteStore, clock: MovableClock
) -> None:
    shipping_notices(store, clock, 40, 3301)
    mail = FlakyMailServer(seed=5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(mail, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        rows = deliver_all(store, clock, SmtpSender("127.0.0.1", port, security="none"))
    finally:
        controller.stop()
    assert [r.state for r in rows] == [OutboxState.DELIVERED] * 40
    assert all(r.unclear == 0 for r in rows)
    keys = Counter(
        line.split(b":", 1)[1].strip().decode()
        for message in mail.kept
        for line in message.splitlines()
        if line.lower().startswith(b"x-packdesk-key:")
    )
    assert keys == {r.dedupe_key: 1 for r in rows}  # each exactly once
    assert mail.faults >= 10
