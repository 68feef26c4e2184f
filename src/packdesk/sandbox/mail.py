"""Email the sandbox receives: a SendGrid v3 `mail/send` endpoint (with `scopes`, which
tells what an API key may do) and an SMTP server.

Both keep every message in a `MailBox`, parsed into the control API's shape
`{"via", "from", "to", "subject", "text", "html", "headers", "attachments"}` (each
attachment `{"filename", "type", "content"}`, the content base64), so tests and the demo can
read what a customer or a supplier would have got.
"""

from __future__ import annotations

import base64
import re
import socket
import threading
import uuid
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import getaddresses
from typing import Any

from aiosmtpd.controller import Controller
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class MailBox:
    """Every message received, oldest first; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[dict[str, Any]] = []

    def add(self, message: dict[str, Any]) -> None:
        with self._lock:
            self._messages.append(message)

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


def _error(message: str, field: str | None, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "field": field, "help": None}]}, status_code=status
    )


def _address(value: Any, field: str) -> tuple[str | None, str | None]:
    """(formatted address, error) for a SendGrid `{"email", "name"}` object."""
    if not isinstance(value, dict) or not isinstance(value.get("email"), str):
        return None, f"The {field} object must be provided and contain an email."
    email = value["email"]
    if not EMAIL_RE.match(email):
        return None, "Does not contain a valid address."
    name = value.get("name")
    return (f"{name} <{email}>" if name else email), None


def _check_sendgrid(body: Any) -> tuple[list[dict[str, Any]], JSONResponse | None]:
    """Messages built from a v3 mail/send body, or SendGrid's 400 for the first problem."""
    if not isinstance(body, dict):
        return [], _error("Bad Request", None)
    sender, problem = _address(body.get("from"), "from")
    if problem:
        return [], _error(problem, "from.email")
    personalizations = body.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        return [], _error(
            "The personalizations field is required and must have at least one personalization.",
            "personalizations",
        )
    content = body.get("content")
    text = html = None
    if not body.get("template_id"):
        if not isinstance(content, list) or not content:
            return [], _error(
                "Unless a valid template_id is provided, the content parameter is required. "
                "There must be at least one defined content block.",
                "content",
            )
        for index, block in enumerate(content):
            if not isinstance(block, dict) or not block.get("type") or not block.get("value"):
                return [], _error(
                    "The content value must be a string at least one character in length.",
                    f"content.{index}.value",
                )
            if block["type"] == "text/plain":
                text = block["value"]
            elif block["type"] == "text/html":
                html = block["value"]
    messages = []
    for index, personalization in enumerate(personalizations):
        to = personalization.get("to") if isinstance(personalization, dict) else None
        if not isinstance(to, list) or not to:
            return [], _error(
                "The to array is required for all personalization objects, "
                "and must have at least one email object with a valid email address.",
                f"personalizations.{index}.to",
            )
        recipients = []
        for position, item in enumerate(to):
            formatted, problem = _address(item, "to")
            if problem or formatted is None:
                return [], _error(
                    problem or "invalid", f"personalizations.{index}.to.{position}.email"
                )
            recipients.append(formatted)
        subject = personalization.get("subject") or body.get("subject")
        if not subject and not body.get("template_id"):
            return [], _error(
                "The subject is required. You can get around this requirement if you use a "
                "template with a subject defined or if every personalization has a subject defined.",
                "subject",
            )
        headers = {**(body.get("headers") or {}), **(personalization.get("headers") or {})}
        messages.append(
            {
                "via": "sendgrid",
                "from": sender,
                "to": recipients,
                "subject": subject or "",
                "text": text,
                "html": html,
                "headers": {str(k): str(v) for k, v in headers.items()},
                "attachments": [
                    {
                        "filename": str(a.get("filename", "")),
                        "type": str(a.get("type", "")),
                        "content": str(a.get("content", "")),
                    }
                    for a in body.get("attachments") or []
                    if isinstance(a, dict) and a.get("disposition", "attachment") == "attachment"
                ],
            }
        )
    return messages, None


FULL_ACCESS = (
    "alerts.read",
    "mail.batch.read",
    "mail.send",
    "stats.read",
    "suppression.read",
    "templates.read",
    "user.profile.read",
)
"""Some of the scopes of a full-access SendGrid API key (a real one lists about a hundred)."""


