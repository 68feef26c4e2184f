"""The settings model: every section and key of the config, each documented where it is
declared; `config.example.toml` repeats the docstrings as comments. Tokens are `SecretStr`:
they never appear in logs, reprs or the database.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from packdesk.domain.customs import CustomsProduct
from packdesk.domain.models import Box
from packdesk.settings.base import Section
from packdesk.settings.business import (
    AmazonSettings,
    AnalyticsSettings,
    InventorySettings,
    MetricsSettings,
    ReportSettings,
)

APP_NAME = "packdesk"


class StationSettings(Section):
    name: str = "CA-1"
    """Name of this packing station, shown in the status bar and the audit log."""
    location: str = "CA"
    """The Shopify location this station ships from: its name (`CA Warehouse`), its code (the
    first word of the name) or its id; `packdesk doctor` lists the shop's locations."""
    data_dir: str = ""
    """Folder for packdesk.db, labels, slips and logs; empty means the platform's data dir."""

    def resolved_data_dir(self) -> Path:
        if self.data_dir:
            return Path(self.data_dir).expanduser()
        return Path(platformdirs.user_data_dir(APP_NAME))


class ShopifySettings(Section):
    shop: str = "example.myshopify.com"
    """The shop's myshopify.com domain; the webhook receiver drops deliveries for any other."""
    api_version: str = "2026-10"
    """Admin API version packdesk asks for; packdesk is written for 2026-10. Shopify answers
    a version past its twelve months of support with the oldest one it still supports, and
    `packdesk doctor`, the status bar and the log then say so."""
    access_token: SecretStr = SecretStr("")
    """Admin API access token of the packdesk custom app (starts with `shpat_`), with the
    access scopes `packdesk doctor` checks."""
    webhook_secret: SecretStr = SecretStr("")
    """The app's client secret: it signs the deliveries of the app's subscriptions (`packdesk
    webhooks subscribe`), and the receiver verifies each with it."""
    endpoint: str = ""
    """Base URL override (the sandbox uses it); empty means https://<shop>."""
    timeout_s: float = 20.0
    """Seconds to wait for one Shopify answer before retrying."""

    def graphql_url(self) -> str:
        base = self.endpoint.rstrip("/") or f"https://{self.shop}"
        return f"{base}/admin/api/{self.api_version}/graphql.json"


class ShippoSettings(Section):
    api_token: SecretStr = SecretStr("")
    """Shippo API token (`shippo_test_...` or `shippo_live_...`)."""

    @property
    def mode(self) -> Literal["TEST", "LIVE", ""]:
        """TEST for a test token (free labels that ship nothing), LIVE for a live one (real
        labels, charged), "" without a token."""
        token = self.api_token.get_secret_value()
        if not token:
            return ""
        return "TEST" if token.startswith("shippo_test_") else "LIVE"

    endpoint: str = ""
    """Base URL override (the sandbox uses it); empty means Shippo's own API."""
    label_fee: Decimal = Decimal("0.05")
    """Shippo's fee per label, added to the recorded shipping cost."""
    timeout_s: float = 30.0
    """Seconds to wait for one Shippo answer."""
    grace_s: float = 60.0
    """Seconds Shippo may still be making a label after packdesk stopped waiting for the
    answer (a timeout, a lost connection): nothing is bought again for that package until
    its purchase has been looked up in Shippo this long after it was sent. Longer than
    timeout_s."""
    sweep_min: int = Field(default=60, ge=0)
    """Minutes after a label purchase during which packdesk keeps checking Shippo for an
    extra label made for the same package, and refunds it (the order's history says so)."""

    @field_validator("grace_s")
    @classmethod
    def _longer_than_timeout(cls, value: float, info: ValidationInfo) -> float:
        timeout = info.data.get("timeout_s")
        if timeout is not None and value <= timeout:
            raise ValueError(
                f"it must be longer than timeout_s ({timeout:g}), since Shippo may finish "
                "a purchase after packdesk stopped waiting for it"
            )
        return value


