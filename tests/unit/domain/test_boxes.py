"""Box choice from the catalog: smallest that fits, rotations, splits, weights (pure)."""

from __future__ import annotations

import pytest

from packdesk.domain.boxes import BoxError, Item, choose_packages, with_box, with_weight
from packdesk.domain.models import Box

S = Box(name="S", length_cm=20, width_cm=15, height_cm=10, tare_g=120, max_weight_g=9000)
M = Box(name="M", length_cm=30, width_cm=25, height_cm=15, tare_g=220, max_weight_g=18000)
L = Box(name="L", length_cm=45, width_cm=35, height_cm=30, tare_g=450, max_weight_g=25000)
CATALOG = [L, S, M]

CARDS = Item("CARDS", 15, 10, 3, 250)
PUZZLE = Item("PUZZLE", 28, 24, 14, 7000)


def test_smallest_box_that_fits_is_chosen() -> None:
    [parcel] = choose_packages([CARDS, CARDS], CATALOG)
    assert parcel.box == "S"
    assert parcel.weight_g == 2 * 250 + 120


def test_rotation_is_allowed() -> None:
    # 4 x 4 x 19 stands up in no orientation of S as given (20 x 15 x 10), but lies down.
    [parcel] = choose_packages([Item("TUBE", 4, 4, 19, 100)], CATALOG)
    assert parcel.box == "S"
    [flat] = choose_packages([Item("BOARD", 14, 3, 19, 100)], CATALOG)
    assert flat.box == "S"


def test_volume_and_weight_push_to_a_bigger_box() -> None:
    assert choose_packages([CARDS] * 10, CATALOG)[0].box == "M"  # 4500 cm3 > 80% of S
    heavy = Item("IRON", 10, 10, 5, 8950)
    assert choose_packages([heavy], CATALOG)[0].box == "M"  # 8950 + 120 tare > 9000


def test_several_packages_when_no_box_holds_everything() -> None:
    parcels = choose_packages([PUZZLE] * 4 + [CARDS], CATALOG)  # 28.25 kg > any box
    assert [p.package_no for p in parcels] == [1, 2]
    tares = {b.name: b.tare_g for b in CATALOG}
    assert sum(p.weight_g - tares[p.box] for p in parcels) == 4 * 7000 + 250
    assert all(p.weight_g <= 25000 for p in parcels)


def test_item_too_big_for_every_box_names_it() -> None:
    with pytest.raises(BoxError, match=r"Item KAYAK \(300 x 60 x 40 cm, 20000 g\) fits no box"):
        choose_packages([Item("KAYAK", 300, 60, 40, 20000)], CATALOG)
    with pytest.raises(BoxError, match="catalog is empty"):
        choose_packages([CARDS], [])


def test_weight_override_and_box_change() -> None:
    [parcel] = choose_packages([CARDS], CATALOG)
    assert with_weight(parcel, 412).weight_g == 412
    moved = with_box(parcel, M, items_weight_g=250)
    assert (moved.box, moved.weight_g, moved.length_cm) == ("M", 470, 30)
    with pytest.raises(BoxError, match="not possible"):
        with_weight(parcel, 0)
