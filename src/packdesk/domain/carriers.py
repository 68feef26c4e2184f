"""The carrier accounts of the Shippo account, and which of them packdesk buys labels from.

Shippo quotes from every active carrier account (its own USPS, UPS and DHL accounts and any
the merchant connected); packdesk then keeps the quotes of the carriers `[shipping]` allows.
`packdesk carriers` shows both halves side by side, so an owner can see why a carrier never
appears on a label.
"""

from __future__ import annotations

from packdesk.domain.models import Model
from packdesk.domain.rating import RateRules


class CarrierAccount(Model):
    """One carrier account as Shippo lists it (`GET /carrier_accounts`)."""

    object_id: str
    carrier: str
    """Shippo's carrier token: `usps`, `ups`, `fedex`, `dhl_express`, ..."""
    carrier_name: str = ""
    """The carrier as rates name it (`USPS`, `UPS`, `FedEx`); empty when Shippo leaves it out."""
    account_id: str = ""
    """The account number, masked by Shippo (`****`)."""
    active: bool = True
    """Whether Shippo asks this account for rates."""
    is_shippo_account: bool = False
    """A carrier account Shippo provides (its discounted rates), not one the merchant connected."""
    test: bool = False
    """Answered for a test token: labels from it are not real."""

    @property
    def name(self) -> str:
        return self.carrier_name or self.carrier.replace("_", " ").upper()


def _norm(value: str) -> str:
    return value.strip().lower().replace(" ", "").replace("_", "")


def _listed(account: CarrierAccount, names: tuple[str, ...] | list[str]) -> bool:
    wanted = {_norm(n) for n in names}
    return _norm(account.name) in wanted or _norm(account.carrier) in wanted


def why_unused(account: CarrierAccount, rules: RateRules) -> str:
    """Why packdesk never buys from `account`, as the end of a sentence; "" when it does."""
    if not account.active:
        return "inactive in Shippo (Settings → Carriers switches it on)"
    if not _listed(account, list(rules.allowed_carriers)):
        return "not in [shipping].allowed_carriers"
    if _listed(account, list(rules.excluded_carriers)):
        return "listed in [shipping].excluded_carriers"
    return ""
