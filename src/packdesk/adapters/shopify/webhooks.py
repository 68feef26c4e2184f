"""Shopify webhook signatures: HMAC-SHA256 of the raw body with the app's client secret.

Shopify sends `X-Shopify-Hmac-Sha256: base64(HMAC-SHA256(secret, raw body))`. The check runs
over the exact bytes received (never a re-serialised JSON) and compares in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from packdesk.domain.shop import HANDLED_TOPICS

TOPICS = frozenset(HANDLED_TOPICS)
"""The topics the receiver accepts; each names an order or a stock level to read again."""


def sign(body: bytes, secret: str) -> str:
    """The `X-Shopify-Hmac-Sha256` value Shopify would send for `body`."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `signature` is Shopify's for `body`; False for a missing one or no secret."""
    if not signature or not secret:
        return False
    expected = sign(body, secret).encode("ascii")
    try:
        given = signature.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected, given)
