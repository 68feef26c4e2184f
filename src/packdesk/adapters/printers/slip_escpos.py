"""The packing slip as ESC/POS bytes for a receipt printer (80 or 58 mm paper): the logo as
a raster image, the order, the ship-to, each item with SKU, quantity and bin, the gift note,
and a Code128 of the order name that packdesk's scanner opens."""

from __future__ import annotations

import textwrap
from pathlib import Path

from escpos.printer import Dummy
from PIL import Image

from packdesk.adapters.printers.quiet import quiet_escpos
from packdesk.domain.slip import PackingSlip

ESCPOS_TYPE = "application/escpos"
DEFAULT_PROFILE = "TM-T88V"


def profile_width_px(printer: Dummy, fallback: int = 512) -> int:
    """Printable dots across the paper, from the python-escpos profile."""
    try:
        return int(printer.profile.profile_data["media"]["width"]["pixels"])
    except (KeyError, TypeError, ValueError):
        return fallback


def fit_image(image: Image.Image, width_px: int) -> Image.Image:
    """A 1-bit copy of `image` no wider than `width_px` (aspect kept), on white."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    image = image.convert("L")
    if image.width > width_px:
        height = max(1, round(image.height * width_px / image.width))
        image = image.resize((width_px, height), Image.Resampling.LANCZOS)
    return image.convert("1")


class EscposSlipRenderer:
    content_type = ESCPOS_TYPE

    def __init__(
        self,
        shop_name: str,
        logo: Path | None = None,
        *,
        profile: str = DEFAULT_PROFILE,
        width_px: int | None = None,
    ) -> None:
        self.shop_name = shop_name
        self.profile = profile
        self.width_px = width_px
        self._logo = Image.open(logo).copy() if logo and Path(logo).is_file() else None

    def render(self, slip: PackingSlip) -> bytes:
        with quiet_escpos():
            p = Dummy(profile=self.profile)
            width = self.width_px or profile_width_px(p)
            columns = int(p.profile.profile_data.get("fonts", {}).get("0", {}).get("columns", 42))
            p.hw("INIT")  # python-escpos never resets the printer by itself
            if self._logo is not None:
                p.set(align="center")
                p.image(fit_image(self._logo, min(width, width * 2 // 3)), center=False)
            p.set(align="center", bold=True, double_height=True, double_width=True)
            p.textln(self.shop_name)
            p.set(normal_textsize=True, align="center")
            p.textln("PACKING SLIP")
            p.set(align="left", bold=True)
            p.textln(f"Order {slip.order_name}")
            p.set(bold=False)
            p.textln(f"Date  {slip.ordered_at:%Y-%m-%d}")
            if slip.shipping:
                p.textln(f"Ship  {slip.shipping}")
            p.textln("-" * columns)
            if slip.ship_to is not None:
                p.set(bold=True)
                p.textln("Ship to")
                p.set(bold=False)
                for line in _address_lines(slip):
                    p.textln(line)
                p.textln("-" * columns)
            p.set(bold=True)
            p.textln(_columns("Qty SKU", "Bin", columns))
            p.set(bold=False)
            for item in slip.lines:
                p.textln(_columns(f"{item.quantity:>3} {item.sku}", item.bin, columns))
                for part in textwrap.wrap(item.title, columns - 4) or [""]:
                    p.textln(f"    {part}")
            p.textln("-" * columns)
            if slip.note:
                p.set(bold=True)
                p.textln("Note")
                p.set(bold=False)
                for part in textwrap.wrap(slip.note, columns):
                    p.textln(part)
                p.textln("-" * columns)
            p.barcode("{B" + slip.order_name, "CODE128", height=80, width=3, pos="BELOW")
            p.cut()
            return bytes(p.output)


def _address_lines(slip: PackingSlip) -> list[str]:
    a = slip.ship_to
    if a is None:
        return []
    city = " ".join(x for x in (a.city + ("," if a.city else ""), a.province_code, a.zip) if x)
    lines = [a.name, a.company, a.address1, a.address2, city]
    if a.country_code and not a.is_domestic:
        lines.append(a.country_code)
    return [line for line in lines if line.strip()]


def _columns(left: str, right: str, width: int) -> str:
    room = width - len(right) - 1
    return f"{left[:room]:<{room}} {right}" if right else left[:width]
