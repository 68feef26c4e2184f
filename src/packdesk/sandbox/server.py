"""One loopback HTTP server for the whole sandbox, plus an SMTP server beside it.

`SandboxServer` starts uvicorn and aiosmtpd in background threads (tests and `packdesk
demo` use it in-process; `packdesk sandbox` runs it standalone) and returns `SandboxInfo`:
every URL and token a packdesk config needs. The Shopify part lives in
`packdesk.sandbox.shopify` and is mounted when it is installed.
"""

from __future__ import annotations

import importlib
import json
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Router

from packdesk.sandbox.amazon import (
    CLIENT_ID,
    CLIENT_SECRET,
    MARKETPLACE_ID,
    REFRESH_TOKEN,
    AmazonSandbox,
)
from packdesk.sandbox.clock import SandboxClock
from packdesk.sandbox.control import control_routes
from packdesk.sandbox.faults import AbortingH11Protocol, FaultBoard, FaultMiddleware
from packdesk.sandbox.mail import MailBox, SendGridKeys, SmtpServer, sendgrid_routes
from packdesk.sandbox.shippo import ShippoSandbox

API_VERSION = "2026-10"  # the newest stable Shopify API version on 2026-12-01
SHOP = "bright-minds-learning.myshopify.com"
SHOPIFY_TOKEN = "sandbox-shopify-token"
WEBHOOK_SECRET = "sandbox-webhook-secret"
SHIPPO_TOKEN = "shippo_test_sandbox"
SENDGRID_KEY = "SG.sandbox-key"
SHOPIFY_PLANS = {
    "standard": (2_000.0, 100.0),
    "advanced": (4_000.0, 200.0),
    "plus": (20_000.0, 1_000.0),
}
"""Shopify plan → (GraphQL cost bucket in points, points restored a second)."""


@dataclass
class SandboxInfo:
    """Where the sandbox listens and the test credentials it accepts."""

    shopify_url: str
    shopify_endpoint: str
    api_version: str
    shop: str
    shopify_token: str
    webhook_secret: str
    shippo_url: str
    shippo_token: str
    sendgrid_url: str
    sendgrid_api_key: str
    smtp: str
    control_url: str
    amazon_url: str = ""
    """SP-API's base URL (`[amazon].endpoint`)."""
    amazon_token_url: str = ""
    """Login with Amazon's token endpoint (`[amazon].token_endpoint`)."""
    amazon_client_id: str = CLIENT_ID
    amazon_client_secret: str = CLIENT_SECRET
    amazon_refresh_token: str = REFRESH_TOKEN
    amazon_marketplace_id: str = MARKETPLACE_ID

    def as_json(self) -> str:
        return json.dumps(asdict(self))


def _shopify_class() -> Any:
    """`ShopifySandbox` if the Shopify part is installed, else None (mount nothing)."""
    try:
        module = importlib.import_module("packdesk.sandbox.shopify")
    except ModuleNotFoundError as exc:
        if exc.name in ("packdesk.sandbox.shopify",):
            return None
        raise
    return getattr(module, "ShopifySandbox", None)


def _toml(value: str) -> str:
    return json.dumps(value)


DEMO_BOXES = """
# The demo's box catalog: inner dimensions (cm), tare and maximum load (g).
[[boxes]]
name = "S-8x6x4"
length_cm = 20.3
width_cm = 15.2
height_cm = 10.2
tare_g = 120
max_weight_g = 9000

[[boxes]]
name = "M-12x10x6"
length_cm = 30.5
width_cm = 25.4
height_cm = 15.2
tare_g = 220
max_weight_g = 18000

[[boxes]]
name = "L-18x14x8"
length_cm = 45.7
width_cm = 35.6
height_cm = 20.3
tare_g = 400
max_weight_g = 30000

[[boxes]]
name = "XL-24x18x18"
length_cm = 61.0
width_cm = 45.7
height_cm = 45.7
tare_g = 700
max_weight_g = 30000
"""

DEMO_FBA_REPORT = "fba-report.txt"
"""The demo seller's "Manage FBA Inventory" report, written beside the demo's config for
`packdesk fba import`."""

