"""Plausible carrier prices: zones from ZIP prefixes, prices from weight and zone.

Not any carrier's real tariff, but shaped like one: ground is cheapest and slowest,
overnight dearest, every price grows with billable weight and distance, and Canada costs
more than any domestic zone. Service level tokens and names are Shippo's.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GRAMS_PER = {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}
CM_PER = {"cm": 1.0, "mm": 0.1, "m": 100.0, "in": 2.54, "ft": 30.48, "yd": 91.44}


@dataclass(frozen=True)
class Service:
    """One carrier service level."""

    carrier: str  # provider as Shippo names it: USPS, UPS, FedEx
    token: str
    name: str
    base: float  # USD for the first pound in zone 1
    per_lb: float  # USD per further pound in zone 1
    days: tuple[int, int]  # estimated days in the nearest and the farthest zone
    terms: str = ""
    international: bool = False


SERVICES = (
    Service("USPS", "usps_ground_advantage", "Ground Advantage", 4.75, 0.85, (2, 5)),
    Service("USPS", "usps_priority", "Priority Mail", 8.10, 1.25, (1, 3)),
    Service("USPS", "usps_priority_express", "Priority Mail Express", 28.75, 2.90, (1, 2)),
    Service("UPS", "ups_ground", "Ground", 9.45, 1.05, (1, 5)),
    Service("UPS", "ups_second_day_air", "2nd Day Air®", 19.80, 2.45, (2, 2)),
    Service("UPS", "ups_next_day_air", "Next Day Air®", 34.60, 4.40, (1, 1)),
    Service("FedEx", "fedex_ground", "FedEx Ground®", 9.25, 1.10, (1, 5)),
    Service("FedEx", "fedex_2_day", "FedEx 2Day®", 19.40, 2.55, (2, 2)),
    Service("FedEx", "fedex_standard_overnight", "Standard Overnight®", 33.90, 4.25, (1, 1)),
    Service(
        "USPS",
        "usps_priority_mail_international",
        "Priority Mail International",
        38.50,
        3.80,
        (6, 10),
        international=True,
    ),
    Service("UPS", "ups_standard", "Standard℠", 27.40, 2.60, (3, 6), international=True),
    Service(
        "FedEx",
        "fedex_international_priority",
        "International Priority®",
        61.20,
        5.10,
        (1, 3),
        international=True,
    ),
)
SERVICE_BY_TOKEN = {service.token: service for service in SERVICES}
CARRIERS = ("USPS", "UPS", "FedEx")
CARRIER_ACCOUNTS = {
    "USPS": "0b7a3c4d5e6f40718293a4b5c6d7e8f1",
    "UPS": "1c8b4d5e6f7a40829304b5c6d7e8f9a2",
    "FedEx": "2d9c5e6f7a8b40930415c6d7e8f9a0b3",
}
CARRIER_SLUG = {"USPS": "usps", "UPS": "ups", "FedEx": "fedex"}


def grams(weight: float, unit: str) -> float:
    return weight * GRAMS_PER.get(unit, 1.0)


def zone(origin_zip: str, destination_zip: str) -> int:
    """USPS-like zone 1..8 from ZIP prefixes: the first digit is the region, west is 9."""
    try:
        here, there = int(origin_zip[:3]), int(destination_zip[:3])
    except ValueError:
        return 5
    if here == there:
        return 1
    if here // 100 == there // 100:
        return 2 + min(2, abs(here - there) // 40)
    return min(8, 3 + round(abs(here // 100 - there // 100) * 5 / 9))


def billable_lb(weight_g: float, dims_cm: tuple[float, float, float]) -> int:
    """Whole pounds billed: actual weight or dimensional weight (L*W*H in / 139), the larger."""
    length, width, height = (d / 2.54 for d in dims_cm)
    dim_lb = length * width * height / 139.0
    return max(1, math.ceil(max(weight_g / GRAMS_PER["lb"], dim_lb)))


def money(value: float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Quote:
    service: Service
    amount: str
    estimated_days: int
    zone: str


def quotes(
    origin_zip: str,
    destination_zip: str,
    destination_country: str,
    weight_g: float,
    dims_cm: tuple[float, float, float],
) -> list[Quote]:
    """One quote per service that serves the destination."""
    international = destination_country.upper() != "US"
    lb = billable_lb(weight_g, dims_cm)
    z = 9 if international else zone(origin_zip, destination_zip)
    result = []
    for service in SERVICES:
        if service.international != international:
            continue
        price = (service.base + service.per_lb * (lb - 1)) * (1 + 0.11 * (min(z, 8) - 1))
        near, far = service.days
        days = near + round((far - near) * (min(z, 8) - 1) / 7)
        result.append(Quote(service, money(price), days, "INTL" if international else str(z)))
    return result


def attributes(quotes_: list[Quote]) -> dict[str, list[str]]:
    """CHEAPEST, FASTEST and BESTVALUE by service token, as Shippo marks its rates."""
    marks: dict[str, list[str]] = {q.service.token: [] for q in quotes_}
    if not quotes_:
        return marks
    cheapest = min(quotes_, key=lambda q: (Decimal(q.amount), q.estimated_days))
    fastest = min(quotes_, key=lambda q: (q.estimated_days, Decimal(q.amount)))
    best = min(quotes_, key=lambda q: (Decimal(q.amount) + 3 * q.estimated_days, q.estimated_days))
    marks[cheapest.service.token].append("CHEAPEST")
    marks[fastest.service.token].append("FASTEST")
    marks[best.service.token].append("BESTVALUE")
    return marks


def tracking_number(carrier: str, rng: random.Random) -> str:
    """A number shaped like the carrier's: USPS 9400 + 18 digits, UPS 1Z + 16, FedEx 7 + 11."""
    if carrier == "USPS":
        return "9400" + "".join(rng.choice("0123456789") for _ in range(18))
    if carrier == "UPS":
        shipper = "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY") for _ in range(6))
        return "1Z" + shipper + "03" + "".join(rng.choice("0123456789") for _ in range(8))
    return "7" + "".join(rng.choice("0123456789") for _ in range(11))


def tracking_url(carrier: str, number: str) -> str:
    if carrier == "USPS":
        return f"https://tools.usps.com/go/TrackConfirmAction_input?origTrackNum={number}"
    if carrier == "UPS":
        return f"https://www.ups.com/track?tracknum={number}"
    return f"https://www.fedex.com/fedextrack/?trknbr={number}"
