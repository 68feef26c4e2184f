"""`packdesk carriers`: the Shippo account's carrier accounts and which ones packdesk uses."""

from __future__ import annotations

from dataclasses import dataclass

from packdesk.domain.carriers import CarrierAccount, why_unused
from packdesk.domain.ports import CarrierAccounts
from packdesk.domain.rating import RateRules


@dataclass(frozen=True)
class CarrierUse:
    account: CarrierAccount
    unused_because: str
    """Why packdesk never buys from this account; "" when it does."""

    @property
    def used(self) -> bool:
        return not self.unused_because


class CarrierAccountsService:
    def __init__(self, accounts: CarrierAccounts, rules: RateRules) -> None:
        self.accounts = accounts
        self.rules = rules

    def report(self) -> list[CarrierUse]:
        """Every carrier account with whether packdesk buys labels from it, and why not."""
        return [
            CarrierUse(account, why_unused(account, self.rules))
            for account in self.accounts.carrier_accounts()
        ]
