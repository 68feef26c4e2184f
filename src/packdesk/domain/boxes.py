"""Choosing boxes: the smallest box of the catalog that holds an order's items.

Real 3D bin packing is NP-hard and a packer fixes a bad guess in a second, so packdesk uses
a heuristic that is cheap and predictable (documented in config.example.toml):

- an item fits a box when its sorted dimensions fit the box's sorted inner dimensions
  (any rotation is allowed);
- a set of items fits a box when every item fits, the items' total volume is at most
  `FILL_FACTOR` of the box's volume (air and padding), and items plus tare stay under the
  box's `max_weight_g`;
- the chosen box is the one with the smallest volume that fits (ties: the lighter tare);
- when no box holds everything, units are placed largest first into packages, each filled
  until the biggest box would overflow, and each package then gets its own smallest box.

Items without dimensions count as weight only; a package's weight is items plus tare, and the
packer may override it (a manual weight entry).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packdesk.domain.models import Box, Parcel

DEFAULT_BOXES: tuple[Box, ...] = (
    Box(
        name="S-8x6x4", length_cm=20.3, width_cm=15.2, height_cm=10.2, tare_g=120, max_weight_g=9000
    ),
    Box(
        name="M-12x10x6",
        length_cm=30.5,
        width_cm=25.4,
        height_cm=15.2,
        tare_g=220,
        max_weight_g=18000,
    ),
    Box(
        name="L-24x18x16",
        length_cm=61.0,
        width_cm=45.7,
        height_cm=40.6,
        tare_g=650,
        max_weight_g=30000,
    ),
)
"""The catalog used when the config lists no [[boxes]] (the demo, a first start)."""

FILL_FACTOR = 0.8
"""Share of a box's inner volume items may take; the rest is padding and air."""


class BoxError(ValueError):
    """No box of the catalog can take an item; the message says which and what to do."""


@dataclass(frozen=True)
class Item:
    """One unit to pack: its size (cm) and weight (g)."""

    sku: str
    length_cm: float
    width_cm: float
    height_cm: float
    weight_g: float

    @property
    def volume(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm

    @property
    def dims(self) -> tuple[float, float, float]:
        a, b, c = sorted((self.length_cm, self.width_cm, self.height_cm), reverse=True)
        return (a, b, c)


def _box_dims(box: Box) -> tuple[float, float, float]:
    a, b, c = sorted((box.length_cm, box.width_cm, box.height_cm), reverse=True)
    return (a, b, c)


def _box_volume(box: Box) -> float:
    return box.length_cm * box.width_cm * box.height_cm


def item_fits(item: Item, box: Box) -> bool:
    """Whether one unit fits the box in some rotation."""
    return all(i <= b for i, b in zip(item.dims, _box_dims(box), strict=True))


def fits(items: Sequence[Item], box: Box) -> bool:
    """Whether all `items` go in `box` by the heuristic above."""
    weight = sum(i.weight_g for i in items) + box.tare_g
    volume = sum(i.volume for i in items)
    return (
        all(item_fits(i, box) for i in items)
        and volume <= FILL_FACTOR * _box_volume(box)
        and weight <= box.max_weight_g
    )


def by_size(boxes: Sequence[Box]) -> list[Box]:
    return sorted(boxes, key=lambda b: (_box_volume(b), b.tare_g))


def smallest_box(items: Sequence[Item], boxes: Sequence[Box]) -> Box | None:
    """The smallest box of the catalog that holds `items`, or None."""
    return next((b for b in by_size(boxes) if fits(items, b)), None)


def parcel_for(package_no: int, items: Sequence[Item], box: Box) -> Parcel:
    return Parcel(
        package_no=package_no,
        box=box.name,
        length_cm=box.length_cm,
        width_cm=box.width_cm,
        height_cm=box.height_cm,
        weight_g=round(sum(i.weight_g for i in items) + box.tare_g, 1),
    )


def choose_packages(items: Sequence[Item], boxes: Sequence[Box]) -> list[Parcel]:
    """The packages for `items`: one box if one holds them all, else several.

    Raises `BoxError` when the catalog is empty or an item fits no box at all.
    """
    if not boxes:
        raise BoxError(
            "The box catalog is empty: add [[boxes]] entries to the config "
            "(config.example.toml shows the form)."
        )
    if not items:
        raise BoxError("The order has nothing to ship, so it needs no box.")
    whole = smallest_box(items, boxes)
    if whole is not None:
        return [parcel_for(1, items, whole)]
    for item in items:
        if smallest_box([item], boxes) is None:
            raise BoxError(
                f"Item {item.sku or '(no SKU)'} ({item.length_cm:g} x {item.width_cm:g} x "
                f"{item.height_cm:g} cm, {item.weight_g:g} g) fits no box of the catalog: "
                "add a bigger box to [[boxes]] or choose the box by hand."
            )
    groups: list[list[Item]] = []
    for item in sorted(items, key=lambda i: (i.volume, i.weight_g), reverse=True):
        for group in groups:
            if smallest_box([*group, item], boxes) is not None:
                group.append(item)
                break
        else:
            groups.append([item])
    packages: list[Parcel] = []
    for n, group in enumerate(groups, start=1):
        box = smallest_box(group, boxes)
        assert box is not None  # every single item fits some box, checked above
        packages.append(parcel_for(n, group, box))
    return packages


def with_box(parcel: Parcel, box: Box, items_weight_g: float) -> Parcel:
    """The parcel in another box (the packer's choice): the items' weight plus the new tare."""
    return parcel.model_copy(
        update={
            "box": box.name,
            "length_cm": box.length_cm,
            "width_cm": box.width_cm,
            "height_cm": box.height_cm,
            "weight_g": round(items_weight_g + box.tare_g, 1),
        }
    )


def with_weight(parcel: Parcel, weight_g: float) -> Parcel:
    """The parcel with a weight the packer entered (a scale reading beats the estimate)."""
    if weight_g <= 0:
        raise BoxError(f"A weight of {weight_g:g} g is not possible: enter the parcel's weight.")
    return parcel.model_copy(update={"weight_g": round(weight_g, 1)})
