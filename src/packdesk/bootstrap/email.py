"""Customer emails: the sender [email].sender names, the templates, and the comms policy."""

from __future__ import annotations

from packdesk.adapters.email.sendgrid import SendGridSender
from packdesk.adapters.email.smtp import SmtpSender
from packdesk.adapters.email.templates import TemplateRenderer
from packdesk.bootstrap.printers import logo_path
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail
from packdesk.domain.ports import EmailRenderer, EmailSender
from packdesk.domain.unsubscribe import UnsubscribeLinks
from packdesk.services.comms import CommsPolicy
from packdesk.settings import Settings


class NoEmailSender:
    """The sender of `[email].sender = "none"`: every email it is given waits in the outbox
    with the sentence that says how to switch sending on."""

    def send(self, email: OutgoingEmail) -> None:
        raise DeliveryFailed(
            "No email sender is configured: set [email].sender to smtp or sendgrid."
        )


def email_sender_for(settings: Settings) -> EmailSender:
    """SMTP, SendGrid, or the sender that sends nothing, as [email].sender says."""
    email = settings.email
    if email.sender == "smtp":
        return SmtpSender(
            email.smtp_host,
            email.smtp_port,
            security=email.smtp_security,
            username=email.smtp_username,
            password=email.smtp_password.get_secret_value(),
            timeout_s=email.timeout_s,
        )
    if email.sender == "sendgrid":
        return SendGridSender(
            email.sendgrid_api_key.get_secret_value(),
            endpoint=email.sendgrid_endpoint,
            timeout_s=email.timeout_s,
        )
    return NoEmailSender()


def email_sender_problem(settings: Settings) -> str:
    """Whether [email]'s sender could send, asked without sending: SMTP greets, secures and
    logs in, then quits before MAIL; SendGrid lists the key's scopes. "" when it could, else
    the problem as a sentence."""
    email = settings.email
    if email.sender == "smtp":
        smtp = SmtpSender(
            email.smtp_host,
            email.smtp_port,
            security=email.smtp_security,
            username=email.smtp_username,
            password=email.smtp_password.get_secret_value(),
            timeout_s=min(email.timeout_s, 10.0),
        )
        return smtp.check()
    if email.sender == "sendgrid":
        if not email.sendgrid_api_key.get_secret_value():
            return "no SendGrid API key: set [email].sendgrid_api_key"
        sendgrid = SendGridSender(
            email.sendgrid_api_key.get_secret_value(),
            endpoint=email.sendgrid_endpoint,
            timeout_s=min(email.timeout_s, 10.0),
        )
        try:
            return sendgrid.check()
        finally:
            sendgrid.close()
    return ""


def email_renderer_for(settings: Settings) -> EmailRenderer:
    """The email templates packdesk ships with, carrying the shop's logo."""
    return TemplateRenderer(logo_path=logo_path(settings))


def comms_policy(settings: Settings, shop_name: str) -> CommsPolicy:
    """Which emails go out and when: [email], [email.kinds] and [brand], from `shop_name`."""
    kinds = settings.email.kinds
    return CommsPolicy(
        from_address=settings.email.from_address,
        shop_name=shop_name,
        shop_url=f"https://{settings.shopify.shop}",
        primary_color=settings.brand.primary_color,
        enabled={
            "order_confirmation": kinds.order_confirmation,
            "shipping_confirmation": kinds.shipping_confirmation,
            "usage_guide": kinds.usage_guide,
            "review_request": kinds.review_request,
        },
        guide_days=kinds.guide_days,
        review_days=kinds.review_days,
        review_url=kinds.review_url,
        marketing_requires_consent=kinds.marketing_requires_consent,
        confirmation_max_age_h=kinds.confirmation_max_age_h,
        unsubscribe=unsubscribe_links(settings),
    )


def unsubscribe_links(settings: Settings) -> UnsubscribeLinks | None:
    """The signer of marketing e-mails' unsubscribe links: [webhooks].public_url, where the
    receiver serves them, and [email].unsubscribe_secret; None while either is missing."""
    url = settings.webhooks.public_url
    key = settings.email.unsubscribe_secret.get_secret_value()
    return UnsubscribeLinks(url, key) if url and key else None


def shopify_sends_shipping_email(settings: Settings) -> bool:
    """Whether Shopify sends its own shipping email on fulfillmentCreate ([outbox]
    notify_customer; `auto` means only when packdesk sends none itself)."""
    choice = settings.outbox.notify_customer
    if choice != "auto":
        return choice == "on"
    packdesk_sends = settings.email.sender != "none" and settings.email.kinds.shipping_confirmation
    return not packdesk_sends
