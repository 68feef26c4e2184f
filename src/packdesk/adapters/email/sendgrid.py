"""SendGrid v3 sender (httpx): `POST {endpoint}/v3/mail/send` with a Bearer key.

The message carries the dedupe key twice: as `custom_args.packdesk_key` (shown in
SendGrid's Email Activity and event webhooks, so a copy can be traced to its outbox row)
and as a stable Message-ID header derived from it. 2xx is success; 400/401/403/404/413 are
permanent; 429 and 5xx are retried: SendGrid answered, so nothing was sent.

SendGrid has no idempotency key, and its Email Activity API (a paid add-on, filled with a
delay) cannot settle the question in time, so what a failure means is told apart by when
it happened: before the request was complete (cannot connect, the write broke) nothing was
sent; after it (a read timeout, the connection dropped while waiting) SendGrid may have
accepted it, and the failure says so (`unclear`): the outbox then resends it a bounded
number of times, each resend at most one extra copy.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx

from packdesk.adapters.email.mime import list_unsubscribe_headers
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail

PERMANENT = frozenset({400, 401, 403, 404, 413})
NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.LocalProtocolError,
)
"""Failures before the request was complete: SendGrid did not get the e-mail."""


class SendGridSender:
    def __init__(
        self,
        api_key: str,
        *,
        endpoint: str = "",
        timeout_s: float = 30.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.base = (endpoint or "https://api.sendgrid.com").rstrip("/")
        self.url = f"{self.base}/v3/mail/send"
        self._api_key = api_key
        self.client = client or httpx.Client(timeout=timeout_s)

    def payload(self, email: OutgoingEmail) -> dict[str, object]:
        body: dict[str, object] = {
            "personalizations": [{"to": [{"email": email.to}]}],
            "from": {"email": email.from_address, "name": email.from_name},
            "subject": email.subject,
            "content": [
                {"type": "text/plain", "value": email.text},
                {"type": "text/html", "value": email.html},
            ],
            "headers": {
                "Message-ID": email.message_id,
                "Date": format_datetime(datetime.now(UTC)),
                "X-Packdesk-Key": email.key,
                **list_unsubscribe_headers(email),
            },
            "custom_args": {"packdesk_key": email.key},
        }
        attachments: list[dict[str, str]] = [
            {
                "content": base64.b64encode(image.data).decode("ascii"),
                "type": image.mime_type,
                "filename": image.filename,
                "disposition": "inline",
                "content_id": image.content_id,
            }
            for image in email.images
        ]
        attachments += [
            {
                "content": base64.b64encode(a.data).decode("ascii"),
                "type": a.mime_type,
                "filename": a.filename,
                "disposition": "attachment",
            }
            for a in email.attachments
        ]
        if attachments:
            body["attachments"] = attachments
        return body

    def send(self, email: OutgoingEmail) -> None:
        try:
            response = self.client.post(
                self.url,
                json=self.payload(email),
                headers={"Authorization": f"Bearer {self._api_key}"},
            )
        except NOT_SENT as exc:
            raise DeliveryFailed(
                f"Cannot reach SendGrid ({type(exc).__name__}); nothing was sent. Will retry."
            ) from exc
        except httpx.HTTPError as exc:
            raise DeliveryFailed(
                f"SendGrid's answer was lost ({type(exc).__name__}) after the e-mail went out, "
                f"so it may have accepted it; its Email Activity shows it under "
                f"packdesk_key {email.key}.",
                unclear=True,
            ) from exc
        if 200 <= response.status_code < 300:
            return
        detail = response.text[:300]
        if response.status_code in PERMANENT:
            hint = " Check [email].sendgrid_api_key." if response.status_code in (401, 403) else ""
            raise DeliveryFailed(
                f"SendGrid refused the email ({response.status_code}): {detail}.{hint}",
                permanent=True,
            )
        raise DeliveryFailed(f"SendGrid answered {response.status_code}; will retry.")

    def check(self) -> str:
        """Ask SendGrid which scopes the API key has (`GET /v3/scopes`, which sends nothing):
        "" when it may send mail, else the problem as a sentence with the fix."""
        try:
            response = self.client.get(
                f"{self.base}/v3/scopes", headers={"Authorization": f"Bearer {self._api_key}"}
            )
        except httpx.HTTPError as exc:
            return f"cannot reach SendGrid at {self.base} ({type(exc).__name__}): check the network"
        if response.status_code in (401, 403):
            return (
                f"SendGrid refused the API key ({response.status_code}): check "
                "[email].sendgrid_api_key"
            )
        if response.status_code != 200:
            return f"SendGrid answered {response.status_code} to a scopes check; try again later"
        try:
            scopes = response.json().get("scopes") or []
        except (ValueError, AttributeError):
            return "SendGrid's answer to a scopes check could not be read; try again later"
        if "mail.send" not in scopes:
            return (
                "the SendGrid API key may not send mail: give it the Mail Send permission "
                "(SendGrid → Settings → API Keys → Edit → Mail Send: Full Access)"
            )
        return ""

    def close(self) -> None:
        self.client.close()
