"""The pieces of `packdesk setup`: the answers gathered, numbered choices, the shop's domain,
and the printers a station can choose from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import click

from packdesk.settings import PrinterSettings, is_placeholder_shop

T = TypeVar("T")
Role = Literal["label", "slip"]
SHOP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Answers:
    """Everything setup has been told so far."""

    shopify_endpoint: str = ""
    shippo_endpoint: str = ""
    shop: str = ""
    access_token: str = ""
    webhook_secret: str = ""
    location: str = ""
    location_id: str = ""
    station_name: str = "CA-1"
    shippo_token: str = ""
    printers: list[PrinterSettings] = field(default_factory=list)
    unsubscribe_secret: str = ""

    def config(self) -> tuple[dict[str, dict[str, object]], list[PrinterSettings]]:
        """The config's sections and printers; keys not asked for keep their defaults."""
        station: dict[str, object] = {"name": self.station_name}
        if self.location:
            station["location"] = self.location
        shopify: dict[str, object] = {
            "shop": self.shop,
            "access_token": self.access_token,
            "webhook_secret": self.webhook_secret,
        }
        if self.shopify_endpoint:
            shopify["endpoint"] = self.shopify_endpoint
        shippo: dict[str, object] = {"api_token": self.shippo_token}
        if self.shippo_endpoint:
            shippo["endpoint"] = self.shippo_endpoint
        sections: dict[str, dict[str, object]] = {
            "station": station,
            "shopify": shopify,
            "shippo": shippo,
            "email": {"unsubscribe_secret": self.unsubscribe_secret},
        }
        return sections, list(self.printers)


def normalise_shop(text: str) -> str:
    """`bright-minds`, `bright-minds.myshopify.com`, `https://bright-minds.myshopify.com/admin`
    or `admin.shopify.com/store/bright-minds` → `bright-minds.myshopify.com`."""
    value = text.strip().lower().removeprefix("https://").removeprefix("http://")
    if value.startswith("admin.shopify.com/store/"):
        value = value.removeprefix("admin.shopify.com/store/").split("/")[0]
    value = value.split("/")[0].removesuffix(".myshopify.com")
    if not SHOP_NAME.match(value):
        raise click.BadParameter(
            f"{text!r} is not a shop: give its myshopify.com domain, e.g. "
            "bright-minds.myshopify.com (Shopify admin → Settings → Domains)."
        )
    if is_placeholder_shop(value):
        raise click.BadParameter(
            f"{value}.myshopify.com is a placeholder from config.example.toml or a guide: give "
            "your shop's own myshopify.com domain."
        )
    return f"{value}.myshopify.com"


def choose(title: str, options: Sequence[tuple[str, T]], *, default: int = 1) -> T:
    """One of `options` ((words, value) pairs), picked by its number."""
    click.echo(title)
    for number, (words, _value) in enumerate(options, start=1):
        click.echo(f"  {number}) {words}")
    picked: int = click.prompt(
        "Number", type=click.IntRange(1, len(options)), default=min(default, len(options))
    )
    return options[picked - 1][1]


@dataclass(frozen=True)
class PrinterChoice:
    """One kind of printer setup offers, and the questions that complete it."""

    words: str
    kind: Literal["zpl", "escpos", "cups", "folder"]
    queue: str = ""
    help_when_nothing_printed: str = "Check the printer (docs/printers.md), then try again."

    def complete(self, role: Role, answers: Answers) -> PrinterSettings:
        name = "labels" if role == "label" else "slips"
        if self.kind == "folder":
            folder = click.prompt("Folder for the files", default="~/packdesk-print")
            options = {} if role == "label" else {"page": "letter"}
            return PrinterSettings(
                name=name, kind="folder", role=role, target=folder, options=options
            )
        if self.queue:
            raw = role == "label" and click.confirm(
                f"Is {self.queue} a raw queue of a ZPL printer (a Zebra without a driver)?",
                default=False,
            )
            if raw:
                return PrinterSettings(
                    name=name, kind="zpl", role=role, target=f"cups://{self.queue}"
                )
            options = {"media": "w288h432"} if role == "label" else {"page": "letter"}
            return PrinterSettings(
                name=name, kind="cups", role=role, target=f"cups://{self.queue}", options=options
            )
        address = click.prompt("Printer's address on the network (HOST or HOST:PORT)")
        host, _, port = address.strip().partition(":")
        target = f"tcp://{host}:{port or 9100}"
        return PrinterSettings(name=name, kind=self.kind, role=role, target=target)


ZEBRA = PrinterChoice(
    "a Zebra (or other ZPL label printer) on the network, at HOST:9100",
    "zpl",
    help_when_nothing_printed=(
        "A Zebra that takes the label but prints nothing is usually not in ZPL mode or set for "
        "other media: set ZPL, 203 dpi and 4×6 in labels (docs/printers.md), then try again."
    ),
)
RECEIPT = PrinterChoice(
    "an ESC/POS receipt printer on the network, at HOST:9100",
    "escpos",
    help_when_nothing_printed="Check the paper and the printer's address, then try again.",
)
FOLDER = PrinterChoice("a folder: files to open and print by hand", "folder")


def printer_choices(
    role: Role, queues: Sequence[tuple[str, str]]
) -> list[tuple[str, PrinterChoice]]:
    """What the label or slip printer can be, with the CUPS queues found on this machine."""
    found = [
        PrinterChoice(
            f"CUPS queue {queue}" + (f" ({uri})" if uri else ""),
            "cups",
            queue=queue,
            help_when_nothing_printed=(
                f"Check the queue with `lpstat -p {queue}` and its printer, then try again."
            ),
        )
        for queue, uri in queues
    ]
    ordered = (ZEBRA, *found, FOLDER) if role == "label" else (*found, FOLDER, RECEIPT)
    return [(choice.words, choice) for choice in ordered]
