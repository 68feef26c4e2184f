"""Running a bulk query: every node of its connections, one JSON object a line, to a file.

A root node is one line with its fields (nested objects and plain lists inline); the nodes of
each nested connection follow their parent, each on its own line with `__parentId` set to
the parent's id, as in Shopify's JSONL. Pagination arguments are ignored (every node is
read, 250 at a time through the same resolvers the API uses, so scopes and filters hold);
other arguments such as `query:` are honoured. The file is written as it goes, so memory
stays flat however many objects there are; the shop's lock is held one page at a time, so
API requests keep being answered meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
)
from graphql.execution.values import get_argument_values

from packdesk.sandbox.shopify.bulk.validate import BulkQuery, fields_of, is_connection
from packdesk.sandbox.shopify.call import Call

PAGE = 250
_PAGING = ("first", "last", "after", "before")


class Stopped(Exception):
    """The operation was canceled or made to fail (fault injection) while running."""


@dataclass
class Step:
    """How to produce one key of one object."""

    key: str
    name: str
    resolve: Callable[..., Any] | None
    args: dict[str, Any]
    kind: str  # typename | leaf | object | list | connection
    steps: list[Step] = field(default_factory=list)
    type_name: str = ""


@dataclass
class _Info:
    """The part of GraphQLResolveInfo the sandbox's resolvers read."""

    context: Any


class Counter:
    """What has been written so far (BulkOperation.objectCount and rootObjectCount)."""

    def __init__(self) -> None:
        self.objects = 0
        self.roots = 0


def compile_steps(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    nodes: list[FieldNode],
    fragments: dict[str, FragmentDefinitionNode],
) -> list[Step]:
    steps: list[Step] = []
    for node in nodes:
        key = node.alias.value if node.alias else node.name.value
        name = node.name.value
        if name == "__typename":
            steps.append(Step(key, name, None, {}, "typename", type_name=parent.name))
            continue
        fdef = parent.fields[name]
        args = {k: v for k, v in get_argument_values(fdef, node, {}).items() if k not in _PAGING}
        named, listed = fdef.type, False
        while isinstance(named, GraphQLNonNull | GraphQLList):
            listed = listed or isinstance(named, GraphQLList)
            named = named.of_type
        if is_connection(fdef.type):
            assert isinstance(named, GraphQLObjectType)
            node_type, selection = _node_selection(named, node, fragments)
            sub = compile_steps(schema, node_type, selection, fragments)
            steps.append(Step(key, name, fdef.resolve, args, "connection", sub))
        elif isinstance(named, GraphQLObjectType):
            sub = compile_steps(schema, named, fields_of(node.selection_set, fragments), fragments)
            kind = "list" if listed else "object"
            steps.append(Step(key, name, fdef.resolve, args, kind, sub, named.name))
        else:
            steps.append(Step(key, name, fdef.resolve, args, "leaf"))
    return steps


def _node_selection(
    connection: GraphQLObjectType, node: FieldNode, fragments: dict[str, FragmentDefinitionNode]
) -> tuple[GraphQLObjectType, list[FieldNode]]:
    """The node type of a connection and the fields selected on its nodes."""
    nodes_type = connection.fields["nodes"].type
    while isinstance(nodes_type, GraphQLNonNull | GraphQLList):
        nodes_type = nodes_type.of_type
    assert isinstance(nodes_type, GraphQLObjectType)
    picked: list[FieldNode] = []
    for child in fields_of(node.selection_set, fragments):
        if child.name.value == "nodes":
            picked.extend(fields_of(child.selection_set, fragments))
        elif child.name.value == "edges":
            for edge in fields_of(child.selection_set, fragments):
                if edge.name.value == "node":
                    picked.extend(fields_of(edge.selection_set, fragments))
    return nodes_type, picked


class Writer:
    """Runs one bulk query for one call's token, writing JSONL."""

    def __init__(
        self,
        schema: GraphQLSchema,
        query: BulkQuery,
        call: Call,
        out: IO[str],
        check: Callable[[Counter], None],
    ) -> None:
        root = schema.query_type
        assert root is not None
        steps = compile_steps(
            schema, root, fields_of(query.operation.selection_set, query.fragments), query.fragments
        )
        self.root = steps[0]
        self.call = call
        self.info = _Info(call)
        self.out = out
        self.check = check  # called after each root object; raises Stopped to end early
        self.count = Counter()

    def run(self) -> Counter:
        for page in self._pages(None, self.root):
            for node in page:
                self._write(node, self.root.steps, None)
                self.count.roots += 1
                self.check(self.count)
        return self.count

    def _pages(self, parent: Any, step: Step) -> Iterator[list[Any]]:
        """Every node of a connection, a page at a time, under the shop's lock."""
        after: str | None = None
        while True:
            with self.call.state.lock:
                assert step.resolve is not None
                conn = step.resolve(parent, self.info, **step.args, first=PAGE, after=after)
                page = list(conn["nodes"])
                more = bool(conn["pageInfo"]["hasNextPage"])
                after = conn["pageInfo"]["endCursor"]
            yield page
            if not more or not page:
                return

    def _write(self, node: Any, steps: list[Step], parent_id: str | None) -> None:
        children: list[tuple[Step, Any]] = []
        line = self._project(node, steps, children)
        if parent_id is not None:
            line["__parentId"] = parent_id
        self.out.write(json.dumps(line, separators=(",", ":")) + "\n")
        self.count.objects += 1
        for step, owner in children:
            for page in self._pages(owner, step):
                for child in page:
                    self._write(child, step.steps, str(owner.get("id") or line.get("id")))

    def _project(
        self, obj: Any, steps: list[Step], children: list[tuple[Step, Any]]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for step in steps:
            if step.kind == "typename":
                out[step.key] = step.type_name
                continue
            if step.kind == "connection":
                children.append((step, obj))
                continue
            value = (
                step.resolve(obj, self.info, **step.args)
                if step.resolve is not None
                else obj.get(step.name)
            )
            if value is None or step.kind == "leaf":
                out[step.key] = value
            elif step.kind == "object":
                out[step.key] = self._project(value, step.steps, children)
            else:
                out[step.key] = [self._project(v, step.steps, children) for v in value]
        return out
