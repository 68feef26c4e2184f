"""What Shippo's address validator says about an address, for the countries the demo ships to.

US addresses are held against what USPS would accept: a state or territory code USPS knows,
a five-digit ZIP (ZIP+4 allowed) whose first digit belongs to that state's region, a street
with a house number, and a city. "1 Nowhere Rd, ZZ 00000" fails three of these at once, each
with its own message. Canadian postal codes must have the A1A 1A1 shape. Messages are shaped
as Shippo answers them: `{source, code, type, text}` with `type: address_error`.
"""

from __future__ import annotations

import re
from typing import Any

US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
CA_POSTAL = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")

# First digit of a ZIP code → the states, territories and military codes USPS serves there.
ZIP_REGIONS: dict[str, frozenset[str]] = {
    "0": frozenset({"CT", "MA", "ME", "NH", "NJ", "NY", "PR", "RI", "VT", "VI", "AE"}),
    "1": frozenset({"DE", "NY", "PA"}),
    "2": frozenset({"DC", "MD", "NC", "SC", "VA", "WV"}),
    "3": frozenset({"AL", "FL", "GA", "MS", "TN", "AA"}),
    "4": frozenset({"IN", "KY", "MI", "OH"}),
    "5": frozenset({"IA", "MN", "MT", "ND", "SD", "WI"}),
    "6": frozenset({"IL", "KS", "MO", "NE"}),
    "7": frozenset({"AR", "LA", "OK", "TX"}),
    "8": frozenset({"AZ", "CO", "ID", "NM", "NV", "UT", "WY"}),
    "9": frozenset({"AK", "AS", "CA", "GU", "HI", "MH", "FM", "MP", "OR", "PW", "WA", "AP"}),
}
US_STATES = frozenset().union(*ZIP_REGIONS.values())
UNASSIGNED_ZIP_PREFIXES = frozenset({"000", "001", "002", "003", "004"})

SHIPPO = "Shippo Address Validator"


def _message(source: str, code: str, text: str) -> dict[str, str]:
    return {"source": source, "code": code, "type": "address_error", "text": text}


def _us_messages(address: dict[str, Any]) -> list[dict[str, str]]:
    messages = []
    state = str(address.get("state") or "").strip().upper()
    postal = str(address.get("zip") or "").strip()
    if state not in US_STATES:
        shown = state or "(none)"
        messages.append(
            _message(
                SHIPPO,
                "Invalid State",
                f"The state '{shown}' is not a US state, territory or military state code.",
            )
        )
    if not US_ZIP.match(postal) or postal[:3] in UNASSIGNED_ZIP_PREFIXES:
        messages.append(
            _message(
                SHIPPO,
                "Invalid Postal Code",
                f"The postal code '{postal}' is not a valid US ZIP code.",
            )
        )
    elif state in US_STATES and state not in ZIP_REGIONS[postal[0]]:
        messages.append(
            _message(
                SHIPPO,
                "Invalid City/State/Zip",
                f"The ZIP code {postal} does not belong to the state {state}.",
            )
        )
    return messages


def validation_messages(address: dict[str, Any]) -> list[dict[str, str]]:
    """What Shippo's validator would say about an address; empty means valid."""
    country = str(address.get("country") or "").upper()
    messages = _us_messages(address) if country == "US" else []
    postal = str(address.get("zip") or "").strip()
    if country == "CA" and not CA_POSTAL.match(postal):
        messages.append(
            _message(
                SHIPPO,
                "Invalid Postal Code",
                f"The postal code '{postal}' is not a valid Canadian postal code.",
            )
        )
    street = str(address.get("street1") or "")
    if not any(ch.isdigit() for ch in street):
        messages.append(
            _message(
                "Shippo Address Validator",
                "Address Not Found",
                "The address as submitted could not be found. Please check for excess "
                "abbreviations in the street address and verify the house number.",
            )
        )
    if not str(address.get("city") or "").strip():
        messages.append(
            _message(SHIPPO, "Invalid City", "The city is missing. Please add the city.")
        )
    return messages
