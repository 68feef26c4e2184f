"""The owner's sections: stock and reorder, Amazon FBA, analytics, reports and metrics."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator

from packdesk.settings.base import Section


class InventorySettings(Section):
    window_days: int = Field(default=30, ge=7, le=365)
    """Days of sales velocity is counted over (days out of stock left out)."""
    service_level: float = Field(default=0.95, gt=0.5, lt=1.0)
    """Chance of not running out while an order is on its way; sets z in the safety stock
    (0.95 → z 1.645)."""
    safety: Literal["variability", "days"] = "variability"
    """Safety stock from demand variability (z × σ_daily × √lead time) or a fixed number of
    days of sales (`safety_days`)."""
    safety_days: float = Field(default=7.0, ge=0)
    """Days of sales kept as safety stock when `safety = "days"` (and where variability
    cannot be measured: FBA)."""
    days_of_cover: float = Field(default=30.0, ge=0)
    """Days of sales an order buys beyond the lead time."""
    lead_time_days: int = Field(default=14, ge=0)
    """Lead time of SKUs whose supplier (or supplier item) sets none."""
    overstock_days: float = Field(default=120.0, gt=0)
    """More days of cover than this is OVERSTOCK."""
    plan_fba: bool = False
    """Plan FBA replenishment here: FBA gets reorder points, alerts and suggestions from what
    left Amazon's network between reports. Off, FBA stock counts toward the Amazon channel
    it serves only: shown, and never lowering what the warehouses need."""
    owner_email: str = ""
    """Where the low-stock digest goes; empty sends none."""
    digest: Literal["daily", "off"] = "daily"
    """The owner's low-stock digest: one e-mail a day listing the alerts raised since the
    last one (nothing new, no e-mail)."""
    digest_hour: int = Field(default=7, ge=0, le=23)
    """Hour of the day (UTC) from which the day's digest goes out."""
    check_every_min: int = Field(default=15, ge=1)
    """Minutes between checks that raise and clear low-stock alerts (and send the digest
    when due)."""
    po_folder: str = ""
    """Folder `packdesk po pdf` writes to; empty means <data_dir>/purchase-orders."""


class AmazonSettings(Section):
    enabled: bool = False
    """Read FBA stock from Amazon's Selling Partner API (`packdesk fba sync`, and every
    `every_min`); `packdesk fba import FILE` needs none of this."""
    source: Literal["summaries", "report"] = "summaries"
    """`summaries`: the FBA Inventory API (getInventorySummaries, live numbers); `report`: the
    Manage FBA Inventory report through the Reports API (the numbers `fba import` reads)."""
    marketplace_id: str = "ATVPDKIKX0DER"
    """The marketplace whose FBA stock is read (ATVPDKIKX0DER is amazon.com)."""
    endpoint: str = ""
    """SP-API base URL; empty means North America (https://sellingpartnerapi-na.amazon.com)."""
    token_endpoint: str = ""
    """Login with Amazon's token URL; empty means https://api.amazon.com/auth/o2/token."""
    client_id: str = ""
    """The LWA client id of packdesk's SP-API app (amzn1.application-oa2-client....)."""
    client_secret: SecretStr = SecretStr("")
    """The LWA client secret of that app."""
    refresh_token: SecretStr = SecretStr("")
    """The refresh token Seller Central gave when the seller authorised the app (Atzr|...)."""
    every_min: int = Field(default=0, ge=0)
    """Minutes between FBA reads by the station's jobs; 0 reads only on `packdesk fba sync`."""
    timeout_s: float = 30.0
    """Seconds to wait for one Amazon answer."""
    report_poll_s: float = Field(default=15.0, gt=0)
    """Seconds between polls of a report Amazon is still making."""
    report_wait_s: float = Field(default=900.0, gt=0)
    """Give up on a report Amazon has not finished after this many seconds."""


class AnalyticsSettings(Section):
    timezone: str = ""
    """The shop's time zone, an IANA name such as `America/Los_Angeles`: days, weeks and
    months of the numbers are its calendar's. Empty uses this computer's time zone."""
    snapshot_every_min: int = Field(default=60, ge=5)
    """Minutes between pictures of stock on hand at unit cost (the day's last one is kept);
    their average is the inventory value behind turnover."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError, OSError):  # a folder of zones: OSError
                raise ValueError(
                    "not a time zone name; use one like America/Los_Angeles, or leave it empty"
                ) from None
        return value


class ReportSettings(Section):
    folder: str = ""
    """Where the weekly report is written; empty means <data_dir>/reports."""
    email_to: str = ""
    """The owner's e-mail address: `packdesk report --email` and the weekly report go to it
    through the outbox (with [email].sender)."""
    weekly: bool = False
    """Make last week's report (Monday to Sunday, PDF and CSV) every Monday, and e-mail the
    PDF when email_to is set."""
    weekly_hour: int = Field(default=7, ge=0, le=23)
    """The hour on Monday (the shop's time) from which the weekly report is made."""


class MetricsSettings(Section):
    listen: str = ""
    """Where `packdesk daemon` and the TUI serve Prometheus metrics, `host:port` such as
    `127.0.0.1:9464` (port 0 takes a free port, said in the log); empty (the default) serves
    none."""
    velocity_days: int = Field(default=30, ge=1)
    """Days of sales behind each SKU's velocity and ABC class in the stock gauges."""
    reorder_lead_days: float = Field(default=14.0, gt=0)
    """Days of sales a SKU's available stock must cover; below that it counts in
    packdesk_skus_below_reorder_point."""

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        if value:
            host, _, port = value.strip().rpartition(":")
            if not host or not port.isdigit() or not 0 <= int(port) < 65536:
                raise ValueError("write it as host:port, e.g. 127.0.0.1:9464, or leave it empty")
        return value.strip()

    def address(self) -> tuple[str, int] | None:
        """(host, port) to listen on, or None when metrics are off."""
        if not self.listen:
            return None
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]"), int(port)