class PrinterSettings(Section):
    name: str
    """Name used in commands and on screen, e.g. `zebra`."""
    kind: Literal["zpl", "escpos", "cups", "folder"]
    """zpl: raw ZPL to tcp://host:port, a CUPS raw queue or a device; escpos: python-escpos;
    cups: a PDF to a CUPS queue; folder: files written to a folder."""
    role: Literal["label", "slip"]
    """What this printer prints: shipping labels or packing slips."""
    target: str = ""
    """Where: `tcp://host:9100`, `cups://QUEUE`, `/dev/usb/lp0`, a folder path, ..."""
    options: dict[str, str] = Field(default_factory=dict)
    """Kind-specific options (e.g. escpos profile, slip page size `letter` or `4x6`)."""


class PrintingSettings(Section):
    every_s: float = Field(default=5.0, ge=1)
    """Seconds between runs of the print queue, which sends jobs waiting for a printer that
    was off or busy (the pack screen sends a finished order's label and slip at once)."""


class SyncSettings(Section):
    orders_every_s: int = 60
    """Seconds between incremental order syncs."""
    catalog_every_s: int = 900
    """Seconds between product, variant and location syncs."""
    inventory_every_s: int = 300
    """Seconds between inventory level syncs."""
    overlap_s: int = 120
    """Incremental syncs re-read this many seconds before the cursor, to miss nothing."""
    page_size: int = 100
    """Items per GraphQL page (at most 250); order pages shrink by themselves to fit Shopify's
    query cost limit."""


class WebhookSettings(Section):
    enabled: bool = False
    """Run the webhook receiver beside the jobs (`packdesk daemon`, `packdesk run`)."""
    host: str = "127.0.0.1"
    """Address the webhook receiver listens on."""
    port: int = 8787
    """Port the webhook receiver listens on."""
    sweep_every_s: int = Field(default=60, ge=5)
    """Seconds between sweeps that fetch the orders of deliveries stored but not done (the
    first fetch failed, or packdesk restarted)."""
    public_url: str = Field(
        default="",
        pattern=r"^(https://[^/\s]+(/\S*)?|http://(127\.0\.0\.1|localhost)(:\d+)?(/\S*)?)?$",
    )
    """The HTTPS address at which the internet reaches this receiver (a reverse proxy or a
    tunnel in front of host:port, docs/running.md), e.g. `https://desk.example.com`; the
    one-click unsubscribe links of marketing e-mails point to <public_url>/unsubscribe. Plain
    http is taken only for this machine (http://127.0.0.1:PORT), for trials."""


