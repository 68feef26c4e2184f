"""The webhook receiver over real HTTP on loopback, signed with our own HMAC."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packdesk.adapters.shopify.receiver import MAX_BODY, build_receiver
from packdesk.adapters.shopify.server import ReceiverServer
from packdesk.adapters.shopify.webhooks import sign, verify
from packdesk.adapters.store import SqliteStore
from packdesk.domain.shop import HANDLED_TOPICS, WebhookDelivery

SECRET = "sandbox-webhook-secret"
SHOP = "packdesk-demo.myshopify.com"
ORDER = {"id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Order/820982911946154508"}


@dataclass
class Receiver:
    url: str
    store: SqliteStore
    delivered: list[WebhookDelivery] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    store = SqliteStore.open(Path(tmp_path_factory.mktemp("wh")) / "packdesk.db")
    delivered: list[WebhookDelivery] = []
    app = build_receiver(store.webhooks, SECRET, SHOP, delivered.append, lambda: datetime.now(UTC))
    server = ReceiverServer(app, "127.0.0.1", 0)
    url = server.start()
    yield Receiver(url + "/webhooks", store, delivered)
    server.stop()
    store.close()


def headers(body: bytes, *, event: str = "evt-1", topic: str = "orders/create") -> dict[str, str]:
    return {
        "X-Shopify-Hmac-Sha256": sign(body, SECRET),
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Event-Id": event,
        "X-Shopify-Webhook-Id": f"wh-{event}",
        "X-Shopify-API-Version": "2025-10",
        "Content-Type": "application/json",
    }


def test_hmac_matches_shopify_documented_example() -> None:
    # HMAC-SHA256 is defined over the raw bytes; a re-serialised body would not verify.
    body = b'{"id":1,"note":"caf\xc3\xa9"}'
    assert verify(body, sign(body, "s3cret"), "s3cret")
    assert not verify(body + b" ", sign(body, "s3cret"), "s3cret")
    assert not verify(body, sign(body, "s3cret"), "other")
    assert not verify(body, None, "s3cret")
    assert not verify(body, sign(body, ""), "")


def test_a_valid_webhook_delivered_three_times_is_stored_once(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    before = receiver.store.webhooks.count()
    answers = [
        httpx.post(receiver.url, content=body, headers=headers(body, event="evt-three"))
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["duplicate"] for a in answers] == [False, True, True]
    assert receiver.store.webhooks.count() == before + 1
    assert [d.webhook_id for d in receiver.delivered].count("wh-evt-three") == 1
    pending = {d.webhook_id: d for d in receiver.store.webhooks.pending()}
    stored = pending["wh-evt-three"]
    assert stored.resource_id == "gid://shopify/Order/820982911946154508"
    assert stored.topic == "orders/create"
    assert stored.payload == body.decode()


def test_a_delivery_without_an_event_id_is_stored_by_its_webhook_id(receiver: Receiver) -> None:
    body = json.dumps({"id": 5}).encode()
    h = headers(body, event="x")
    del h["X-Shopify-Event-Id"]
    h["X-Shopify-Webhook-Id"] = "only-webhook-id"
    assert httpx.post(receiver.url, content=body, headers=h).json() == {
        "ok": True,
        "duplicate": False,
    }
    assert httpx.post(receiver.url, content=body, headers=h).json()["duplicate"] is True


def test_topics_of_one_merchant_action_share_an_event_id_and_are_all_kept(
    receiver: Receiver,
) -> None:
    """One sale makes orders/create and inventory_levels/update (and orders/updated) with
    one X-Shopify-Event-Id and a webhook id each: none may be taken for another's retry."""
    order = json.dumps({"id": 6}).encode()
    level = json.dumps(
        {"inventory_item_id": 271878346596884015, "location_id": 24826418, "available": 9}
    ).encode()
    sent = [
        (order, "orders/create", "wh-sale-1"),
        (order, "orders/updated", "wh-sale-2"),
        (level, "inventory_levels/update", "wh-sale-3"),
    ]
    for body, topic, webhook_id in sent:
        h = {**headers(body, event="sale-1", topic=topic), "X-Shopify-Webhook-Id": webhook_id}
        answer = httpx.post(receiver.url, content=body, headers=h)
        assert answer.json() == {"ok": True, "duplicate": False}, topic
    stored = {d.webhook_id: d for d in receiver.store.webhooks.pending()}
    assert [stored[w].topic for _, _, w in sent] == [t for _, t, _ in sent]
    assert {stored[w].event_id for _, _, w in sent} == {"sale-1"}
    assert (stored["wh-sale-3"].resource_id, stored["wh-sale-3"].location_id) == (
        "gid://shopify/InventoryItem/271878346596884015",
        "gid://shopify/Location/24826418",
    )
    retry = {**headers(order, event="sale-1"), "X-Shopify-Webhook-Id": "wh-sale-1"}
    assert httpx.post(receiver.url, content=order, headers=retry).json()["duplicate"] is True


