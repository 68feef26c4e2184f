"""One-click unsubscribe links (RFC 8058) for marketing e-mails, signed so that only the
address an e-mail went to can be unsubscribed by its link.

A link is `<public_url>/unsubscribe?e=<address, base64url>&s=<HMAC-SHA256 of it>`. The mail
carries it as `List-Unsubscribe: <link>` with `List-Unsubscribe-Post:
List-Unsubscribe=One-Click`, so a mail client can unsubscribe with one POST and no page; a
person clicking it in the e-mail gets a page with one button. Links do not expire: an
unsubscribe must work however old the e-mail is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

LIST_UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click"
"""The `List-Unsubscribe-Post` header's value, and the body a one-click POST carries."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class UnsubscribeLinks:
    """Makes and checks the signed unsubscribe links of one station's marketing e-mails."""

    def __init__(self, public_url: str, key: str) -> None:
        if not public_url or not key:
            raise ValueError("unsubscribe links need the receiver's public URL and a key")
        self.base = public_url.rstrip("/") + "/unsubscribe"
        self._key = key.encode("utf-8")

    def _signature(self, address: str) -> str:
        message = b"unsubscribe:" + address.encode("utf-8")
        return _b64(hmac.new(self._key, message, hashlib.sha256).digest())

    def link(self, email: str) -> str:
        """The link that unsubscribes `email`."""
        address = email.strip().lower()
        encoded = _b64(address.encode("utf-8"))
        return f"{self.base}?e={encoded}&s={self._signature(address)}"

    def address(self, encoded: str, signature: str) -> str | None:
        """The address a link's `e` and `s` stand for, or None when the signature is not ours
        (a link made up or changed)."""
        try:
            address = _unb64(encoded).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        expected = self._signature(address).encode("ascii")
        if not address or not hmac.compare_digest(expected, signature.encode("utf-8")):
            return None
        return address
