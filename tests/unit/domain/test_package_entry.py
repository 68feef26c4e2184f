"""What the packer types for the parcel (F8): a box, a weight in g or kg, or both."""

from __future__ import annotations

import pytest

from packdesk.domain.package_entry import PackageEntry, PackageEntryError, parse_package_entry


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("M, 850 g", PackageEntry(box="M", weight_g=850)),
        ("850", PackageEntry(weight_g=850)),
        ("1.2 KG", PackageEntry(weight_g=1200)),
        (" M-12x10x6 ", PackageEntry(box="M-12x10x6")),
        ("900g, S", PackageEntry(box="S", weight_g=900)),
        ("  ", PackageEntry()),
        (",", PackageEntry()),
    ],
)
def test_a_box_a_weight_or_both(text: str, entry: PackageEntry) -> None:
    assert parse_package_entry(text) == entry


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("0 g", "A weight of 0 g is not possible; enter grams, e.g. 850."),
        ("71 kg", "A weight of 71000 g is not possible; enter grams, e.g. 850."),
        ("S, M", "Type one box, not 'S' and 'M'"),
        ("850, 900 g", "Type one weight, not two"),
    ],
)
def test_what_cannot_be_a_parcel_says_what_to_type(text: str, sentence: str) -> None:
    with pytest.raises(PackageEntryError) as refused:
        parse_package_entry(text)
    assert str(refused.value).startswith(sentence)