DEMO_SUPPLIERS = "suppliers.csv"
"""The demo merchant's suppliers, written beside the demo's config for `packdesk suppliers
import`."""

DEMO_HS_CODE = "9503.00.0073"
"""Educational toys and games (HTSUS), declared for every demo product sent abroad."""


@dataclass(frozen=True)
class DemoProduct:
    """What customs needs of one demo SKU."""

    sku: str
    title: str
    price: str


def demo_config_text(
    info: SandboxInfo, data_dir: Path, products: Sequence[DemoProduct] = ()
) -> str:
    """A packdesk config pointing at this sandbox, with `folder` printers under data_dir,
    the demo's boxes, and customs data for `products` (so parcels to Canada can ship)."""
    prints = data_dir / "print"
    customs = "".join(
        f"\n[shipping.customs.{_toml(p.sku)}]\nhs_code = {_toml(DEMO_HS_CODE)}\n"
        f'origin_country = "US"\nvalue = {_toml(p.price)}\ndescription = {_toml(p.title)}\n'
        for p in products
    )
    smtp_host, _, smtp_port = info.smtp.rpartition(":")
    return f"""# packdesk config written by the sandbox: every service is local and fake.
[station]
name = "CA-1"
location = "CA"
data_dir = {_toml(str(data_dir))}

[shopify]
shop = {_toml(info.shop)}
access_token = {_toml(info.shopify_token)}
webhook_secret = {_toml(info.webhook_secret)}
endpoint = {_toml(info.shopify_endpoint)}

[shippo]
api_token = {_toml(info.shippo_token)}
endpoint = {_toml(info.shippo_url)}

[[printers]]
name = "labels"
kind = "folder"
role = "label"
target = {_toml(str(prints))}

[[printers]]
name = "slips"
kind = "folder"
role = "slip"
target = {_toml(str(prints))}
options = {{ page = "letter" }}

[email]
sender = "smtp"
from_address = "orders@bright-minds.example"
smtp_host = {_toml(smtp_host)}
smtp_port = {int(smtp_port)}
smtp_security = "none"
sendgrid_endpoint = {_toml(info.sendgrid_url)}
sendgrid_api_key = {_toml(info.sendgrid_api_key)}

[amazon]
enabled = true
endpoint = {_toml(info.amazon_url)}
token_endpoint = {_toml(info.amazon_token_url)}
client_id = {_toml(info.amazon_client_id)}
client_secret = {_toml(info.amazon_client_secret)}
refresh_token = {_toml(info.amazon_refresh_token)}
marketplace_id = {_toml(info.amazon_marketplace_id)}
{DEMO_BOXES}{customs}"""


