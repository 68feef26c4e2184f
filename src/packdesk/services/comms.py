"""Customer emails: what is sent, to whom, when, and what is deliberately not sent.

Kinds (templates in assets/templates/email/):

- `order_confirmation` (transactional, off by default: Shopify usually sends its own),
  planned for orders that reach the station while young;
- `shipping_confirmation` (transactional), written with the fulfillment when the label is
  bought (services/effects.py), with the tracking link;
- `usage_guide` (marketing), one per (order, SKU) that has a guide in assets/guides/, or one
  generic guide when none of the order's SKUs has one, `guide_days` after delivery;
- `review_request` (marketing), once per order, `review_days` after delivery.

"After delivery" is on the carrier's clock: the time of the tracking event that says
DELIVERED, not the time packdesk's tracking job noticed it, and the guide says how long ago
that was.

Marketing kinds are not sent to an address on the suppression list, nor (when
`marketing_requires_consent`) to a customer who did not accept marketing, nor at all without
a one-click unsubscribe link to carry (RFC 8058: `List-Unsubscribe` with a signed HTTPS link
the webhook receiver serves, which Gmail and Yahoo require of bulk senders); such rows are
settled SKIPPED with the reason, so the operator can see why. Transactional kinds ignore
all three and carry no unsubscribe link: a customer who unsubscribed from marketing still
needs their tracking number. The link's POST lands the address on the suppression list at
once (`unsubscribe`).
Each kind is one outbox row per dedupe key, so it is sent at most once per (order, kind).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from packdesk.domain.clock import Clock
from packdesk.domain.models import NewOutboxItem, Order, OutboxItem
from packdesk.domain.outbox import (
    Delivery,
    DeliveryFailed,
    InlineImage,
    Outcome,
    OutgoingEmail,
    email_key,
    message_id_for,
)
from packdesk.domain.ports import EmailRenderer, EmailSender, Store
from packdesk.domain.remaining import parcel_contents, with_quantities
from packdesk.domain.unsubscribe import UnsubscribeLinks

KINDS = ("order_confirmation", "shipping_confirmation", "usage_guide", "review_request")
MARKETING_KINDS = frozenset({"usage_guide", "review_request"})
LOGO_CID = "logo@packdesk"
CONFIRMATIONS_PER_RUN = 100
"""Order confirmations planned per run at most; the next run plans the rest."""
NO_UNSUBSCRIBE_LINK = (
    "marketing e-mails need a one-click unsubscribe link: set [webhooks].public_url and "
    "[email].unsubscribe_secret, and run the webhook receiver (docs/email.md)"
)
UNSUBSCRIBED = "unsubscribed with the link in a marketing e-mail"


@dataclass(frozen=True)
class CommsPolicy:
    from_address: str
    shop_name: str
    shop_url: str = ""
    primary_color: str = "#2E6B4F"
    enabled: dict[str, bool] = field(
        default_factory=lambda: {
            "order_confirmation": False,
            "shipping_confirmation": True,
            "usage_guide": True,
            "review_request": True,
        }
    )
    guide_days: int = 3
    review_days: int = 14
    review_url: str = ""
    """Where the review request links to; `{order_number}` and `{order_name}` are filled in."""
    marketing_requires_consent: bool = True
    confirmation_max_age_h: int = 24
    unsubscribe: UnsubscribeLinks | None = None
    """Signs the one-click unsubscribe links of marketing e-mails; None sends none of them."""


def skip(note: str) -> Delivery:
    return Delivery(outcome=Outcome.SKIPPED, note=note)


class Comms:
    def __init__(
        self,
        store: Store,
        renderer: EmailRenderer,
        sender: EmailSender | None,
        clock: Clock,
        policy: CommsPolicy,
    ) -> None:
        self.store = store
        self.renderer = renderer
        self.sender = sender
        self.clock = clock
        self.policy = policy

    # -- planning (outbox planners) -------------------------------------------------------

    def schedule_followups(self, order: Order, delivered_at: datetime) -> bool:
        """Write the order's guide and review rows, due `guide_days` and `review_days` after
        `delivered_at` (when the carrier delivered), together with the mark that they were
        planned; False, writing nothing, when they were planned before. Tracking calls it in
        the transaction that records the delivery."""
        items = self.followups(order, delivered_at)
        now = self.clock.now()
        with self.store.transaction():  # the rows and the mark, or neither
            if not self.store.outbox.mark_planned(order.id, delivered_at, now):
                return False
            self.store.outbox.schedule(items, now)
        return True

    def plan_followups(self) -> int:
        """Catch up on DELIVERED orders whose guide and review rows were never written
        (tracking writes them with the delivery, from the carrier's date; these have only
        the time the station recorded, and count from that). Returns the orders planned."""
        planned = 0
        for order_id, recorded_at in self.store.outbox.delivered_unplanned():
            order = self.store.orders.get(order_id)
            if order is None:
                with self.store.transaction():
                    self.store.outbox.mark_planned(order_id, recorded_at, self.clock.now())
            else:
                self.schedule_followups(order, recorded_at)
            planned += 1
        return planned

    def followups(
        self, order: Order, delivered_at: datetime
    ) -> list[tuple[NewOutboxItem, datetime]]:
        to = order.email or order.customer.email
        if not to:
            return []
        delivered = {"delivered_at": delivered_at.isoformat()}
        items: list[tuple[NewOutboxItem, datetime]] = []
        if self.policy.enabled.get("usage_guide"):
            due = delivered_at + timedelta(days=self.policy.guide_days)
            skus = list(dict.fromkeys(li.sku for li in order.line_items if li.sku))
            guided = [sku for sku in skus if self.renderer.guide(sku) is not None]
            for sku in guided or ["*"]:
                email = self._email("usage_guide", order, to, f":{sku}", sku=sku, **delivered)
                items.append((email, due))
        if self.policy.enabled.get("review_request"):
            due = delivered_at + timedelta(days=self.policy.review_days)
            items.append((self._email("review_request", order, to, **delivered), due))
        return items

    def plan_confirmations(self) -> int:
        """Order confirmations for young orders at the station (when switched on)."""
        if not self.policy.enabled.get("order_confirmation"):
            return 0
        now = self.clock.now()
        since = now - timedelta(hours=self.policy.confirmation_max_age_h)
        young = self.store.station.young_orders(since)
        keys = {order_id: email_key("order_confirmation", order_id) for order_id in young}
        known = self.store.outbox.known_keys(list(keys.values()))
        rows = []
        for order_id in [o for o in young if keys[o] not in known][:CONFIRMATIONS_PER_RUN]:
            order = self.store.orders.get(order_id)
            to = order and (order.email or order.customer.email)
            if order and to:
                rows.append((self._email("order_confirmation", order, to), now))
        if not rows:
            return 0
        return self.store.outbox.schedule(rows, now)

    def plan(self) -> None:
        self.plan_confirmations()
        self.plan_followups()

    @staticmethod
    def _email(
        template: str, order: Order, to: str, suffix: str = "", **extra: str
    ) -> NewOutboxItem:
        return NewOutboxItem(
            kind="email",
            dedupe_key=email_key(template, order.id, suffix),
            order_id=order.id,
            payload={"template": template, "order_id": order.id, "to": to, **extra},
        )

    # -- delivery (the outbox's `email` handler) ------------------------------------------

    def __call__(self, item: OutboxItem) -> Delivery:
        p = item.payload
        template = str(p.get("template") or "")
        to = str(p.get("to") or "").strip()
        if template not in KINDS:
            raise DeliveryFailed(f"Unknown email template {template!r}.", permanent=True)
        if not self.policy.enabled.get(template, False):
            return skip(f"{template} emails are switched off ([email.kinds])")
        if not to or "@" not in to:
            return skip("the order has no usable email address")
        order = self.store.orders.get(item.order_id or str(p.get("order_id") or ""))
        if order is None:
            raise DeliveryFailed(
                f"Order {item.order_id} is not in the local database; run a sync, then "
                "`packdesk outbox retry`.",
                permanent=True,
            )
        if template in MARKETING_KINDS:
            if self.store.outbox.is_suppressed(to):
                return skip(f"{to} is on the suppression list")
            if self.policy.marketing_requires_consent and not order.customer.accepts_marketing:
                return skip("the customer has not accepted marketing emails")
            if self.policy.unsubscribe is None:
                return skip(NO_UNSUBSCRIBE_LINK)
        if self.sender is None:
            raise DeliveryFailed(
                "No email sender is configured: set [email].sender to smtp or sendgrid."
            )
        email = self.compose(item, template, order, to)
        self.sender.send(email)
        return Delivery(note=f"sent to {to}")

    def compose(self, item: OutboxItem, template: str, order: Order, to: str) -> OutgoingEmail:
        """Render the item's template for its order; template errors are permanent."""
        logo = self.renderer.logo()
        context = self.context(template, order, item.payload, has_logo=logo is not None)
        links = self.policy.unsubscribe
        unsubscribe_url = links.link(to) if links and template in MARKETING_KINDS else ""
        context["unsubscribe_url"] = unsubscribe_url
        try:
            rendered = self.renderer.render(template, context)
        except ValueError as exc:
            raise DeliveryFailed(str(exc), permanent=True) from exc
        images = (InlineImage(content_id=LOGO_CID, filename="logo.png", data=logo),) if logo else ()
        return OutgoingEmail(
            key=item.dedupe_key,
            message_id=message_id_for(item.dedupe_key, self.policy.from_address),
            from_address=self.policy.from_address,
            from_name=self.policy.shop_name,
            to=to,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            images=images,
            unsubscribe_url=unsubscribe_url,
        )

    def unsubscribe(self, email: str) -> None:
        """Put `email` on the suppression list now: the one-click unsubscribe link's POST."""
        self.store.outbox.suppress(email, UNSUBSCRIBED, self.clock.now())

    def context(
        self, template: str, order: Order, payload: dict[str, object], *, has_logo: bool
    ) -> dict[str, object]:
        p = self.policy
        address = order.shipping_address
        if template == "shipping_confirmation":
            order = parcel_of(order, payload)
        context: dict[str, object] = {
            "shop": {
                "name": p.shop_name,
                "url": p.shop_url,
                "color": p.primary_color,
                "logo_cid": LOGO_CID if has_logo else "",
                "email": p.from_address,
            },
            "order": {
                "id": order.id,
                "name": order.name,
                "number": order.number,
                "customer_name": (address.name if address else "") or order.customer.name,
                "lines": [
                    {
                        "title": li.title,
                        "variant_title": li.variant_title,
                        "sku": li.sku,
                        "quantity": li.quantity,
                    }
                    for li in order.line_items
                ],
                "total": f"{order.total_price:.2f}",
                "currency": order.currency,
                "address": address.model_dump() if address else {},
            },
            "marketing": template in MARKETING_KINDS,
            "unsubscribe_url": "",
        }
        if template == "shipping_confirmation":
            context["tracking"] = {
                "number": str(payload.get("tracking_number") or ""),
                "url": str(payload.get("tracking_url") or ""),
                "carrier": str(payload.get("carrier") or ""),
            }
        if template == "usage_guide":
            sku = str(payload.get("sku") or "*")
            guide = self.renderer.guide(sku) if sku != "*" else None
            title, text, html = guide or self.renderer.generic_guide()
            product = next((li.title for li in order.line_items if li.sku == sku), "your order")
            context["guide"] = {
                "sku": sku,
                "title": title,
                "text": text,
                "html": html,
                "product": product,
            }
            context["arrived"] = arrived(_moment(payload.get("delivered_at")), self.clock.now())
        if template == "review_request":
            context["review_url"] = p.review_url.format(
                order_number=order.number, order_name=order.name
            )
        return context


