"""The rate rules pick the expected quote, and say why in one line (pure domain)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from packdesk.domain.models import Rate
from packdesk.domain.rating import RateRules, choose_rate, promise_for

T0 = datetime(2026, 11, 2, tzinfo=UTC)


def rate(carrier: str, token: str, name: str, amount: str, days: int | None) -> Rate:
    return Rate(
        id=f"rate_{token}",
        shipment_id="shp_1",
        carrier=carrier,
        service_token=token,
        service_name=name,
        amount=Decimal(amount),
        estimated_days=days,
        fetched_at=T0,
    )


DOMESTIC = [
    rate("USPS", "usps_ground_advantage", "Ground Advantage", "5.12", 5),
    rate("UPS", "ups_ground", "Ground", "7.80", 4),
    rate("USPS", "usps_priority", "Priority Mail", "9.40", 2),
    rate("FedEx", "fedex_2_day", "2Day", "18.25", 2),
    rate("UPS", "ups_next_day_air", "Next Day Air", "32.10", 1),
]
HEAVY = [
    rate("USPS", "usps_ground_advantage", "Ground Advantage", "48.00", 5),
    rate("UPS", "ups_ground", "Ground", "31.50", 5),
    rate("FedEx", "fedex_ground", "Ground", "31.50", 4),
    rate("USPS", "usps_priority", "Priority Mail", "72.00", 2),
]
INTERNATIONAL = [
    rate("USPS", "usps_priority_mail_international", "Priority Mail International", "44.10", 8),
    rate(
        "USPS",
        "usps_first_class_package_international_service",
        "First-Class International",
        "21.75",
        12,
    ),
    rate("UPS", "ups_worldwide_saver", "Worldwide Saver", "89.00", 3),
    rate("FedEx", "fedex_international_economy", "International Economy", "58.20", 6),
]
RULES = RateRules(
    promise_days={"express": 2, "priority": 3, "standard": 5, "international": 14, "": 7}
)


@pytest.mark.parametrize(
    ("case", "rates", "title", "rules", "expected", "reason"),
    [
        (
            "domestic",
            DOMESTIC,
            "Standard Shipping",
            RULES,
            "usps_ground_advantage",
            "USPS Ground Advantage $5.12 — cheapest within 5 days (UPS Ground $7.80)",
        ),
        (
            "express",
            DOMESTIC,
            "Express (1-2 days)",
            RULES,
            "usps_priority",
            "USPS Priority Mail $9.40 — cheapest within 2 days (FedEx 2Day $18.25)",
        ),
        (
            "heavy: tie goes to the faster",
            HEAVY,
            "Standard",
            RULES,
            "fedex_ground",
            "FedEx Ground $31.50 — cheapest within 5 days; faster or preferred over UPS Ground "
            "$31.50",
        ),
        (
            "heavy express over the cost limit",
            HEAVY,
            "Express",
            RULES,
            None,
            "No rate qualifies within 2 days",
        ),
        (
            "international",
            INTERNATIONAL,
            "International Shipping",
            RULES,
            "usps_first_class_package_international_service",
            "USPS First-Class International $21.75 — cheapest within 14 days",
        ),
        (
            "excluded carrier",
            DOMESTIC,
            "Standard",
            RateRules(promise_days=RULES.promise_days, excluded_carriers=["USPS"]),
            "ups_ground",
            "UPS Ground $7.80 — cheapest within 5 days",
        ),
        (
            "allowed carriers only",
            DOMESTIC,
            "Express",
            RateRules(promise_days=RULES.promise_days, allowed_carriers=["FedEx", "UPS"]),
            "fedex_2_day",
            "FedEx 2Day $18.25 — cheapest within 2 days (UPS Next Day Air $32.10)",
        ),
        (
            "excluded service",
            DOMESTIC,
            "Standard",
            RateRules(promise_days=RULES.promise_days, excluded_services=["usps_ground_advantage"]),
            "ups_ground",
            "UPS Ground $7.80",
        ),
        (
            "max cost",
            DOMESTIC,
            "Express",
            RateRules(promise_days=RULES.promise_days, max_cost=Decimal("9")),
            None,
            "above the $9.00 limit",
        ),
    ],
)
def test_rules_pick_the_expected_rate(
    case: str,
    rates: list[Rate],
    title: str,
    rules: RateRules,
    expected: str | None,
    reason: str,
) -> None:
    choice = choose_rate(rates, title, rules)
    assert (choice.rate.service_token if choice.rate else None) == expected, case
    assert reason in choice.reason, case


def test_carrier_preference_breaks_full_ties() -> None:
    tied = [
        rate("UPS", "ups_ground", "Ground", "7.00", 3),
        rate("USPS", "usps_ground_advantage", "Ground Advantage", "7.00", 3),
    ]
    assert choose_rate(tied, "", RateRules()).rate.carrier == "USPS"  # type: ignore[union-attr]
    prefer_ups = RateRules(carrier_preference=["UPS", "USPS"])
    assert choose_rate(tied, "", prefer_ups).rate.carrier == "UPS"  # type: ignore[union-attr]


def test_nothing_qualifies_is_one_clear_sentence() -> None:
    choice = choose_rate(DOMESTIC[:2], "Express", RULES)
    assert choice.rate is None
    assert choice.reason == (
        "No rate qualifies within 2 days (2 slower than the promise; the fastest is UPS "
        "Ground $7.80 in 4 days) — change the [shipping] rules or the shipping method in "
        "Shopify, or put the order on hold."
    )
    assert "no rates" in choose_rate([], "Standard", RULES).reason


def test_promise_comes_from_the_shipping_line_title() -> None:
    assert promise_for("EXPRESS shipping", RULES) == 2
    assert promise_for("Priority", RULES) == 3
    assert promise_for("Free shipping", RULES) == 7
    assert promise_for("", RateRules(promise_days={"express": 1})) == 7


def test_to_an_apo_address_only_usps_quotes_count() -> None:
    choice = choose_rate(HEAVY, "Standard", RateRules(), military=True)
    assert choice.rate is not None
    assert choice.rate.service_token == "usps_ground_advantage"  # not UPS's cheaper ground
    assert {r.carrier for r in choice.qualifying} == {"USPS"}


def test_an_apo_parcel_with_no_usps_quote_says_why_nothing_qualifies() -> None:
    others = [r for r in HEAVY if r.carrier != "USPS"]
    choice = choose_rate(others, "Standard", RateRules(), military=True)
    assert choice.rate is None
    assert "(2 no delivery to APO/FPO/DPO; " in choice.reason
