"""Rate shopping: which of the carriers' quotes to buy, and one line saying why.

The rules come from `[shipping]` in config (converted to `RateRules` by the composition
root): the delivery promise is read from the Shopify shipping line's title, quotes from
carriers or services not allowed, above the maximum cost, or slower than the promise are set
aside, and the cheapest of the rest wins. Ties go to the faster quote, then to the carrier
listed first in `carrier_preference` (default: the order of `allowed_carriers`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from packdesk.domain.models import Rate


@dataclass(frozen=True)
class RateRules:
    promise_days: Mapping[str, int] = field(
        default_factory=lambda: {"express": 2, "priority": 3, "standard": 5, "": 7}
    )
    """Days promised by words in the shipping line title (lowercase); "" for any other."""
    allowed_carriers: Sequence[str] = ("USPS", "UPS", "FedEx")
    excluded_carriers: Sequence[str] = ()
    allowed_services: Sequence[str] = ()
    """Service level tokens allowed; empty allows every service of the allowed carriers."""
    excluded_services: Sequence[str] = ()
    max_cost: Decimal = Decimal("60")
    carrier_preference: Sequence[str] = ()
    """Tie-break order of carriers; empty means the order of `allowed_carriers`."""


@dataclass(frozen=True)
class RateChoice:
    """The quote to buy (None when nothing qualifies) and the sentence explaining it."""

    rate: Rate | None
    reason: str
    promise_days: int
    qualifying: tuple[Rate, ...] = ()


def promise_for(shipping_title: str, rules: RateRules) -> int:
    """Days the customer was promised: the longest key found in the title, else the "" key."""
    title = shipping_title.lower()
    words = sorted((k for k in rules.promise_days if k), key=len, reverse=True)
    for word in words:
        if word.lower() in title:
            return rules.promise_days[word]
    return rules.promise_days.get("", 7)


def _norm(values: Sequence[str]) -> set[str]:
    return {v.strip().lower() for v in values}


MILITARY_CARRIER = "usps"
"""The one carrier that delivers to APO, FPO and DPO addresses."""


def why_not(rate: Rate, promise: int, rules: RateRules, *, military: bool = False) -> str:
    """Why `rate` cannot be bought under `rules` (to an APO/FPO/DPO address if `military`),
    or "" when it can."""
    carrier = rate.carrier.lower()
    if military and carrier != MILITARY_CARRIER:
        return "no delivery to APO/FPO/DPO"
    if rules.allowed_carriers and carrier not in _norm(rules.allowed_carriers):
        return "carrier not allowed"
    if carrier in _norm(rules.excluded_carriers):
        return "carrier excluded"
    token = rate.service_token.lower()
    if rules.allowed_services and token not in _norm(rules.allowed_services):
        return "service not allowed"
    if token in _norm(rules.excluded_services):
        return "service excluded"
    if rate.amount > rules.max_cost:
        return f"above the ${rules.max_cost:.2f} limit"
    if rate.estimated_days is None:
        return "no delivery estimate"
    if rate.estimated_days > promise:
        return f"{rate.estimated_days} days"
    return ""


def _preference(rules: RateRules) -> list[str]:
    order = rules.carrier_preference or rules.allowed_carriers
    return [c.lower() for c in order]


def sort_key(rate: Rate, rules: RateRules) -> tuple[Decimal, int, int, str]:
    prefs = _preference(rules)
    carrier = rate.carrier.lower()
    rank = prefs.index(carrier) if carrier in prefs else len(prefs)
    days = rate.estimated_days if rate.estimated_days is not None else 999
    return (rate.amount, days, rank, rate.service_name)


def choose_rate(
    rates: Sequence[Rate], shipping_title: str, rules: RateRules, *, military: bool = False
) -> RateChoice:
    """The cheapest quote within the promise under the rules, with its one-line reason; to an
    APO/FPO/DPO address (`military`) only USPS's quotes count, whatever else is quoted."""
    promise = promise_for(shipping_title, rules)
    if not rates:
        return RateChoice(
            None,
            "The carriers returned no rates for this parcel — check the address and the "
            "parcel's size and weight, then fetch rates again.",
            promise,
        )
    qualifying = sorted(
        (r for r in rates if not why_not(r, promise, rules, military=military)),
        key=lambda r: sort_key(r, rules),
    )
    if not qualifying:
        return RateChoice(None, _nothing_qualifies(rates, promise, rules, military), promise)
    best = qualifying[0]
    days = "day" if promise == 1 else "days"
    reason = f"{best.describe()} — cheapest within {promise} {days}"
    if len(qualifying) > 1:
        runner = qualifying[1]
        if runner.amount == best.amount:
            reason += f"; faster or preferred over {runner.describe()}"
        else:
            reason += f" ({runner.describe()})"
    return RateChoice(best, reason, promise, tuple(qualifying))


def _nothing_qualifies(
    rates: Sequence[Rate], promise: int, rules: RateRules, military: bool
) -> str:
    days = "day" if promise == 1 else "days"
    counted: dict[str, int] = {}
    for r in rates:
        reason = why_not(r, promise, rules, military=military)
        key = "slower than the promise" if reason.endswith(" days") else reason
        counted[key] = counted.get(key, 0) + 1
    summary = ", ".join(f"{n} {why}" for why, n in sorted(counted.items()))
    fastest = min(
        (r for r in rates if r.estimated_days is not None),
        key=lambda r: (r.estimated_days or 0, r.amount),
        default=None,
    )
    hint = ""
    if fastest is not None:
        hint = f"; the fastest is {fastest.describe()} in {fastest.estimated_days} days"
    return (
        f"No rate qualifies within {promise} {days} ({summary}{hint}) — change the [shipping] "
        "rules or the shipping method in Shopify, or put the order on hold."
    )
