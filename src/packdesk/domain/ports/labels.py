"""What shipping an order keeps: its packages, address check and rates (the shipment), and
its label purchases with their files (the labels)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from packdesk.domain.models import LabelPurchase, Parcel, Rate
from packdesk.domain.shipping import AddressCheck, LabelFile, StoredLabel


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
    """Label purchases (one row per attempt, written before the carrier is called) and the
    files of bought labels."""

    def add(self, purchase: LabelPurchase) -> None:
        """Insert a PENDING purchase row; raises `DuplicatePurchase` when its key exists."""
        ...

    def claim(self, key: str, owner: str, *, now: datetime, until: datetime) -> bool:
        """Claim a purchase row for one process until `until`; False while another
        process's claim runs (it is sending or reconciling that purchase)."""
        ...

    def release(self, key: str, owner: str) -> None: ...

    def update(self, purchase: LabelPurchase) -> None: ...

    def get(self, key: str) -> LabelPurchase | None: ...

    def for_order(self, order_id: str) -> list[LabelPurchase]:
        """Every purchase row of the order, by package and attempt."""
        ...

    def pending(self) -> list[LabelPurchase]:
        """PENDING purchases, oldest first."""
        ...

    def record_bought(self, purchase: LabelPurchase, label: StoredLabel) -> None:
        """Store a bought purchase with its label file."""
        ...

    def mark_voided(self, key: str, *, refund_id: str, reason: str, at: datetime) -> None: ...

    def file(self, key: str) -> StoredLabel | None:
        """The label file of a bought purchase."""
        ...

    def newest_files(self, order_id: str) -> list[LabelFile]:
        """The newest bought label of each package of the order, in package order."""
        ...