class SandboxServer:
    """Shopify, Shippo, SendGrid, SMTP and the control API on loopback ports."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        smtp_port: int = 0,
        seed: int = 7,
        orders: int = 300,
        faults: str = "",
        bucket_size: float = 2000.0,
        restore_rate: float = 100.0,
        api_date: datetime | None = None,
        long_orders: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.clock = SandboxClock()
        self.faults = FaultBoard(seed, faults)
        self.mailbox = MailBox()
        self.sendgrid_keys = SendGridKeys(SENDGRID_KEY)
        self.shippo = ShippoSandbox(token=SHIPPO_TOKEN, now=self.clock.now)
        shopify_class = _shopify_class()
        self.shopify: Any = None
        if shopify_class is not None:
            self.shopify = shopify_class(
                shop=SHOP,
                access_token=SHOPIFY_TOKEN,
                webhook_secret=WEBHOOK_SECRET,
                seed=seed,
                orders=orders,
                now=self.clock.now,
                bucket_size=bucket_size,
                restore_rate=restore_rate,
                api_date=api_date,
                long_orders=long_orders,
            )
        products: list[tuple[str, str, str]] = []
        if self.shopify is not None:
            for product in self.shopify.state.catalog.products:
                for variant in product["variants"]:
                    products.append((variant["sku"], variant["displayName"], str(variant["price"])))
        self.amazon = AmazonSandbox(seed=seed, products=products, now=self.clock.now)
        self.smtp = SmtpServer(self.mailbox, host, smtp_port)
        self.info: SandboxInfo | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def app(self) -> Any:
        """The whole ASGI app: faults in front, then Shippo's gate, then the routes."""
        routes: list[BaseRoute] = []
        if self.shopify is not None:
            routes += self.shopify.routes()
            routes.append(Mount("/control/shopify", app=Router(self.shopify.control_routes())))
        routes += self.shippo.routes()
        routes += self.amazon.routes()
        routes.append(Mount("/control/amazon", app=Router(self.amazon.control_routes())))
        routes += sendgrid_routes(self.mailbox, self.sendgrid_keys)
        routes += control_routes(
            clock=self.clock,
            faults=self.faults,
            mailbox=self.mailbox,
            shippo=self.shippo,
            sendgrid_keys=self.sendgrid_keys,
        )
        return FaultMiddleware(self.shippo.gate(Starlette(routes=routes)), self.faults)

    def start(self) -> SandboxInfo:
        """Listen and serve in background threads; returns once both servers accept."""
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say TCP,
        # and without it every keep-alive answer waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        port = int(sock.getsockname()[1])
        try:
            self.smtp.start()
        except (OSError, RuntimeError) as exc:
            sock.close()
            raise OSError(f"the SMTP server cannot listen on port {self.smtp.port}: {exc}") from exc
        config = uvicorn.Config(
            self.app(),
            http=AbortingH11Protocol,
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        server = self._server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="sandbox-http", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox HTTP server did not start on {self.host}:{port}")
            time.sleep(0.01)
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        base = f"http://{shown}:{port}"
        self.info = SandboxInfo(
            shopify_url=f"{base}/admin/api/{API_VERSION}/graphql.json",
            shopify_endpoint=base,
            api_version=API_VERSION,
            shop=SHOP,
            shopify_token=SHOPIFY_TOKEN,
            webhook_secret=WEBHOOK_SECRET,
            shippo_url=f"{base}/shippo",
            shippo_token=SHIPPO_TOKEN,
            sendgrid_url=f"{base}/sendgrid",
            sendgrid_api_key=SENDGRID_KEY,
            smtp=f"{shown}:{self.smtp.port}",
            control_url=f"{base}/control",
            amazon_url=f"{base}/amazon",
            amazon_token_url=f"{base}/amazon/auth/o2/token",
        )
        return self.info

    def reset(self) -> None:
        """Clear faults, mail, SendGrid keys made by the control API, rate limits, tracking's test mode, the Shippo API versions seen,
        webhook receivers and the Shopify bucket (sandbox time, orders, stock and Shippo objects stay)."""
        if self.shopify is not None:
            self.shopify.reset()
        self.amazon.reset()
        self.faults.clear()
        self.mailbox.clear()
        self.sendgrid_keys.reset()
        self.shippo.rate_limits.set({"post": None, "list": None, "get": None})
        self.shippo.state.tracking.test_mode = False
        self.shippo.api_versions.clear()

    def stop(self) -> None:
        if self.shopify is not None:
            self.shopify.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.smtp.stop()
        self.info = None

    def write_config(self, path: Path, data_dir: Path) -> None:
        """Write a packdesk config that points at this running sandbox."""
        if self.info is None:
            raise RuntimeError("start the sandbox before writing a config for it")
        path.parent.mkdir(parents=True, exist_ok=True)
        products: list[DemoProduct] = []
        if self.shopify is not None:
            for product in self.shopify.state.catalog.products:
                for variant in product["variants"]:
                    products.append(
                        DemoProduct(variant["sku"], product["title"], str(variant["price"]))
                    )
        text = demo_config_text(self.info, data_dir, products)
        path.write_text(text, encoding="utf-8")
        (path.parent / DEMO_FBA_REPORT).write_bytes(self.amazon.report_file())
        if self.shopify is not None:
            (path.parent / DEMO_SUPPLIERS).write_text(
                self.shopify.suppliers_csv(), encoding="utf-8"
            )

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
