"""The SMTP and SendGrid senders against real servers on loopback: aiosmtpd (plain,
STARTTLS with login, implicit TLS) and a SendGrid-shaped HTTP receiver."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.smtp import SmtpSender
from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.adapters.store import SqliteStore
from packdesk.domain.models import OutboxItem, OutboxState
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail
from packdesk.services.comms import Comms, CommsPolicy

from .outbox_helpers import MovableClock, make_order, make_purchase

POLICY = CommsPolicy(from_address="orders@brightminds.example", shop_name="Bright Minds Learning")
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def shipping_email(
    store: SqliteStore, clock: MovableClock, logo: Path | None = None
) -> OutgoingEmail:
    order = make_order(1001)
    store.orders.save(order)
    purchase = make_purchase(order)
    comms = Comms(store, TemplateRenderer(logo_path=logo), None, clock, POLICY)
    item = OutboxItem(
        id=1,
        kind="email",
        dedupe_key=f"email:shipping_confirmation:{order.id}",
        order_id=order.id,
        payload={
            "template": "shipping_confirmation",
            "to": order.email,
            "tracking_number": purchase.tracking_number,
            "tracking_url": purchase.tracking_url,
            "carrier": "USPS",
        },
        state=OutboxState.PENDING,
        created_at=clock.now(),
        next_attempt_at=clock.now(),
    )
    return comms.compose(item, "shipping_confirmation", order, order.email)


def check_message(raw: bytes, sent: OutgoingEmail) -> EmailMessage:
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["From"].addresses[0].display_name == "Bright Minds Learning"
    assert msg["From"].addresses[0].addr_spec == "orders@brightminds.example"
    assert msg["To"] == "maya@example.com"
    assert msg["Subject"] == "Your order #1001 is on its way"
    assert msg["Message-ID"] == sent.message_id
    assert parsedate_to_datetime(msg["Date"]).tzinfo is not None
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None
    assert html is not None
    tracking_url = "https://tools.usps.com/go/TrackConfirmAction?tLabels=940011110010000"
    assert tracking_url in text.get_content()
    assert f'href="{tracking_url}"' in html.get_content()
    for part in (text.get_content(), html.get_content()):
        assert "{{" not in part
        assert "Undefined" not in part
    return msg


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_smtp_plain_delivers_both_parts_and_headers(
    mailbox: tuple[Mailbox, int], store: SqliteStore, clock: MovableClock
) -> None:
    box, port = mailbox
    email = shipping_email(store, clock)
    SmtpSender("127.0.0.1", port, security="none").send(email)
    [(mail_from, rcpts, raw)] = box.messages
    assert mail_from == "orders@brightminds.example"
    assert rcpts == ["maya@example.com"]
    check_message(raw, email)


def test_smtp_logo_travels_inline_next_to_the_html(
    mailbox: tuple[Mailbox, int], store: SqliteStore, clock: MovableClock, tmp_path: Path
) -> None:
    box, port = mailbox
    logo = tmp_path / "logo.png"
    logo.write_bytes(LOGO)
    email = shipping_email(store, clock, logo)
    assert 'src="cid:logo@packdesk"' in email.html
    SmtpSender("127.0.0.1", port, security="none").send(email)
    msg = check_message(box.messages[0][2], email)
    [image] = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<logo@packdesk>"
    assert image.get_payload(decode=True) == LOGO


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl binary to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth: Any
) -> AuthResult:
    ok = isinstance(auth, LoginPassword) and (auth.login, auth.password) == (b"shop", b"s3cret")
    return AuthResult(success=ok, handled=False)


def test_smtp_starttls_with_login(
    store: SqliteStore, clock: MovableClock, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    box, port = Mailbox(), free_port()
    controller = Controller(
        box, hostname="127.0.0.1", port=port, tls_context=server_tls,
        require_starttls=True, authenticator=authenticator, auth_require_tls=True,
    )  # fmt: skip
    controller.start()
    try:
        client_tls = ssl.create_default_context(cafile=str(cert))
        email = shipping_email(store, clock)
        SmtpSender(
            "127.0.0.1", port, security="starttls", username="shop", password="s3cret",
            ssl_context=client_tls,
        ).send(email)  # fmt: skip
        check_message(box.messages[0][2], email)
        with pytest.raises(DeliveryFailed, match="rejected the login") as failed:
            SmtpSender(
                "127.0.0.1", port, security="starttls", username="shop", password="wrong",
                ssl_context=client_tls,
            ).send(email)  # fmt: skip
        assert not failed.value.permanent
    finally:
        controller.stop()


def test_smtp_implicit_tls(
    store: SqliteStore, clock: MovableClock, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, ssl_context=server_tls)
    controller.start()
    try:
        email = shipping_email(store, clock)
        SmtpSender(
            "127.0.0.1",
            port,
            security="ssl",
            ssl_context=ssl.create_default_context(cafile=str(cert)),
        ).send(email)
        check_message(box.messages[0][2], email)
    finally:
        controller.stop()


def test_smtp_server_away_is_a_retryable_failure(store: SqliteStore, clock: MovableClock) -> None:
    with pytest.raises(DeliveryFailed, match="Cannot reach the mail server") as failed:
        SmtpSender("127.0.0.1", free_port(), security="none", timeout_s=2).send(
            shipping_email(store, clock)
        )
    assert not failed.value.permanent


class SendGridStub(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], dict[str, Any]]]
    statuses: list[int]

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, dict(self.headers), body))
        status = self.statuses.pop(0) if self.statuses else 202
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sendgrid() -> Iterator[type[SendGridStub]]:
    handler = type("Stub", (SendGridStub,), {"received": [], "statuses": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # a short poll so that shutdown() returns at once instead of after the default 0.5 s
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}/sendgrid"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def test_sendgrid_posts_v3_mail_send_with_both_parts(
    sendgrid: Any, store: SqliteStore, clock: MovableClock
) -> None:
    email = shipping_email(store, clock)
    SendGridSender("SG.test-key", endpoint=sendgrid.url).send(email)
    [(path, headers, body)] = sendgrid.received
    assert path == "/sendgrid/v3/mail/send"
    assert headers["Authorization"] == "Bearer SG.test-key"
    assert body["personalizations"] == [{"to": [{"email": "maya@example.com"}]}]
    assert body["from"] == {"email": "orders@brightminds.example", "name": "Bright Minds Learning"}
    assert body["subject"] == "Your order #1001 is on its way"
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert "tLabels=940011110010000" in body["content"][0]["value"]
    assert body["headers"]["Message-ID"] == email.message_id
    assert body["custom_args"] == {"packdesk_key": email.key}


@pytest.mark.parametrize(
    ("status", "permanent"), [(401, True), (400, True), (429, False), (503, False)]
)
def test_sendgrid_refusals_are_sorted_for_retry(
    sendgrid: Any, store: SqliteStore, clock: MovableClock, status: int, permanent: bool
) -> None:
    sendgrid.statuses.append(status)
    with pytest.raises(DeliveryFailed) as failed:
        SendGridSender("SG.test-key", endpoint=sendgrid.url).send(shipping_email(store, clock))
    assert failed.value.permanent is permanent
    assert "SG.test-key" not in str(failed.value)


class HangsUp(Mailbox):
    """A real SMTP server that hangs up at one step: before the recipient is taken, after it
    has the whole message (and keeps it) but before it answers, or at QUIT."""

    def __init__(self, at: str) -> None:
        super().__init__()
        self.at = at

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.at == "rcpt":
            server.transport.abort()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        if self.at == "data":
            server.transport.abort()
        return answer

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        if self.at == "quit":
            server.transport.abort()
        return "221 Bye"


@pytest.mark.parametrize(
    ("at", "kept", "unclear"),
    [
        ("rcpt", 0, False),  # nothing was sent, and SMTP can tell
        ("data", 1, True),  # the one moment SMTP cannot tell: the message may be queued
    ],
)
def test_smtp_says_whether_a_broken_connection_may_have_sent_the_message(
    store: SqliteStore, clock: MovableClock, at: str, kept: int, unclear: bool
) -> None:
    box, port = HangsUp(at), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(DeliveryFailed) as failed:
            SmtpSender("127.0.0.1", port, security="none", timeout_s=5).send(
                shipping_email(store, clock)
            )
    finally:
        controller.stop()
    assert len(box.messages) == kept
    assert failed.value.unclear is unclear
    assert not failed.value.permanent
    said = str(failed.value)
    assert ("may have queued it" in said) is unclear
    assert ("nothing was sent" in said) is not unclear


def test_smtp_hanging_up_at_quit_after_taking_the_message_is_a_success(
    store: SqliteStore, clock: MovableClock
) -> None:
    box, port = HangsUp("quit"), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        SmtpSender("127.0.0.1", port, security="none", timeout_s=5).send(
            shipping_email(store, clock)
        )
    finally:
        controller.stop()
    assert len(box.messages) == 1


class Refuses(Mailbox):
    def __init__(self, step: str, answer: str) -> None:
        super().__init__()
        self.step = step
        self.answer = answer

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.step == "rcpt":
            return self.answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return self.answer


@pytest.mark.parametrize(
    ("step", "answer", "permanent"),
    [
        ("rcpt", "450 4.2.1 Mailbox busy, try later", False),
        ("rcpt", "550 5.1.1 No such user", True),
        ("data", "451 4.3.0 Try again later", False),
        ("data", "554 5.7.1 Spam", True),
    ],
)
def test_smtp_refusals_are_clear_and_only_5xx_are_final(
    store: SqliteStore, clock: MovableClock, step: str, answer: str, permanent: bool
) -> None:
    port = free_port()
    controller = Controller(Refuses(step, answer), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(DeliveryFailed) as failed:
            SmtpSender("127.0.0.1", port, security="none", timeout_s=5).send(
                shipping_email(store, clock)
            )
    finally:
        controller.stop()
    assert failed.value.permanent is permanent
    assert failed.value.unclear is False
