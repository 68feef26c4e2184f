"""The queue query: urgency order, location, search, and index use on a real SQLite file."""

from __future__ import annotations

from collections.abc import Sequence

from packdesk.adapters.store.db import Row
from packdesk.domain.queue import promise_days_for
from packdesk.domain.states import StationState

from .conftest import Rig


def test_urgency_then_age_and_only_this_location(rig: Rig) -> None:
    rows = rig.desk.queue_rows()
    assert [r.name for r in rows] == ["#1002", "#1003", "#1004", "#1001"]
    by_name = {r.name: r for r in rows}
    assert by_name["#1003"].items == 4
    assert by_name["#1003"].problems == ("note",)
    assert by_name["#1004"].state is StationState.ON_HOLD
    assert by_name["#1004"].problems == ("address to check",)
    assert by_name["#1002"].destination == "Denver, CO"


def test_search_by_name_customer_and_sku(rig: Rig) -> None:
    assert [r.name for r in rig.desk.queue_rows("#1003")] == ["#1003"]
    assert len(rig.desk.queue_rows("lovelace")) == 4
    assert [r.name for r in rig.desk.queue_rows("abacus")] == ["#1001"]


def test_packed_and_shipped_orders_leave_or_flag(rig: Rig) -> None:
    session = rig.desk.open_pack("#1002")
    session.scan("0700000000035")
    assert "#1002" in [r.name for r in rig.desk.queue_rows()]
    packed = next(r for r in rig.desk.queue_rows() if r.name == "#1002")
    assert "label pending" in packed.problems


def test_queue_query_uses_indexes(rig: Rig) -> None:
    """With 100,000 orders the queue must not scan the orders table."""
    from packdesk.domain.queue import QueueQuery

    captured: list[str] = []
    db = rig.store.database
    original = db.query

    def spy(sql: str, params: Sequence[object] = ()) -> list[Row]:
        captured.append(sql)
        return original(sql, params)

    db.query = spy  # type: ignore[method-assign]
    rig.store.views.queue(QueueQuery(location_id="L", promise_days={"express": 2, "": 7}))
    db.query = original  # type: ignore[method-assign]
    sql = captured[-1]
    states = sorted(
        s.value
        for s in StationState
        if s.value in {"NEW", "READY", "PACKING", "PACKED", "LABELED", "ON_HOLD", "ERROR"}
    )
    plan = " | ".join(
        str(r["detail"])
        for r in db.query(f"EXPLAIN QUERY PLAN {sql}", [*states, "%express%", 2, 7, "L", 500])
    )
    assert "USING INDEX orders_open" in plan or "USING COVERING INDEX orders_open" in plan
    assert "station_orders_state" in plan
    assert "SCAN o" not in plan.replace("SCAN o USING", "")


def test_promise_days_prefers_the_fastest_word() -> None:
    days = {"express": 2, "priority": 3, "standard": 5, "": 7}
    assert promise_days_for("Priority Express", days) == 2
    assert promise_days_for("Economy", days) == 7
