"""One-click unsubscribe (RFC 8058) end to end: a marketing e-mail through the sandbox's SMTP
and SendGrid carries `List-Unsubscribe` and `List-Unsubscribe-Post`; the link, POSTed to the
webhook receiver's HTTP server as a mail client does, puts the address on the suppression
list before the answer comes back; a GET or a forged link changes nothing."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.bootstrap import Container
from packdesk.domain.models import OutboxItem, OutboxState
from packdesk.domain.outbox import OutgoingEmail
from packdesk.sandbox.server import SandboxInfo, SandboxServer
from packdesk.settings import load_settings

from .outbox_helpers import make_order


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def station(
    sandbox_server: SandboxServer, sandbox: SandboxInfo, tmp_path: Path
) -> Iterator[tuple[Container, str]]:
    """A station on the sandbox whose receiver listens at its public URL."""
    config = tmp_path / "config.toml"
    sandbox_server.write_config(config, tmp_path / "data")
    public = f"http://127.0.0.1:{free_port()}"
    text = config.read_text().replace(
        "[email]\n", '[email]\nunsubscribe_secret = "a-long-random-key-for-links"\n'
    )
    config.write_text(text + f'\n[webhooks]\npublic_url = "{public}"\n')
    with Container(load_settings(config)) as container:
        server, _worker = container.webhook_receiver("127.0.0.1", int(public.rsplit(":", 1)[1]))
        server.start()
        try:
            yield container, public
        finally:
            server.stop()


def guide_for(container: Container, email: str) -> OutgoingEmail:
    order = make_order(4242, email=email)
    container.store.orders.save(order)
    now = container.clock.now()
    item = OutboxItem(
        id=1,
        kind="email",
        dedupe_key=f"email:usage_guide:{order.id}:BM-ABC-01",
        order_id=order.id,
        payload={"template": "usage_guide", "to": email, "sku": "BM-ABC-01"},
        state=OutboxState.PENDING,
        created_at=now,
        next_attempt_at=now,
    )
    return container.comms.compose(item, "usage_guide", order, email)


def received(sandbox: SandboxInfo) -> list[dict[str, Any]]:
    mail: list[dict[str, Any]] = httpx.get(f"{sandbox.control_url}/mail", timeout=10).json()
    return mail


def test_the_link_in_a_marketing_email_unsubscribes_with_one_post(
    station: tuple[Container, str], sandbox: SandboxInfo
) -> None:
    container, public = station
    container.email_sender.send(guide_for(container, "maya@example.com"))
    [mail] = received(sandbox)
    headers = mail["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{public}/unsubscribe?e=")

    page = httpx.get(link, timeout=10)  # a person's click, or a mail scanner's
    assert page.status_code == 200
    assert '<form method="post"' in page.text
    assert not container.store.outbox.is_suppressed("maya@example.com")

    one_click = httpx.post(
        link,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert one_click.status_code == 200
    assert "You are unsubscribed" in one_click.text
    assert container.store.outbox.is_suppressed("maya@example.com")


def test_a_forged_link_unsubscribes_no_one(
    station: tuple[Container, str], sandbox: SandboxInfo
) -> None:
    container, _public = station
    link = guide_for(container, "maya@example.com").unsubscribe_url
    other = base64.urlsafe_b64encode(b"sam@example.com").decode().rstrip("=")
    mine = link.split("?e=")[1].split("&")[0]
    forged = link.replace(f"e={mine}", f"e={other}")
    for url in (forged, link.replace("&s=", "&s=x"), link.split("&s=")[0]):
        answer = httpx.post(url, content="List-Unsubscribe=One-Click", timeout=10)
        assert answer.status_code == 400
        assert "This link is not valid" in answer.text
    assert not container.store.outbox.is_suppressed("sam@example.com")
    assert not container.store.outbox.is_suppressed("maya@example.com")


def test_sendgrid_carries_the_same_headers_and_transactional_mail_none(
    station: tuple[Container, str], sandbox: SandboxInfo
) -> None:
    container, public = station
    sendgrid = SendGridSender(sandbox.sendgrid_api_key, endpoint=sandbox.sendgrid_url)
    guide = guide_for(container, "maya@example.com")
    sendgrid.send(guide)
    sendgrid.send(guide.model_copy(update={"unsubscribe_url": "", "key": "email:shipping"}))
    marketing, transactional = received(sandbox)
    assert marketing["headers"]["List-Unsubscribe"] == f"<{guide.unsubscribe_url}>"
    assert marketing["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in transactional["headers"]
    assert "List-Unsubscribe-Post" not in transactional["headers"]
    assert guide.unsubscribe_url.startswith(public)
