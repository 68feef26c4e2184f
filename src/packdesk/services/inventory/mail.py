"""E-mails to the owner and to suppliers (the low-stock digest, purchase orders), delivered
by the outbox as `business_email` items: `{"to", "subject", "text", "attachments": [{
"filename", "mime_type", "data" (base64)}]}`. The dedupe key is the e-mail's Message-ID
seed, so a resend after a lost answer carries the same id."""

from __future__ import annotations

import base64
import binascii
import html
from collections.abc import Sequence
from typing import Any

from packdesk.domain.models import NewOutboxItem, OutboxItem
from packdesk.domain.outbox import (
    Attachment,
    Delivery,
    DeliveryFailed,
    OutgoingEmail,
    message_id_for,
)
from packdesk.domain.ports import EmailSender

KIND = "business_email"


def business_email(
    key: str, to: str, subject: str, text: str, attachments: Sequence[Attachment] = ()
) -> NewOutboxItem:
    """The outbox row of one e-mail to the owner or a supplier."""
    return NewOutboxItem(
        kind=KIND,
        dedupe_key=key,
        payload={
            "to": to,
            "subject": subject,
            "text": text,
            "attachments": [
                {
                    "filename": a.filename,
                    "mime_type": a.mime_type,
                    "data": base64.b64encode(a.data).decode("ascii"),
                }
                for a in attachments
            ],
        },
    )


class BusinessMail:
    """The outbox handler of `business_email` items."""

    def __init__(self, sender: EmailSender, *, from_address: str, from_name: str) -> None:
        self.sender = sender
        self.from_address = from_address
        self.from_name = from_name

    def __call__(self, item: OutboxItem) -> Delivery:
        p: dict[str, Any] = item.payload
        try:
            to = str(p["to"]).strip()
            attachments = tuple(
                Attachment(
                    filename=str(a["filename"]),
                    mime_type=str(a["mime_type"]),
                    data=base64.b64decode(str(a["data"]), validate=True),
                )
                for a in p.get("attachments") or []
            )
            subject, text = str(p["subject"]), str(p["text"])
        except (KeyError, TypeError, binascii.Error) as exc:
            raise DeliveryFailed(
                f"E-mail item {item.dedupe_key} has a malformed payload ({exc}).", permanent=True
            ) from exc
        if "@" not in to:
            raise DeliveryFailed(
                f"E-mail item {item.dedupe_key} has no usable address ({to!r}).", permanent=True
            )
        self.sender.send(
            OutgoingEmail(
                key=item.dedupe_key,
                message_id=message_id_for(item.dedupe_key, self.from_address),
                from_address=self.from_address,
                from_name=self.from_name,
                to=to,
                subject=subject,
                text=text,
                html=f'<pre style="font-family: sans-serif">{html.escape(text)}</pre>',
                attachments=attachments,
            )
        )
        return Delivery(note=f"sent to {to}")
