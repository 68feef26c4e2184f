"""Getting queued orders ready to ship: address check, box choice and rate shopping.

An order entering the queue has its address checked by the carrier (one it cannot use goes
ON_HOLD with the carrier's words), its packages chosen from the box catalog, and its rates
fetched and chosen by the rules; then it is READY, so that scanning it goes straight to a
label. Rates older than `rate_max_age` are fetched again before they are used.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from packdesk.domain.boxes import BoxError, Item, choose_packages, with_box, with_weight
from packdesk.domain.clock import Clock
from packdesk.domain.customs import (
    CustomsDeclaration,
    CustomsError,
    CustomsProduct,
    declaration_for,
    is_military,
    needs_customs,
)
from packdesk.domain.events import OrderStateChanged
from packdesk.domain.models import Box, Order, Parcel, Rate, StationOrder, Transition
from packdesk.domain.ports import Carrier, EventPublisher, Store
from packdesk.domain.rating import RateChoice, RateRules, choose_rate
from packdesk.domain.remaining import order_to_ship
from packdesk.domain.shipping import AddressCheck, CarrierError, ShipmentRequest
from packdesk.domain.states import LABEL_BOUGHT_STATES, StationState
from packdesk.services.station import record_transition

log = logging.getLogger(__name__)

S = StationState


class ShippingProblem(Exception):
    """Something stops an order from shipping; `str()` is the sentence with the fix."""


@dataclass(frozen=True)
class ShippingConfig:
    """What the shipping services need from `[shipping]`, `[[boxes]]`, `[shippo]` and
    `[[printers]]` (built by the composition root; services never read Settings)."""

    rules: RateRules = field(default_factory=RateRules)
    boxes: tuple[Box, ...] = ()
    location_code: str = "CA"
    label_printer: str = ""
    label_printer_kind: str = "folder"
    label_fee: Decimal = Decimal("0.05")
    rate_max_age: timedelta = timedelta(hours=24)
    customs: Mapping[str, CustomsProduct] = field(default_factory=dict)
    customs_signer: str = "Shipping Manager"
    batch_workers: int = 4
    batch_per_minute: int = 0
    settle_grace: timedelta = timedelta(seconds=60)
    """How long after a purchase request whose answer was lost Shippo may still make its
    label: nothing is bought again for that package before the key is looked up then."""
    sweep_for: timedelta = timedelta(hours=1)
    """How long after a purchase's last request Shippo's transactions are checked for
    extra labels under its key."""


def shop_order_id(order_id: str) -> str:
    """`gid://shopify/Order/1001` -> `1001`: the id in purchase keys and Shippo metadata."""
    return order_id.rsplit("/", 1)[-1]


class ShippingService:
    def __init__(
        self,
        store: Store,
        carrier: Carrier,
        bus: EventPublisher,
        clock: Clock,
        config: ShippingConfig,
    ) -> None:
        self.store = store
        self.carrier = carrier
        self.bus = bus
        self.clock = clock
        self.config = config

    # --- lookups -------------------------------------------------------------------------

    def order(self, name_or_id: str) -> Order:
        order = self.store.orders.get(name_or_id) or self.store.orders.by_name(name_or_id)
        if order is None:
            raise ShippingProblem(
                f"No order {name_or_id} in the local database: check the name or run "
                "`packdesk sync --once`."
            )
        return order

    # --- moves ---------------------------------------------------------------------------

    def move(
        self,
        order: Order,
        current: StationOrder | None,
        to: StationState,
        *,
        actor: str,
        reason: str,
    ) -> StationOrder:
        """Apply a transition the shipping flow makes, and tell the bus."""
        held_from = current.state if to is S.ON_HOLD and current else None
        result = record_transition(
            self.store,
            Transition(
                order_id=order.id,
                from_state=current.state if current else None,
                to_state=to,
                actor=actor,
                reason=reason,
                held_from=held_from,
                at=self.clock.now(),
            ),
        )
        self.publish(order, current, result)
        return result

    def publish(self, order: Order, before: StationOrder | None, after: StationOrder) -> None:
        self.bus.publish(
            OrderStateChanged(
                at=after.updated_at,
                order_id=order.id,
                order_name=order.name,
                from_state=before.state if before else None,
                to_state=after.state,
                reason=after.reason,
            )
        )

    # --- address -------------------------------------------------------------------------

    def check_address(self, order: Order) -> AddressCheck:
        """Ask the carrier about the order's address and keep its answer."""
        address = order.shipping_address
        if address is None:
            check = AddressCheck(valid=False, messages=("the order has no shipping address",))
        else:
            check = self.carrier.validate_address(address)
        self.store.shipments.save_address_check(order.id, check, self.clock.now())
        return check

    @staticmethod
    def address_sentence(order: Order, check: AddressCheck) -> str:
        words = "; ".join(check.messages) or "it cannot be used"
        return (
            f"Shippo refused the address of {order.name}: {words} — edit the address in "
            "Shopify, then release the order."
        )

    # --- packages ------------------------------------------------------------------------

    def here(self) -> str:
        """The GID of the station's location ("" until the locations are synced)."""
        location = self.store.catalog.location(self.config.location_code)
        return location.id if location else ""

    def to_ship(self, order: Order) -> Order:
        """The order as this station's parcel carries it: only what remains to ship from
        here (a partly shipped order's earlier parcels left out)."""
        return order_to_ship(order, self.here())

    def items_of(self, order: Order) -> list[Item]:
        """The units this station packs: what remains to ship from here."""
        order = self.to_ship(order)
        variants = self.store.catalog.variants_by_id([li.variant_id for li in order.line_items])
        items: list[Item] = []
        for line in order.line_items:
            if not line.requires_shipping or line.quantity <= 0:
                continue
            v = variants.get(line.variant_id)
            if v is None:
                raise ShippingProblem(
                    f"Order {order.name}: SKU {line.sku or '(none)'} ({line.title}) is not in "
                    "the local catalog, so its size and weight are unknown — run "
                    "`packdesk sync --once`, or enter the box and weight by hand."
                )
            item = Item(
                sku=line.sku,
                length_cm=v.length_cm,
                width_cm=v.width_cm,
                height_cm=v.height_cm,
                weight_g=v.weight_g,
            )
            items.extend([item] * line.quantity)
        return items

    def packages(self, order: Order) -> list[Parcel]:
        """The order's packages: the packer's choice when there is one, else the boxes for
        what remains to ship from here, chosen again when that changed (an edit, a part
        shipped meanwhile, a new catalog weight), which drops their stale rates. Packages of
        an order whose label is bought stay as they were bought."""
        stored = self.store.shipments.packages(order.id)
        if stored and (self.store.shipments.chosen_by_packer(order.id) or self._labeled(order)):
            return stored
        try:
            parcels = choose_packages(self.items_of(order), self.config.boxes)
        except (BoxError, ShippingProblem) as exc:
            if stored:
                return stored
            if isinstance(exc, ShippingProblem):
                raise
            raise ShippingProblem(f"Order {order.name}: {exc}") from exc
        if parcels != stored:
            with self.store.transaction():
                self.store.shipments.save_packages(order.id, parcels, overridden=False)
                for p in parcels if stored else ():
                    self.store.shipments.save_rates(order.id, p.package_no, [], None, "")
        return parcels

    def _labeled(self, order: Order) -> bool:
        current = self.store.station.get(order.id)
        return current is not None and current.state in (
            *LABEL_BOUGHT_STATES,
            S.DELIVERED,
            S.CANCELLED,
        )

    def set_package(
        self, order: Order, *, box: str | None = None, weight_g: float | None = None
    ) -> list[Parcel]:
        """The packer's box choice or weight entry (the order ships as one package then,
        if a box is named). Works without catalog data when both are given."""
        if box is not None:
            chosen = next((b for b in self.config.boxes if b.name.lower() == box.lower()), None)
            if chosen is None:
                names = ", ".join(b.name for b in self.config.boxes) or "none configured"
                raise ShippingProblem(f"No box named {box}: the catalog has {names}.")
            items_weight = 0.0
            if weight_g is None:
                items_weight = sum(i.weight_g for i in self.items_of(order))
            empty = Parcel(
                package_no=1, box=chosen.name, length_cm=0, width_cm=0, height_cm=0, weight_g=0
            )
            parcels = [with_box(empty, chosen, items_weight)]
        else:
            parcels = self.packages(order)
        if weight_g is not None:
            try:
                parcels = [with_weight(parcels[0], weight_g), *parcels[1:]]
            except BoxError as exc:
                raise ShippingProblem(str(exc)) from exc
        self.store.shipments.save_packages(order.id, parcels, overridden=True)
        for p in parcels:
            self.store.shipments.save_rates(order.id, p.package_no, [], None, "")
        return parcels

    # --- rates ---------------------------------------------------------------------------

    def shipment_for(self, order: Order, parcel: Parcel) -> ShipmentRequest:
        location = self.store.catalog.location(self.config.location_code)
        if location is None or location.address is None:
            raise ShippingProblem(
                f"Location {self.config.location_code} has no ship-from address in the local "
                "database: run `packdesk sync --once`, or fix [station].location."
            )
        if order.shipping_address is None:
            raise ShippingProblem(f"Order {order.name} has no shipping address.")
        return ShipmentRequest(
            order_id=order.id,
            ship_from=location.address,
            ship_to=order.shipping_address,
            parcel=parcel,
            customs=self.customs_for(order),
        )

    def customs_for(self, order: Order) -> CustomsDeclaration | None:
        """The customs form of what this station's parcel carries (abroad only)."""
        if not needs_customs(order):
            return None
        order = self.to_ship(order)
        variants = self.store.catalog.variants_by_id([li.variant_id for li in order.line_items])
        try:
            return declaration_for(
                order, variants, self.config.customs, signer=self.config.customs_signer
            )
        except CustomsError as exc:
            raise ShippingProblem(str(exc)) from exc

    def fetch_rates(self, order: Order, parcel: Parcel) -> RateChoice:
        """Fetch fresh quotes for one package, choose one, and store both."""
        rates = self.carrier.get_rates(self.shipment_for(order, parcel))
        military = order.shipping_address is not None and is_military(order.shipping_address)
        choice = choose_rate(rates, order.shipping_title, self.config.rules, military=military)
        chosen_id = choice.rate.id if choice.rate else None
        self.store.shipments.save_rates(
            order.id, parcel.package_no, rates, chosen_id, choice.reason
        )
        return choice

    def rate_for(self, order: Order, parcel: Parcel) -> RateChoice:
        """The stored choice if fresh enough, else a fresh one."""
        rate, reason = self.store.shipments.chosen_rate(order.id, parcel.package_no)
        if rate is not None and self.is_fresh(rate):
            return RateChoice(rate, reason, 0)
        return self.fetch_rates(order, parcel)

    def is_fresh(self, rate: Rate) -> bool:
        return self.clock.now() - rate.fetched_at < self.config.rate_max_age

    def rates(self, order: Order) -> list[tuple[Parcel, list[Rate], RateChoice]]:
        """Every package with its quotes and the choice (for `packdesk rates`)."""
        out = []
        for parcel in self.packages(order):
            choice = self.rate_for(order, parcel)
            out.append((parcel, self.store.shipments.rates(order.id, parcel.package_no), choice))
        return out

    # --- the queue job -------------------------------------------------------------------

    def prepare(self, order: Order, *, actor: str = "rates") -> StationOrder | None:
        """Address check, packages and rates for a NEW order; READY when it can ship."""
        current = self.store.station.get(order.id)
        if current is not None and current.state is not S.NEW:
            return current
        check = self.check_address(order)
        if not check.valid:
            return self.move(
                order, current, S.ON_HOLD, actor=actor, reason=self.address_sentence(order, check)
            )
        try:
            choices = [self.fetch_rates(order, p) for p in self.packages(order)]
        except ShippingProblem as exc:
            return self.move(order, current, S.ON_HOLD, actor=actor, reason=str(exc))
        missing = next((c for c in choices if c.rate is None), None)
        if missing is not None:
            return self.move(
                order,
                current,
                S.ON_HOLD,
                actor=actor,
                reason=f"Order {order.name}: {missing.reason}",
            )
        return self.move(
            order, current, S.READY, actor=actor, reason="; ".join(c.reason for c in choices)
        )

    def refresh_queue(self, *, limit: int = 50) -> int:
        """The background job: prepare NEW orders and refresh stale rates of READY ones.

        Stops at the first carrier outage (the next run tries again); returns how many
        orders it touched."""
        done = 0
        for station in self.store.station.in_states([S.NEW, S.READY])[:limit]:
            order = self.store.orders.get(station.order_id)
            if order is None:
                continue
            try:
                if station.state is S.NEW:
                    self.prepare(order)
                else:
                    for parcel in self.packages(order):
                        self.rate_for(order, parcel)
            except CarrierError as exc:
                log.warning("rates for %s: %s", order.name, exc)
                break
            except ShippingProblem as exc:
                log.warning("rates for %s: %s", order.name, exc)
                continue
            done += 1
        return done


__all__ = ["ShippingConfig", "ShippingProblem", "ShippingService", "shop_order_id"]
