"""Query cost and the leaky bucket, close to Shopify's published rules.

Requested cost (before running): a scalar or enum field costs 0; an object field 1 plus its
selections; a connection `2 + n × (cost of one node)`, where n is `first`/`last` and one
node costs 1 plus its selections (the `edges`/`node` wrappers, `cursor` and `pageInfo` are
free); a plain list of objects (e.g. `fulfillments(first:)`, `quantities(names:)`) costs
its `first`, or the number of `names`, times one object; a mutation's root field costs 10.
Arguments given by variables take the request's values, or the variable's default value
when the request leaves it out. Actual cost walks the answer instead of `first`, counting
the nodes really returned.

The bucket holds `bucket_size` points and refills `restore_rate` points a second. A request
is charged its requested cost up front and refunded the difference to the actual cost; the
requested cost reported is never below the actual one (a plain list longer than its
estimate is charged for what it returned).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    value_from_ast_untyped,
)

MAX_QUERY_COST = 1000
MUTATION_COST = 10


def _unwrap(t: Any) -> tuple[Any, bool]:
    is_list = False
    while isinstance(t, GraphQLNonNull | GraphQLList):
        if isinstance(t, GraphQLList):
            is_list = True
        t = t.of_type
    return t, is_list


class CostModel:
    """Computes requested and actual costs of one operation over a schema."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def _fields(self, sel: SelectionSetNode | None) -> list[FieldNode]:
        out: list[FieldNode] = []
        for s in sel.selections if sel else ():
            if isinstance(s, FieldNode):
                out.append(s)
            elif isinstance(s, InlineFragmentNode):
                out.extend(self._fields(s.selection_set))
            elif isinstance(s, FragmentSpreadNode):
                frag = self.fragments.get(s.name.value)
                if frag is not None:
                    out.extend(self._fields(frag.selection_set))
        return out

    def _arg(self, field: FieldNode, name: str) -> Any:
        for a in field.arguments or ():
            if a.name.value == name:
                node: ValueNode = a.value
                return value_from_ast_untyped(node, self.variables)
        return None

    def operation(self, op: OperationDefinitionNode, data: Any = None) -> int:
        """Cost of an operation; with `data` (its answer), the actual cost."""
        defaults = {
            d.variable.name.value: value_from_ast_untyped(d.default_value)
            for d in op.variable_definitions or ()
            if d.default_value is not None
        }
        self.variables = {**defaults, **self.variables}
        if op.operation.value == "mutation":
            return MUTATION_COST * len(self._fields(op.selection_set))
        root = self.schema.query_type
        assert root is not None
        return self._selection(op.selection_set, root, data, actual=data is not None)

    def _selection(
        self,
        sel: SelectionSetNode | None,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        data: Any,
        *,
        actual: bool,
    ) -> int:
        total = 0
        for f in self._fields(sel):
            name = f.name.value
            if name.startswith("__") or name not in parent.fields:
                continue
            ftype, is_list = _unwrap(parent.fields[name].type)
            if not isinstance(ftype, GraphQLObjectType | GraphQLInterfaceType):
                continue
            key = f.alias.value if f.alias else name
            value = data.get(key) if isinstance(data, dict) else None
            if actual and value is None:
                continue
            if ftype.name.endswith("Connection") and isinstance(ftype, GraphQLObjectType):
                total += 2 + self._connection(f, ftype, value, actual=actual)
            elif is_list:
                if actual:
                    total += sum(
                        1 + self._selection(f.selection_set, ftype, v, actual=True)
                        for v in value or ()
                    )
                else:
                    n = self._arg(f, "first")
                    names = self._arg(f, "names")
                    count = (
                        n if isinstance(n, int) else len(names) if isinstance(names, list) else 1
                    )
                    total += count * (
                        1 + self._selection(f.selection_set, ftype, None, actual=False)
                    )
            else:
                total += 1 + self._selection(f.selection_set, ftype, value, actual=actual)
        return total

    def _connection(
        self, field: FieldNode, ctype: GraphQLObjectType, value: Any, *, actual: bool
    ) -> int:
        node_type, _ = _unwrap(ctype.fields["nodes"].type)
        edge_type, _ = _unwrap(ctype.fields["edges"].type)
        per_node: list[tuple[SelectionSetNode | None, str]] = []
        for sub in self._fields(field.selection_set):
            if sub.name.value == "nodes":
                per_node.append((sub.selection_set, "nodes"))
            elif sub.name.value == "edges":
                for e in self._fields(sub.selection_set):
                    if e.name.value == "node":
                        per_node.append((e.selection_set, "edges"))
        if not per_node:
            return 0
        if not actual:
            n = self._arg(field, "first")
            if n is None:
                n = self._arg(field, "last")
            count = n if isinstance(n, int) else 0
            return count * sum(
                1 + self._selection(s, node_type, None, actual=False) for s, _ in per_node
            )
        total = 0
        for s, where in per_node:
            items = value.get(where) or [] if isinstance(value, dict) else []
            for item in items:
                node = item.get("node") if where == "edges" and isinstance(item, dict) else item
                total += 1 + self._selection(s, node_type, node, actual=True)
        del edge_type
        return total


class LeakyBucket:
    """Shopify's cost bucket: points drain on each request and refill at a steady rate."""

    def __init__(self, size: float = 2000.0, rate: float = 100.0) -> None:
        self._lock = threading.Lock()
        self.size = size
        self.rate = rate
        self.enabled = True
        self._level = size
        self._at = time.monotonic()

    def configure(
        self, size: float | None = None, rate: float | None = None, enabled: bool | None = None
    ) -> None:
        """Change the bucket (control API); a resized bucket starts full."""
        with self._lock:
            if size is not None:
                self.size = float(size)
                self._level = self.size
            if rate is not None:
                self.rate = float(rate)
            if enabled is not None:
                self.enabled = enabled

    def _refill(self) -> None:
        now = time.monotonic()
        self._level = min(self.size, self._level + (now - self._at) * self.rate)
        self._at = now

    def take(self, cost: int) -> bool:
        """Charge `cost` points; False (nothing charged) if the bucket has too few."""
        with self._lock:
            self._refill()
            if not self.enabled:
                return True
            if cost > self._level:
                return False
            self._level -= cost
            return True

    def charge(self, points: int) -> None:
        """Take points already spent (the bucket may go below zero and refill from there)."""
        with self._lock:
            if self.enabled and points > 0:
                self._refill()
                self._level -= points

    def refund(self, points: int) -> None:
        with self._lock:
            if self.enabled and points > 0:
                self._level = min(self.size, self._level + points)

    def status(self) -> dict[str, float]:
        """throttleStatus as Shopify reports it."""
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": float(self.size),
                "currentlyAvailable": int(self._level) if self.enabled else int(self.size),
                "restoreRate": float(self.rate),
            }
