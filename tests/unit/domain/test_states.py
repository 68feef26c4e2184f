"""Every transition of the station's state machine: the allowed ones and the refused ones."""

from __future__ import annotations

import itertools

import pytest

from packdesk.domain.states import (
    ALLOWED_TRANSITIONS,
    StationState,
    TransitionRefused,
    can_transition,
    check_transition,
)

S = StationState

EXPECTED_ALLOWED = {
    (S.NEW, S.READY), (S.NEW, S.PACKING), (S.NEW, S.ON_HOLD), (S.NEW, S.ERROR),
    (S.NEW, S.FULFILLED), (S.NEW, S.CANCELLED),
    (S.READY, S.NEW), (S.READY, S.PACKING), (S.READY, S.ON_HOLD), (S.READY, S.ERROR),
    (S.READY, S.FULFILLED), (S.READY, S.CANCELLED),
    (S.PACKING, S.NEW), (S.PACKING, S.READY), (S.PACKING, S.PACKED), (S.PACKING, S.ON_HOLD),
    (S.PACKING, S.FULFILLED), (S.PACKING, S.CANCELLED),
    (S.PACKED, S.PACKING), (S.PACKED, S.LABELED), (S.PACKED, S.ON_HOLD), (S.PACKED, S.ERROR),
    (S.PACKED, S.CANCELLED),
    (S.LABELED, S.PRINTED), (S.LABELED, S.FULFILLED), (S.LABELED, S.PACKED),
    (S.LABELED, S.ERROR),
    (S.PRINTED, S.FULFILLED), (S.PRINTED, S.PACKED),
    (S.FULFILLED, S.DELIVERED),
    (S.ON_HOLD, S.NEW), (S.ON_HOLD, S.READY), (S.ON_HOLD, S.PACKED), (S.ON_HOLD, S.FULFILLED),
    (S.ON_HOLD, S.CANCELLED),
    (S.ERROR, S.NEW), (S.ERROR, S.READY), (S.ERROR, S.PACKED), (S.ERROR, S.LABELED),
    (S.ERROR, S.ON_HOLD), (S.ERROR, S.CANCELLED),
    # issue #4: moved to another location in Shopify; back to NEW only if moved back
    (S.NEW, S.MOVED), (S.READY, S.MOVED), (S.PACKING, S.MOVED), (S.PACKED, S.MOVED),
    (S.ON_HOLD, S.MOVED), (S.ERROR, S.MOVED), (S.MOVED, S.NEW),
}  # fmt: skip

ALL_PAIRS = list(itertools.product(StationState, repeat=2))


def test_table_matches_the_documented_transitions() -> None:
    table = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == EXPECTED_ALLOWED


@pytest.mark.parametrize(("current", "wanted"), sorted(EXPECTED_ALLOWED), ids=lambda s: s.value)
def test_allowed_transition(current: StationState, wanted: StationState) -> None:
    assert can_transition(current, wanted)
    check_transition("#1001", current, wanted)


@pytest.mark.parametrize(
    ("current", "wanted"),
    sorted(set(ALL_PAIRS) - EXPECTED_ALLOWED),
    ids=lambda s: s.value,
)
def test_refused_transition(current: StationState, wanted: StationState) -> None:
    assert not can_transition(current, wanted)
    with pytest.raises(TransitionRefused) as refused:
        check_transition("#1001", current, wanted)
    message = str(refused.value)
    assert "#1001" in message
    assert current.value in message
    assert wanted.value in message


def test_terminal_states_go_nowhere() -> None:
    assert not ALLOWED_TRANSITIONS[S.DELIVERED]
    assert not ALLOWED_TRANSITIONS[S.CANCELLED]


def test_a_bought_label_cannot_simply_be_cancelled() -> None:
    """Cancelling an order with a live label must go through a void (back to PACKED)."""
    assert not can_transition(S.LABELED, S.CANCELLED)
    assert not can_transition(S.PRINTED, S.CANCELLED)
    assert can_transition(S.LABELED, S.PACKED)
    assert can_transition(S.PACKED, S.CANCELLED)