def test_a_stock_body_without_its_ids_is_400(receiver: Receiver) -> None:
    body = json.dumps({"id": 7, "available": 3}).encode()
    h = headers(body, event="level-no-ids", topic="inventory_levels/update")
    assert _rejected(receiver, body, h) == 400


def _rejected(receiver: Receiver, body: bytes, h: dict[str, str]) -> int:
    before = receiver.store.webhooks.count()
    seen = len(receiver.delivered)
    status = httpx.post(receiver.url, content=body, headers=h).status_code
    assert receiver.store.webhooks.count() == before
    assert len(receiver.delivered) == seen
    return status


def test_bad_signature_is_401_and_stores_nothing(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event="bad-sig")
    h["X-Shopify-Hmac-Sha256"] = sign(body, "wrong-secret")
    assert _rejected(receiver, body, h) == 401


def test_missing_signature_is_401(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event="no-sig")
    del h["X-Shopify-Hmac-Sha256"]
    assert _rejected(receiver, body, h) == 401


def test_a_body_changed_after_signing_is_401(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event="tampered")
    assert _rejected(receiver, body.replace(b"8209", b"9209"), h) == 401


def test_truncated_json_is_400(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()[:-7]
    assert _rejected(receiver, body, headers(body, event="truncated")) == 400


def _ignored(receiver: Receiver, body: bytes, h: dict[str, str]) -> str:
    """A genuine delivery packdesk will never use: acknowledged (so that Shopify does not
    send it again, it retries anything but 2xx) and dropped; returns the stated reason."""
    before = receiver.store.webhooks.count()
    seen = len(receiver.delivered)
    answer = httpx.post(receiver.url, content=body, headers=h)
    assert answer.status_code == 200
    assert answer.json()["ok"] is False
    assert receiver.store.webhooks.count() == before
    assert len(receiver.delivered) == seen
    return str(answer.json()["ignored"])


def test_an_unhandled_topic_is_acknowledged_and_dropped(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    reason = _ignored(receiver, body, headers(body, event="t", topic="products/create"))
    assert reason == "topic 'products/create' is not handled"


def test_a_signed_delivery_for_another_shop_is_acknowledged_and_dropped(
    receiver: Receiver,
) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event="other-shop")
    h["X-Shopify-Shop-Domain"] = "someone-else.myshopify.com"
    reason = _ignored(receiver, body, h)
    assert reason == f"this receiver serves {SHOP}, not someone-else.myshopify.com"
    h["X-Shopify-Shop-Domain"] = SHOP.upper()  # domains compare without case
    assert httpx.post(receiver.url, content=body, headers=h).json() == {
        "ok": True,
        "duplicate": False,
    }


def test_an_unsigned_request_for_another_shop_is_still_401(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event="unsigned-other-shop")
    h["X-Shopify-Shop-Domain"] = "someone-else.myshopify.com"
    h["X-Shopify-Hmac-Sha256"] = sign(body, "not-the-secret")
    assert _rejected(receiver, body, h) == 401


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/xml", ""]
)
def test_a_body_that_is_not_application_json_is_415(receiver: Receiver, content_type: str) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event=f"type-{content_type}")
    h["Content-Type"] = content_type
    assert _rejected(receiver, body, h) == 415


def test_json_with_a_charset_is_json(receiver: Receiver) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event="charset")
    h["Content-Type"] = "application/json; charset=utf-8"
    assert httpx.post(receiver.url, content=body, headers=h).status_code == 200


def test_a_signed_order_of_almost_5_mb_is_stored(receiver: Receiver) -> None:
    body = json.dumps({**ORDER, "note": "x" * (MAX_BODY - 200)}).encode()
    assert len(body) <= MAX_BODY
    answer = httpx.post(receiver.url, content=body, headers=headers(body, event="big"))
    assert answer.json() == {"ok": True, "duplicate": False}


