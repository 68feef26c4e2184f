"""Requested cost as Shopify computes it: variables left out count at their default values,
and what a query is charged before it runs is never less than what it really cost."""

from __future__ import annotations

from typing import Any

from packdesk.sandbox.server import SandboxInfo

from . import operations as ops
from .over_http import post


def cost(info: SandboxInfo, query: str, variables: dict[str, Any] | None = None) -> Any:
    answer = post(info, query, variables)
    assert answer.status_code == 200
    assert "errors" not in answer.json(), answer.json()["errors"]
    return answer.json()["extensions"]["cost"]


def test_an_omitted_variable_costs_its_default_value(sandbox: SandboxInfo) -> None:
    defaults = cost(sandbox, ops.COST_DEFAULTS)  # first 25, lines 10
    assert defaults["requestedQueryCost"] == 2 + 25 * (1 + 2 + 10 * 1)
    given = cost(sandbox, ops.COST_DEFAULTS, {"first": 25, "lines": 10})
    assert given["requestedQueryCost"] == defaults["requestedQueryCost"]
    smaller = cost(sandbox, ops.COST_DEFAULTS, {"lines": 2})
    assert smaller["requestedQueryCost"] == 2 + 25 * (1 + 2 + 2 * 1)
    for answer in (defaults, given, smaller):
        assert answer["actualQueryCost"] <= answer["requestedQueryCost"]


def test_requested_cost_is_never_below_the_actual_cost(sandbox: SandboxInfo) -> None:
    # accessScopes is a plain list: one scope is estimated, every scope granted is counted
    scopes = cost(sandbox, ops.APP_SCOPES)
    assert scopes["actualQueryCost"] > 2
    assert scopes["requestedQueryCost"] == scopes["actualQueryCost"]
    ordered = cost(sandbox, ops.ORDER_IDS, {"first": 5})
    assert ordered["actualQueryCost"] <= ordered["requestedQueryCost"]
