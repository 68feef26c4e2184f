"""What shipping an order keeps: its packages, address check and rates (the shipment), and
its label purchases with their files (the labels)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.models import LabelPurchase, Parcel, PurchaseState, Rate
from packdesk.domain.shipping import AddressCheck, ExtraLabel, LabelFile, StoredLabel


class DuplicatePurchase(RuntimeError):
    """A purchase row with that key exists already (another thread or process wrote it)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"A label purchase {key} exists already; it is being handled.")
        self.key = key


class ShipmentRepository(Protocol):
    """Packages, the carrier's word on the address, and rates, per order."""

    def packages(self, order_id: str) -> list[Parcel]:
        """The order's packages in package order."""
        ...

    def package(self, order_id: str, package_no: int = 1) -> Parcel | None: ...

    def chosen_by_packer(self, order_id: str) -> bool:
        """Whether the packages are a packer's choice (a box or a weight entered by hand)."""
        ...

    def save_packages(self, order_id: str, parcels: Sequence[Parcel], *, overridden: bool) -> None:
        """Replace the order's packages (and drop the rates of packages that are gone)."""
        ...

    def save_package(self, order_id: str, parcel: Parcel, *, weight_overridden: bool) -> None:
        """Replace one package, keeping the others."""
        ...

    def save_address_check(self, order_id: str, check: AddressCheck, at: datetime) -> None: ...

    def address_check(self, order_id: str) -> AddressCheck | None: ...

    def save_rates(
        self,
        order_id: str,
        package_no: int,
        rates: Sequence[Rate],
        chosen_id: str | None,
        reason: str,
    ) -> None:
        """Replace the package's rates, marking the chosen one with its reason."""
        ...

    def rates(self, order_id: str, package_no: int) -> list[Rate]:
        """The package's rates, cheapest first."""
        ...

    def chosen_rate(self, order_id: str, package_no: int) -> tuple[Rate | None, str]:
        """The rate chosen for the package (None when none could be) and the reason."""
        ...


class LabelRepository(Protocol):
    """Label purchases (one row per attempt, written claimed before the carrier is called),
    the files of bought labels, and extra labels found later.

    Every change to a purchase row is a compare-and-set: it names the claim's owner and the
    state the owner expects, and returns False when the row did not match (another process
    holds the claim, or moved the row on): the caller has lost and stops.
    """

    def add(self, purchase: LabelPurchase) -> None:
        """Insert a PENDING purchase row, claimed as `purchase.claimed_by` says; raises
        `DuplicatePurchase` when its key (or its package and attempt) exists."""
        ...

    def claim(
        self, key: str, owner: str, *, now: datetime, until: datetime, take_from: str = ""
    ) -> bool:
        """Claim a PENDING purchase for `owner` until `until` (or renew its own claim).
        False while another process's claim runs, unless that claim is `take_from` (a
        process the caller proved gone), or when the row is no longer PENDING."""
        ...

    def release(self, key: str, owner: str) -> None:
        """Drop `owner`'s claim, if it still holds it."""
        ...

    def send(self, purchase: LabelPurchase, owner: str) -> bool:
        """Record that a purchase request is about to go out: the rate, `sent_at`, its
        outcome unclear until an answer comes, and the claim renewed. Only `owner`'s
        PENDING row whose previous request is settled (not unclear, no transaction) matches."""
        ...

    def update(self, purchase: LabelPurchase, *, owner: str, expect: PurchaseState) -> bool:
        """Write what the carrier said (state, transaction, error, the claim's time) to the
        row, if `owner` holds it and it is in state `expect`."""
        ...

    def get(self, key: str) -> LabelPurchase | None: ...

    def for_order(self, order_id: str) -> list[LabelPurchase]:
        """Every purchase row of the order, by package and attempt."""
        ...

    def pending(self) -> list[LabelPurchase]:
        """PENDING purchases, oldest first."""
        ...

    def sent_since(self, since: datetime) -> list[LabelPurchase]:
        """Settled purchases (not PENDING) whose last request went out at or after `since`."""
        ...

    def record_bought(self, purchase: LabelPurchase, label: StoredLabel, *, owner: str) -> bool:
        """Store a bought purchase (from PENDING, by `owner`) with its label file; False
        when the row did not match. A label file is never replaced."""
        ...

    def mark_voided(self, key: str, *, refund_id: str, reason: str, at: datetime) -> bool:
        """Mark a BOUGHT purchase VOIDED; False when it is not BOUGHT."""
        ...

    def file(self, key: str) -> StoredLabel | None:
        """The label file of a bought purchase."""
        ...

    def newest_files(self, order_id: str) -> list[LabelFile]:
        """The newest bought label of each package of the order, in package order."""
        ...

    def add_extra(self, extra: ExtraLabel) -> bool:
        """Remember an extra label; False when it is known already."""
        ...

    def extra(self, transaction_id: str) -> ExtraLabel | None: ...

    def extras(self, order_id: str) -> list[ExtraLabel]:
        """The order's extra labels, oldest first."""
        ...

    def extra_refunded(self, transaction_id: str, *, refund_id: str, at: datetime) -> bool:
        """Mark an extra label refunded; False when it was already."""
        ...

    def extra_refused(self, transaction_id: str, *, error: str) -> bool:
        """Keep why Shippo refused to refund an extra label; False when a refusal (or the
        refund) is known already."""
        ...