def raw_post(url: str, head: dict[str, str], body: Iterable[bytes]) -> tuple[bytes, int]:
    """POST over a plain socket, sending `body` until the receiver answers or hangs up, while
    a thread reads the answer; returns the answer's status line and headers, and how many
    body bytes went out."""
    target = httpx.URL(url)
    assert target.port is not None
    answer = bytearray()
    with socket.create_connection((target.host, target.port), timeout=30) as sock:
        lines = [f"POST {target.path} HTTP/1.1", f"Host: {target.host}"]
        lines += [f"{name}: {value}" for name, value in head.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

        def read() -> None:
            try:
                while b"\r\n\r\n" not in answer and (more := sock.recv(65536)):
                    answer.extend(more)
            except OSError:
                pass

        reader = threading.Thread(target=read)
        reader.start()
        sent = 0
        try:
            for chunk in body:
                if b"\r\n\r\n" in answer:
                    break
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the receiver hung up
        reader.join(30)
    return bytes(answer).partition(b"\r\n\r\n")[0], sent


def chunked(total: int, piece: int = 1 << 16) -> Iterator[bytes]:
    """`total` bytes of a chunked body in pieces, then the last chunk."""
    block = f"{piece:x}\r\n".encode() + b"x" * piece + b"\r\n"
    for _ in range(total // piece):
        yield block
    yield b"0\r\n\r\n"


def test_a_declared_length_over_5_mb_is_refused_before_the_body_is_sent(
    receiver: Receiver,
) -> None:
    before = receiver.store.webhooks.count()
    head = {**headers(b"{}", event="declared-huge"), "Content-Length": str(1 << 30)}
    answer, _ = raw_post(receiver.url, head, ())  # not one byte of the body
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in answer.lower()
    assert receiver.store.webhooks.count() == before


def test_a_chunked_body_is_cut_off_at_5_mb(receiver: Receiver) -> None:
    before = receiver.store.webhooks.count()
    head = {**headers(b"{}", event="chunked-huge"), "Transfer-Encoding": "chunked"}
    answer, sent = raw_post(receiver.url, head, chunked(1 << 30))
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < 64 * 1024 * 1024  # cut off near 5 MB, not read to the end
    assert receiver.store.webhooks.count() == before


@pytest.mark.parametrize(
    "header", ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id"]
)
def test_missing_headers_are_400(receiver: Receiver, header: str) -> None:
    body = json.dumps(ORDER).encode()
    h = headers(body, event=f"missing-{header}")
    del h[header]
    assert _rejected(receiver, body, h) == 400


def test_json_that_is_not_an_order_is_400(receiver: Receiver) -> None:
    body = b'["not", "an", "order"]'
    assert _rejected(receiver, body, headers(body, event="list")) == 400


header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40).map(
    str.strip
)
header_values = st.one_of(st.none(), header_text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=300),
    signature=header_values,
    topic=st.one_of(header_values, st.sampled_from(["orders/create", "orders/updated"])),
    event=header_values,
    shop=header_values,
)
def test_random_unsigned_requests_never_store_anything(
    receiver: Receiver,
    body: bytes,
    signature: str | None,
    topic: str | None,
    event: str | None,
    shop: str | None,
) -> None:
    h = {
        k: v
        for k, v in {
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Topic": topic,
            "X-Shopify-Event-Id": event,
            "X-Shopify-Shop-Domain": shop,
        }.items()
        if v is not None
    }
    assert _rejected(receiver, body, h) in (400, 401, 415)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=300),
    topic=header_text,
)
def test_signed_garbage_is_400_unknown_topics_are_dropped_and_nothing_is_stored(
    receiver: Receiver, body: bytes, topic: str
) -> None:
    handled = topic in HANDLED_TOPICS
    try:
        data = json.loads(body)
        is_order = isinstance(data, dict) and ("id" in data or "admin_graphql_api_id" in data)
    except ValueError:
        is_order = False
    if is_order and handled:
        return  # a valid delivery; covered above
    h = headers(body, event="garbage")
    h["X-Shopify-Topic"] = topic
    if topic and not handled:
        assert _ignored(receiver, body, h) == f"topic {topic!r} is not handled"
    else:
        assert _rejected(receiver, body, h) == 400


@pytest.fixture
def receiver_process(tmp_path: Path) -> Iterator[tuple[str, Callable[[], int]]]:
    """The receiver in a process of its own: its URL, and a probe of its peak RSS."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("receiver_process.py")),
            str(tmp_path / "packdesk.db"),
            SECRET,
            SHOP,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    stdin, stdout = process.stdin, process.stdout

    def peak() -> int:
        stdin.write("peak\n")
        stdin.flush()
        return int(stdout.readline())

    try:
        yield stdout.readline().strip() + "/webhooks", peak
    finally:
        stdin.close()
        process.wait(30)


def test_memory_stays_flat_under_a_1_gib_chunked_request(
    receiver_process: tuple[str, Callable[[], int]],
) -> None:
    url, peak = receiver_process
    body = json.dumps(ORDER).encode()
    assert httpx.post(url, content=body, headers=headers(body, event="warm")).status_code == 200
    before = peak()
    head = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Event-Id": "huge",
        "Transfer-Encoding": "chunked",
    }  # unsigned, as an attacker would send it
    answer, sent = raw_post(url, head, chunked(1 << 30))
    grown = peak() - before
    assert grown < 32 * 1024 * 1024, f"peak RSS grew by {grown / 2**20:.0f} MiB"
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < 64 * 1024 * 1024
    body = json.dumps({**ORDER, "id": 7}).encode()
    after = httpx.post(url, content=body, headers=headers(body, event="after-huge"))
    assert after.json() == {"ok": True, "duplicate": False}  # and it still works
