"""RFM segments: customers named by their recency and frequency scores.

Scores are 1–5 by quintile (5: most recent, most orders, most spent; the store computes
them with PERCENT_RANK, ties sharing a score). The segments are the common R×F grid of RFM
practice; the monetary score is reported beside them, not used to name them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    name: str
    meaning: str


SEGMENTS: dict[str, Segment] = {
    s.name: s
    for s in (
        Segment("Champions", "bought recently and often: ask for reviews, early access"),
        Segment("Loyal", "buy often and fairly recently: keep them close"),
        Segment("Potential loyalists", "recent, a few orders: offer the next step"),
        Segment("New customers", "first order very recently: welcome them"),
        Segment("Promising", "recent, one order: make a second order easy"),
        Segment("Need attention", "average on both: a reminder helps"),
        Segment("About to sleep", "not recent, few orders: win them back now"),
        Segment("At risk", "ordered often, not lately: reach out"),
        Segment("Can't lose them", "ordered most, long ago: reach out personally"),
        Segment("Hibernating", "long ago, few orders: low priority"),
    )
}


def segment(r: int, f: int) -> str:
    """The segment of a recency score `r` and frequency score `f` (each 1–5)."""
    if r <= 2:
        if f <= 2:
            return "Hibernating"
        return "At risk" if f <= 4 else "Can't lose them"
    if r == 3:
        if f <= 2:
            return "About to sleep"
        return "Need attention" if f == 3 else "Loyal"
    if f >= 4:
        return "Champions" if r == 5 else "Loyal"
    if f >= 2:
        return "Potential loyalists"
    return "New customers" if r == 5 else "Promising"