class SendGridKeys:
    """API key → its scopes; the sandbox's own key has full access, the control API makes
    restricted ones (`POST /control/sendgrid/keys {"scopes": [...]}`)."""

    def __init__(self, default_key: str) -> None:
        self.default_key = default_key
        self._lock = threading.Lock()
        self._scopes: dict[str, tuple[str, ...]] = {default_key: FULL_ACCESS}

    def scopes(self, authorization: str | None) -> tuple[str, ...] | None:
        """The scopes of the key in an `Authorization: Bearer KEY` header, None if unknown."""
        key = (authorization or "").removeprefix("Bearer ").strip()
        with self._lock:
            return self._scopes.get(key)

    def make(self, scopes: list[str]) -> str:
        key = f"SG.{uuid.uuid4().hex[:22]}.{uuid.uuid4().hex}"
        with self._lock:
            self._scopes[key] = tuple(sorted(set(scopes)))
        return key

    def reset(self) -> None:
        with self._lock:
            self._scopes = {self.default_key: FULL_ACCESS}


def _refused_key() -> JSONResponse:
    return _error("The provided authorization grant is invalid, expired, or revoked", None, 401)


def sendgrid_routes(mailbox: MailBox, keys: SendGridKeys) -> list[BaseRoute]:
    """`POST /sendgrid/v3/mail/send`: 202 with an X-Message-Id, 401, 403 or 400 like SendGrid;
    `GET /sendgrid/v3/scopes`: the key's scopes (a call that sends nothing)."""

    async def scopes(request: Request) -> Response:
        found = keys.scopes(request.headers.get("authorization"))
        if found is None:
            return _refused_key()
        return JSONResponse({"scopes": list(found)})

    async def mail_send(request: Request) -> Response:
        found = keys.scopes(request.headers.get("authorization"))
        if found is None:
            return _refused_key()
        if "mail.send" not in found:
            return _error("access forbidden", None, 403)
        try:
            body = await request.json()
        except ValueError:
            return _error("Bad Request", None)
        messages, problem = _check_sendgrid(body)
        if problem is not None:
            return problem
        for message in messages:
            mailbox.add(message)
        return Response(status_code=202, headers={"X-Message-Id": uuid.uuid4().hex[:22]})

    return [
        Route("/sendgrid/v3/mail/send", mail_send, methods=["POST"]),
        Route("/sendgrid/v3/scopes", scopes, methods=["GET"]),
    ]


def parse_smtp(data: bytes, envelope_to: list[str]) -> dict[str, Any]:
    """A received MIME message in the control API's shape."""
    message = message_from_bytes(data, policy=default_policy)
    assert isinstance(message, EmailMessage)
    text = html = None
    attachments: list[dict[str, str]] = []
    for part in message.walk() if message.is_multipart() else [message]:
        if part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            attachments.append(
                {
                    "filename": part.get_filename() or "",
                    "type": part.get_content_type(),
                    "content": base64.b64encode(
                        payload if isinstance(payload, bytes) else b""
                    ).decode("ascii"),
                }
            )
            continue
        if part.get_content_maintype() == "multipart" or part.get_filename():
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and text is None:
            text = str(part.get_content())
        elif kind == "text/html" and html is None:
            html = str(part.get_content())
    to = [addr for _, addr in getaddresses(message.get_all("to", []))] or list(envelope_to)
    return {
        "via": "smtp",
        "from": str(message.get("from", "")),
        "to": to,
        "subject": str(message.get("subject", "")),
        "text": text,
        "html": html,
        "headers": {key: str(value) for key, value in message.items()},
        "attachments": attachments,
    }


class _Handler:
    def __init__(self, mailbox: MailBox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        data = content if isinstance(content, bytes) else str(content).encode()
        self.mailbox.add(parse_smtp(data, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """aiosmtpd in its own thread, no auth, no TLS: loopback only."""

    def __init__(self, mailbox: MailBox, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.mailbox = mailbox
        self._fixed = port != 0
        self.port = port or free_port(host)
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen; a picked free port taken meanwhile by someone else is picked again."""
        for attempt in range(3):
            controller = Controller(_Handler(self.mailbox), hostname=self.host, port=self.port)
            try:
                controller.start()
            except (OSError, RuntimeError):
                if self._fixed or attempt == 2:
                    raise
                self.port = free_port(self.host)
                continue
            self._controller = controller
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
