"""An `OutgoingEmail` as a MIME message: multipart/alternative with text and HTML.

With an inline logo the HTML part becomes multipart/related (HTML + image), which every
mail client shows as one message with the image in place. A marketing e-mail carries its
one-click unsubscribe headers; attached files (a report's PDF) make the whole
multipart/mixed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from packdesk.domain.outbox import OutgoingEmail
from packdesk.domain.unsubscribe import LIST_UNSUBSCRIBE_POST


def list_unsubscribe_headers(email: OutgoingEmail) -> dict[str, str]:
    """`List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) of a marketing e-mail; none
    for a transactional one."""
    if not email.unsubscribe_url:
        return {}
    return {
        "List-Unsubscribe": f"<{email.unsubscribe_url}>",
        "List-Unsubscribe-Post": LIST_UNSUBSCRIBE_POST,
    }


def build_message(email: OutgoingEmail, *, date: datetime | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((email.from_name, email.from_address))
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Message-ID"] = email.message_id
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["X-Packdesk-Key"] = email.key
    for name, value in list_unsubscribe_headers(email).items():
        msg[name] = value
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    if email.images:
        html_part = next(p for p in msg.iter_parts() if p.get_content_type() == "text/html")
        assert isinstance(html_part, EmailMessage)
        for image in email.images:
            maintype, _, subtype = image.mime_type.partition("/")
            html_part.add_related(
                image.data,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image.content_id}>",
                filename=image.filename,
            )
    for attachment in email.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        msg.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return msg
