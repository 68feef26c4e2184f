"""Errors the Shopify adapter raises, each a sentence a person can act on."""

from __future__ import annotations


class ShopifyError(RuntimeError):
    """Shopify could not be asked or refused the request; the message says what to do."""


class ShopifyAuthError(ShopifyError):
    """The access token is missing, wrong or lacks a scope (401/403): retrying cannot help."""


class ShopifyScopeError(ShopifyAuthError):
    """Shopify answered ACCESS_DENIED: the token lacks an access scope (scopes.py says what
    breaks without each); retrying cannot help until the app is granted it."""

    def __init__(self, operation: str, scopes: list[str], message: str) -> None:
        self.operation = operation
        self.scopes = scopes
        """The scope handles Shopify named, those packdesk needs first."""
        super().__init__(message)


class ShopifyUnavailable(ShopifyError):
    """Shopify kept failing (5xx, timeouts, dropped connections) after every retry."""


class ShopifyQueryError(ShopifyError):
    """Shopify answered with GraphQL errors other than throttling."""

    def __init__(
        self,
        operation: str,
        messages: list[str],
        codes: list[str],
        extensions: list[dict[str, object]] | None = None,
    ) -> None:
        self.operation = operation
        self.messages = messages
        self.codes = codes
        self.extensions = extensions or []
        hint = ""
        if "MAX_COST_EXCEEDED" in codes:
            hint = " The query asks for too much at once: lower [sync].page_size."
        super().__init__(f"Shopify refused {operation}: {'; '.join(messages)}.{hint}")
