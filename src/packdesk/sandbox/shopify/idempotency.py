"""`@idempotent(key:)` on inventory mutations, as Shopify keeps its keys.

A key is remembered for 24 hours with what it was sent with (the mutation and its
arguments) and what it answered. The same key again with the same arguments answers the
first result and changes nothing; with other arguments it is refused
(IDEMPOTENCY_KEY_PARAMETER_MISMATCH); while the first request with that key is still being
processed a second one is refused too (IDEMPOTENCY_CONCURRENT_REQUEST). A request Shopify
refuses before running anything does not use its key up.

The directive exists from 2026-01 and is required on `inventoryAdjustQuantities` from
2026-04 ("The @idempotent directive is required for this mutation but was not provided.").
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.values import (
    get_argument_values,
    get_directive_values,
    get_variable_values,
)

from packdesk.sandbox.shopify.call import call_of
from packdesk.sandbox.shopify.versions import at_least

RETENTION = timedelta(hours=24)
REQUIRED_FROM = "2026-04"
CONCURRENT = (
    "IDEMPOTENCY_CONCURRENT_REQUEST",
    "This request is currently in progress, please try again.",
)
MISMATCH = (
    "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
    "The same idempotency key cannot be used with different operation parameters.",
)


@dataclass
class Remembered:
    fingerprint: str
    at: datetime
    answer: Any = None
    running: bool = True


def fingerprint(field: str, args: dict[str, Any]) -> str:
    return json.dumps([field, args], sort_keys=True, default=str)


def directive_key(info: GraphQLResolveInfo) -> str | None:
    """The key of the field's `@idempotent(key:)`, or None when the field has none."""
    directive = info.schema.get_directive("idempotent")
    if directive is None:
        return None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    if values is None:
        return None
    key = str(values["key"])
    if not key.strip():
        raise GraphQLError(
            "The idempotency key cannot be an empty string.",
            extensions={"code": "BAD_REQUEST"},
        )
    return key


class IdempotencyKeys:
    """Keys seen in the last 24 hours of sandbox time."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self._lock = threading.Lock()
        self._keys: dict[str, Remembered] = {}

    def claim(self, key: str, print_: str) -> bool:
        """Mark a key as being processed by a request that has not run yet (the sandbox's
        processing delay); False when the key is already known."""
        with self._lock:
            self._expire()
            if key in self._keys:
                return False
            self._keys[key] = Remembered(print_, self.now())
            return True

    def release(self, key: str) -> None:
        """Forget a claimed key whose request never ran."""
        with self._lock:
            found = self._keys.get(key)
            if found is not None and found.running:
                del self._keys[key]

    def run(
        self,
        info: GraphQLResolveInfo,
        args: dict[str, Any],
        work: Callable[[], tuple[Any, bool]],
        refuse: Callable[[str, str], Any],
    ) -> Any:
        """Answer a mutation through its key: replay, refuse, or run `work` once.

        `work` returns (answer, ran) where ran is False when the mutation refused its input
        (the key is then not used up). `refuse(code, message)` builds the payload for a
        refused key."""
        call = call_of(info)
        field = info.field_name
        key = directive_key(info)
        if key is None:
            if field == "inventoryAdjustQuantities" and at_least(call.version, REQUIRED_FROM):
                raise GraphQLError(
                    "The @idempotent directive is required for this mutation but was not provided.",
                    extensions={"code": "BAD_REQUEST"},
                )
            return work()[0]
        print_ = fingerprint(field, args)
        with self._lock:
            self._expire()
            found = self._keys.get(key)
            if found is not None and found.fingerprint != print_:
                return refuse(*MISMATCH)
            if found is not None and found.running and key not in call.claimed:
                return refuse(*CONCURRENT)
            if found is not None and not found.running:
                return found.answer
            self._keys[key] = Remembered(print_, self.now())
        try:
            answer, ran = work()
        except BaseException:
            with self._lock:
                self._keys.pop(key, None)
            raise
        with self._lock:
            if ran:
                self._keys[key] = Remembered(print_, self.now(), answer, running=False)
            else:
                self._keys.pop(key, None)
        return answer

    def _expire(self) -> None:
        cutoff = self.now() - RETENTION
        for key in [k for k, v in self._keys.items() if v.at < cutoff]:
            del self._keys[key]


def claims_of(
    schema: GraphQLSchema,
    keys: IdempotencyKeys,
    op: OperationDefinitionNode,
    variables: dict[str, Any],
) -> set[str]:
    """Claim the keys of a mutation's `@idempotent` fields before it runs; the keys this
    request now holds (a key already known is left to the mutation to judge)."""
    directive = schema.get_directive("idempotent")
    mutation = schema.mutation_type
    coerced = get_variable_values(schema, op.variable_definitions or (), variables)
    if directive is None or mutation is None or isinstance(coerced, list):
        return set()
    held: set[str] = set()
    for node in op.selection_set.selections:
        if not isinstance(node, FieldNode) or node.name.value not in mutation.fields:
            continue
        values = get_directive_values(directive, node, coerced)
        if not values or not str(values["key"]).strip():
            continue
        args = get_argument_values(mutation.fields[node.name.value], node, coerced)
        if keys.claim(str(values["key"]), fingerprint(node.name.value, args)):
            held.add(str(values["key"]))
    return held
