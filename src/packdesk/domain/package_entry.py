"""What the packer types for the parcel on the pack screen (F8): a box name, a weight, or
both, e.g. `M, 850 g` or `1.2 kg`. Pure: the pack session applies the answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)\s*(g|kg)?$", re.IGNORECASE)
"""A weight in grams (the default unit) or kilograms."""

MAX_PARCEL_G = 70_000.0
"""The heaviest parcel any carrier takes (70 kg); a larger figure is a typing slip."""


class PackageEntryError(ValueError):
    """The text names no box or weight packdesk can use; the message says what to type."""


@dataclass(frozen=True)
class PackageEntry:
    """The box and weight the packer typed; None for what was left out."""

    box: str | None = None
    weight_g: float | None = None

    @property
    def empty(self) -> bool:
        return self.box is None and self.weight_g is None


def parse_package_entry(text: str) -> PackageEntry:
    """Read `M, 850 g`: comma-separated, a figure is a weight (g or kg), a word a box name.

    Blank text means nothing to change."""
    box: str | None = None
    weight: float | None = None
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        match = WEIGHT.match(token)
        if match is None:
            if box is not None:
                raise PackageEntryError(
                    f"Type one box, not {box!r} and {token!r}; e.g. “M, 850 g”."
                )
            box = token
            continue
        if weight is not None:
            raise PackageEntryError(f"Type one weight, not two; e.g. “M, 850 g”, not {text!r}.")
        grams = float(match.group(1)) * (1000 if (match.group(2) or "").lower() == "kg" else 1)
        if not 0 < grams <= MAX_PARCEL_G:
            raise PackageEntryError(
                f"A weight of {grams:g} g is not possible; enter grams, e.g. 850."
            )
        weight = grams
    return PackageEntry(box=box, weight_g=weight)
