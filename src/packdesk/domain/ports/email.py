"""Customer emails: the templates that word them and the service that sends them."""

from __future__ import annotations

from typing import Protocol

from packdesk.domain.outbox import OutgoingEmail, RenderedEmail


class EmailRenderer(Protocol):
    def render(self, template: str, context: dict[str, object]) -> RenderedEmail:
        """Subject, text and HTML of an email template; raises ValueError on template errors."""
        ...

    def guide(self, sku: str) -> tuple[str, str, str] | None:
        """The usage guide for a SKU as (title, text, html), or None when it has none."""
        ...

    def generic_guide(self) -> tuple[str, str, str]: ...

    def logo(self) -> bytes | None:
        """The shop's logo PNG, if one is configured or shipped."""
        ...


class EmailSender(Protocol):
    def send(self, email: OutgoingEmail) -> None:
        """Hand the email to SMTP or SendGrid. Raises `DeliveryFailed`."""
        ...
