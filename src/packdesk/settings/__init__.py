"""packdesk's configuration: a TOML file plus `PACKDESK_...` environment overrides.

`model` declares every section and key (its docstring is the user's documentation);
`loading` reads the file and the environment and turns every mistake into one sentence.
"""

from __future__ import annotations

from packdesk.settings.base import ConfigError, Section
from packdesk.settings.business import (
    AmazonSettings,
    AnalyticsSettings,
    InventorySettings,
    MetricsSettings,
    ReportSettings,
)
from packdesk.settings.loading import (
    check_tokens,
    config_path,
    default_config_path,
    load_settings,
)
from packdesk.settings.model import (
    APP_NAME,
    BrandSettings,
    EmailKindsSettings,
    EmailSettings,
    LoggingSettings,
    OutboxSettings,
    PrinterSettings,
    PrintingSettings,
    ScannerSettings,
    Settings,
    ShippingSettings,
    ShippoSettings,
    ShopifySettings,
    StationSettings,
    SyncSettings,
    WebhookSettings,
)
from packdesk.settings.placeholders import (
    check_placeholders,
    is_placeholder_shop,
    is_placeholder_token,
)

__all__ = [
    "APP_NAME",
    "AmazonSettings",
    "AnalyticsSettings",
    "BrandSettings",
    "ConfigError",
    "EmailKindsSettings",
    "EmailSettings",
    "InventorySettings",
    "LoggingSettings",
    "MetricsSettings",
    "OutboxSettings",
    "PrinterSettings",
    "PrintingSettings",
    "ReportSettings",
    "ScannerSettings",
    "Section",
    "Settings",
    "ShippingSettings",
    "ShippoSettings",
    "ShopifySettings",
    "StationSettings",
    "SyncSettings",
    "WebhookSettings",
    "check_placeholders",
    "check_tokens",
    "config_path",
    "default_config_path",
    "is_placeholder_shop",
    "is_placeholder_token",
    "load_settings",
]