class ShippingSettings(Section):
    promise_days: dict[str, int] = Field(
        default_factory=lambda: {"express": 2, "priority": 3, "standard": 5, "": 7}
    )
    """Delivery promise by words in the Shopify shipping line title (lowercase);
    the key "" applies when no other matches."""
    allowed_carriers: list[str] = Field(default_factory=lambda: ["USPS", "UPS", "FedEx"])
    """Carriers packdesk may buy from."""
    excluded_services: list[str] = Field(default_factory=list)
    """Service level tokens never to buy, e.g. `usps_media_mail`."""
    max_cost: Decimal = Decimal("60")
    """Never buy a label above this price without a person choosing it."""
    rate_max_age_h: int = 24
    """Refetch rates older than this many hours (Shippo's rates expire after 7 days)."""
    excluded_carriers: list[str] = Field(default_factory=list)
    """Carriers never to buy from, even if allowed (e.g. during a carrier's strike)."""
    allowed_services: list[str] = Field(default_factory=list)
    """Service level tokens packdesk may buy; empty allows every service of the allowed
    carriers."""
    carrier_preference: list[str] = Field(default_factory=list)
    """Tie-break order when two rates cost the same and are as fast; empty means the order
    of allowed_carriers."""
    customs_signer: str = "Shipping Manager"
    """Name certifying customs declarations of parcels leaving the US."""
    customs: dict[str, CustomsProduct] = Field(default_factory=dict)
    """Customs data by SKU for parcels leaving the US or going to APO/FPO/DPO addresses:
    `[shipping.customs."SKU"]` with hs_code, origin_country, value, currency, description
    and weight_g; a line without a SKU is found by its title instead. A line with no entry
    is declared from its product's customs information in Shopify (HS code, origin)."""
    batch_workers: int = Field(default=4, ge=1, le=16)
    """Labels bought at the same time by `packdesk ship --batch`."""
    rates_every_s: int = Field(default=60, ge=5)
    """Seconds between runs of the job that checks addresses and fetches rates for queued
    orders (and refreshes stale ones)."""
    label_retry_every_s: int = Field(default=30, ge=5)
    """Seconds between retries of labels left pending while Shippo was unreachable."""
    label_sweep_every_s: int = Field(default=300, ge=5)
    """Seconds between checks of Shippo for extra labels of recent purchases (refunded)."""
    tracking_every_min: int = Field(default=60, ge=1)
    """Minutes between tracking checks of fulfilled orders (DELIVERED sends the
    delivery-time emails)."""
    batch_per_minute: int = Field(default=0, ge=0)
    """Most Shippo calls a batch makes per minute (0: no limit of its own; Shippo's 429
    answers are always honoured)."""


class EmailKindsSettings(Section):
    order_confirmation: bool = False
    """Send an order confirmation when a new order reaches the station (Shopify may
    already send one: leave off unless its notification is switched off)."""
    shipping_confirmation: bool = True
    """Send the shipping notice with the tracking link when the label is bought."""
    usage_guide: bool = True
    """Send a product-usage guide per SKU (assets/guides/<SKU>.md) after delivery. Marketing."""
    review_request: bool = True
    """Ask for a review after delivery. Marketing."""
    guide_days: int = Field(default=3, ge=0)
    """Days after the carrier delivered (its tracking event) that the usage guides go out."""
    review_days: int = Field(default=14, ge=0)
    """Days after the carrier delivered (its tracking event) that the review request goes
    out."""
    review_url: str = ""
    """Link in the review request; `{order_number}` / `{order_name}` are filled in. Empty
    asks the customer to reply instead."""
    marketing_requires_consent: bool = True
    """Send marketing kinds only to customers who accepted marketing in Shopify."""
    confirmation_max_age_h: int = 24
    """Order confirmations go only to orders younger than this (never to old backlog)."""


class EmailSettings(Section):
    sender: Literal["none", "smtp", "sendgrid"] = "none"
    """How customer emails leave: none, smtp, or sendgrid (v3 HTTP API); docs/email.md says
    what each guarantees when answers are lost."""
    from_address: str = "orders@example.com"
    """The From: address of customer emails."""
    smtp_host: str = "localhost"
    """SMTP server host."""
    smtp_port: int = 587
    """SMTP server port."""
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    """How to secure the SMTP connection."""
    smtp_username: str = ""
    """SMTP user name; empty for no login."""
    smtp_password: SecretStr = SecretStr("")
    """SMTP password."""
    sendgrid_endpoint: str = ""
    """SendGrid API base URL override (the sandbox uses it)."""
    sendgrid_api_key: SecretStr = SecretStr("")
    """SendGrid API key."""
    unsubscribe_secret: SecretStr = SecretStr("")
    """Key that signs the unsubscribe links of marketing e-mails, so that no one can
    unsubscribe someone else (`packdesk setup` makes one; any long random text will do)."""
    timeout_s: float = 30.0
    """Seconds to wait for the mail server or SendGrid."""
    kinds: EmailKindsSettings = Field(default_factory=EmailKindsSettings)
    """Which customer emails are sent, and when ([email.kinds])."""