def parcel_of(order: Order, payload: dict[str, object]) -> Order:
    """The order as a shipping confirmation's parcel holds it: the `items` written with the
    label, else what Shopify's fulfillment with its tracking number carried, else what
    remains to ship."""
    items = payload.get("items")
    if isinstance(items, list) and items:
        quantities: dict[str, int] = {}
        for item in items:
            if isinstance(item, dict):
                key = str(item.get("line_item_id") or "")
                quantities[key] = quantities.get(key, 0) + int(item.get("quantity") or 0)
        return with_quantities(order, quantities)
    return parcel_contents(order, "", [str(payload.get("tracking_number") or "")])


def arrived(delivered_at: datetime | None, now: datetime) -> str:
    """When the parcel arrived, as the e-mail says it after "Your order #1001": "has
    arrived" on the day, then "arrived a day ago", "arrived 3 days ago", "arrived 2 weeks
    ago". Counted from the carrier's delivery time, so it is true whatever the configured
    delay and however late the e-mail goes out."""
    if delivered_at is None:
        return "has arrived"
    days = max(0, (now - delivered_at).days)
    if days == 0:
        return "has arrived"
    if days == 1:
        return "arrived a day ago"
    if days < 14:
        return f"arrived {days} days ago"
    if days < 60:
        return f"arrived {days // 7} weeks ago"
    return "arrived a while ago"


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
