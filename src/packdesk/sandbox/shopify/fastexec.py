"""A fast path for queries over plain dicts, with the same answers as graphql-core.

graphql-core executes about 2,000 fields a millisecond-ish, too slow for a sync benchmark
that pulls pages of 50 orders. Every query document is validated by graphql-core first;
this module then compiles a validated query operation once into a plan (fields collected,
fragments inlined, resolvers looked up) and runs it over the shop's dicts, counting the
actual query cost as it goes (cost.py's rules).

Whenever the fast path meets something it does not model exactly — a directive, a resolver
error, a null in a non-null field, variables that need coercion errors — it raises
`Fallback` and the caller runs graphql-core instead, so answers (data and errors) are always
graphql-core's. Mutations never take this path. tests/integration/sandbox/shopify/test_fastexec.py
checks both paths give identical answers for every test query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.execution.values import get_argument_values, get_variable_values


class Fallback(Exception):
    """The fast path cannot answer exactly; run graphql-core."""


@dataclass(slots=True)
class FieldPlan:
    """How to produce one response key of one selection set."""

    key: str
    name: str
    resolve: Callable[..., Any] | None
    field_def: Any
    node: FieldNode
    has_args: bool
    non_null: bool
    # shape of the value: "leaf", "object", "list"; for lists, what the items are
    shape: str
    item_object: bool = False
    item_non_null: bool = False
    weight: int = 0  # actual-cost points per object completed (cost.py)
    sub: list[FieldPlan] | None = None
    type_name: str = ""
    plain: bool = False  # a scalar read straight from the dict: the hot path


@dataclass
class _Info:
    """The part of GraphQLResolveInfo the sandbox's resolvers read."""

    context: Any


@dataclass
class OperationPlan:
    fields: list[FieldPlan]
    operation: OperationDefinitionNode
    root_name: str


def _named(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _weight(type_name: str) -> int:
    if type_name.endswith("Connection"):
        return 2
    if type_name.endswith("Edge") or type_name == "PageInfo":
        return 0
    return 1


class Compiler:
    """Compiles query operations of one schema into plans."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def compile(
        self, op: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
    ) -> OperationPlan:
        if op.operation.value != "query":
            raise Fallback("mutations run through graphql-core")
        root = self.schema.query_type
        assert root is not None
        return OperationPlan(self._selection(op.selection_set, root, fragments), op, root.name)

    def _collect(
        self,
        sel: SelectionSetNode | None,
        parent: GraphQLObjectType,
        fragments: dict[str, FragmentDefinitionNode],
        out: dict[str, list[FieldNode]],
    ) -> None:
        for s in sel.selections if sel else ():
            if s.directives:
                raise Fallback("directives")
            if isinstance(s, FieldNode):
                key = s.alias.value if s.alias else s.name.value
                out.setdefault(key, []).append(s)
            elif isinstance(s, InlineFragmentNode):
                cond = s.type_condition
                if cond is None or cond.name.value == parent.name:
                    self._collect(s.selection_set, parent, fragments, out)
            elif isinstance(s, FragmentSpreadNode):
                frag = fragments[s.name.value]
                if frag.directives:
                    raise Fallback("directives")
                if frag.type_condition.name.value == parent.name:
                    self._collect(frag.selection_set, parent, fragments, out)

    def _selection(
        self,
        sel: SelectionSetNode | None,
        parent: GraphQLObjectType,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> list[FieldPlan]:
        grouped: dict[str, list[FieldNode]] = {}
        self._collect(sel, parent, fragments, grouped)
        plans: list[FieldPlan] = []
        for key, nodes in grouped.items():
            first = nodes[0]
            name = first.name.value
            if name == "__typename":
                plans.append(
                    FieldPlan(
                        key, name, None, None, first, False, True, "typename", type_name=parent.name
                    )
                )
                continue
            if name.startswith("__"):
                raise Fallback("introspection")
            fdef = parent.fields[name]
            t = fdef.type
            non_null = isinstance(t, GraphQLNonNull)
            if non_null:
                t = t.of_type
            merged = SelectionSetNode(
                selections=tuple(
                    s
                    for n in nodes
                    for s in (n.selection_set.selections if n.selection_set else ())
                )
            )
            plan = FieldPlan(
                key, name, fdef.resolve, fdef, first, bool(fdef.args), non_null, "leaf"
            )
            if isinstance(_named(t), GraphQLInterfaceType | GraphQLUnionType):
                raise Fallback("abstract types")
            if isinstance(t, GraphQLList):
                item = t.of_type
                plan.shape = "list"
                plan.item_non_null = isinstance(item, GraphQLNonNull)
                if plan.item_non_null:
                    item = item.of_type
                if isinstance(item, GraphQLList):
                    raise Fallback("nested lists")
                if isinstance(item, GraphQLObjectType):
                    plan.item_object = True
                    plan.weight = _weight(item.name)
                    plan.type_name = item.name
                    plan.sub = self._selection(merged, item, fragments)
            elif isinstance(t, GraphQLObjectType):
                plan.shape = "object"
                plan.weight = _weight(t.name)
                plan.type_name = t.name
                plan.sub = self._selection(merged, t, fragments)
            plan.plain = plan.shape == "leaf" and plan.resolve is None
            plans.append(plan)
        return plans


class Runner:
    """Executes one plan with one request's variables; `cost` is the actual cost."""

    def __init__(
        self,
        plan: OperationPlan,
        schema: GraphQLSchema,
        context: Any,
        raw_variables: dict[str, Any],
    ) -> None:
        coerced = get_variable_values(
            schema, plan.operation.variable_definitions or (), raw_variables
        )
        if isinstance(coerced, list):
            raise Fallback("variable errors")
        self.variables: dict[str, Any] = coerced
        self.info = _Info(context)
        self.cost = 0
        self._args: dict[int, dict[str, Any]] = {}
        self.plan = plan

    def run(self) -> dict[str, Any]:
        return self._object(self.plan.fields, None)

    def _arguments(self, fp: FieldPlan) -> dict[str, Any]:
        got = self._args.get(id(fp))
        if got is None:
            got = self._args[id(fp)] = get_argument_values(fp.field_def, fp.node, self.variables)
        return got

    def _object(self, plans: list[FieldPlan], obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fp in plans:
            if fp.plain:
                value = obj.get(fp.name)
                if value is None and fp.non_null:
                    raise Fallback("null in a non-null field")
                out[fp.key] = value
                continue
            if fp.shape == "typename":
                out[fp.key] = fp.type_name
                continue
            if fp.resolve is not None:
                try:
                    value = fp.resolve(obj, self.info, **self._arguments(fp))
                except GraphQLError as exc:
                    raise Fallback("resolver error") from exc
            else:
                value = obj.get(fp.name)
            if value is None:
                if fp.non_null:
                    raise Fallback("null in a non-null field")
                out[fp.key] = None
            elif fp.shape == "leaf":
                out[fp.key] = value
            elif fp.shape == "object":
                self.cost += fp.weight
                assert fp.sub is not None
                out[fp.key] = self._object(fp.sub, value)
            elif fp.item_object:
                assert fp.sub is not None
                items: list[Any] = []
                for v in value:
                    if v is None:
                        if fp.item_non_null:
                            raise Fallback("null item")
                        items.append(None)
                        continue
                    self.cost += fp.weight
                    items.append(self._object(fp.sub, v))
                out[fp.key] = items
            else:
                out[fp.key] = list(value)
        return out