class OutboxSettings(Section):
    max_attempts: int = 8
    """Attempts before an upstream effect stops and waits for `packdesk outbox retry`."""
    every_s: int = 15
    """Seconds between outbox runs."""
    backoff_base_s: float = 10.0
    """Wait after an effect's first failed attempt; doubles after each further one."""
    backoff_max_s: float = 3600.0
    """Longest wait between two attempts."""
    lease_s: float = 300.0
    """How long a worker holds the items it is delivering before another may take them."""
    batch: int = 50
    """Items claimed per run."""
    parallel: int = 4
    """Items delivered at the same time within a run."""
    notify_customer: Literal["auto", "on", "off"] = "auto"
    """Shopify's own shipping email on fulfillmentCreate (notifyCustomer): auto = only
    when packdesk does not send its own shipping email."""


class ScannerSettings(Section):
    prefix: str = ""
    """Characters the scanner sends before every code (configured on the scanner)."""
    max_interkey_ms: int = 50
    """Keys closer than this are a scanner; slower typing is a person."""
    commands: dict[str, str] = Field(
        default_factory=lambda: {"CMD-UNDO": "undo", "CMD-HOLD": "hold", "CMD-NEXT": "next"}
    )
    """Command barcodes (printed on a card at the station) and what they do on the pack
    screen: `undo` the last scan, `hold` the order, open the `next` order."""


class BrandSettings(Section):
    shop_name: str = ""
    """Shop name on slips and emails; empty uses the shop's name in Shopify (kept from the
    last catalog sync)."""
    logo: str = ""
    """Path to a PNG logo for slips and emails; empty uses assets/logo.png."""
    primary_color: str = "#2E6B4F"
    """Main colour of emails (hex)."""


class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """Level of the log file under <data_dir>/logs."""


class Settings(BaseSettings):
    """All of packdesk's configuration."""

    model_config = SettingsConfigDict(
        env_prefix="PACKDESK_",
        env_nested_delimiter="__",
        extra="forbid",
        use_attribute_docstrings=True,
    )

    station: StationSettings = Field(default_factory=StationSettings)
    shopify: ShopifySettings = Field(default_factory=ShopifySettings)
    shippo: ShippoSettings = Field(default_factory=ShippoSettings)
    printers: list[PrinterSettings] = Field(default_factory=list)
    printing: PrintingSettings = Field(default_factory=PrintingSettings)
    boxes: list[Box] = Field(default_factory=list)
    shipping: ShippingSettings = Field(default_factory=ShippingSettings)
    sync: SyncSettings = Field(default_factory=SyncSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    scanner: ScannerSettings = Field(default_factory=ScannerSettings)
    brand: BrandSettings = Field(default_factory=BrandSettings)
    analytics: AnalyticsSettings = Field(default_factory=AnalyticsSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    inventory: InventorySettings = Field(default_factory=InventorySettings)
    amazon: AmazonSettings = Field(default_factory=AmazonSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    keys: dict[str, str] = Field(default_factory=dict)
    """Key bindings by id, e.g. `reprint-label = "f2,ctrl+p"` (see `packdesk` Help screen)."""

    # Where the values came from; not a config key.
    source_path: Path | None = Field(default=None, exclude=True)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the file: an operator can override one key without editing it.
        return (env_settings, init_settings)

    def secrets(self) -> list[str]:
        """Every secret value configured, for the log redactor."""
        values = [
            self.shopify.access_token,
            self.shopify.webhook_secret,
            self.shippo.api_token,
            self.email.smtp_password,
            self.email.sendgrid_api_key,
            self.amazon.client_secret,
            self.amazon.refresh_token,
            self.email.unsubscribe_secret,
        ]
        return [v.get_secret_value() for v in values if v.get_secret_value()]

    def printer_for(self, role: str) -> PrinterSettings | None:
        return next((p for p in self.printers if p.role == role), None)
