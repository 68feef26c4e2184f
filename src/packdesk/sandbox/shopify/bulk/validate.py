"""What `bulkOperationRunQuery` accepts, checked as Shopify checks it before running.

A bulk query is one query operation, valid against the schema, whose single top-level
field is a connection (not `node` or `nodes`); it holds at most five connections, nested at
most two deep (orders → lineItems is fine, orders → fulfillmentOrders → lineItems is not),
and no connection inside a plain list. Pagination arguments are accepted and ignored: a
bulk query reads every node.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    validate,
)

MAX_CONNECTIONS = 5
MAX_DEPTH = 2


class BulkQueryError(ValueError):
    """Why Shopify refuses a bulk query (one sentence, as its user error says)."""


@dataclass(frozen=True)
class BulkQuery:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]


def is_connection(t: object) -> bool:
    while isinstance(t, GraphQLNonNull):
        t = t.of_type
    return isinstance(t, GraphQLObjectType) and t.name.endswith("Connection")


def fields_of(
    sel: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    """The fields of a selection, with fragments spread (type conditions are checked by
    validation; bulk queries select concrete types)."""
    out: list[FieldNode] = []
    for s in sel.selections if sel else ():
        if isinstance(s, FieldNode):
            out.append(s)
        elif isinstance(s, InlineFragmentNode):
            out.extend(fields_of(s.selection_set, fragments))
        elif isinstance(s, FragmentSpreadNode):
            frag = fragments.get(s.name.value)
            if frag is not None:
                out.extend(fields_of(frag.selection_set, fragments))
    return out


def check(schema: GraphQLSchema, text: str) -> BulkQuery:
    """The parsed bulk query, or BulkQueryError saying what Shopify would refuse."""
    try:
        document = parse(text)
    except GraphQLError as exc:
        raise BulkQueryError(f"Invalid bulk query: {exc.message}") from exc
    errors = validate(schema, document)
    if errors:
        raise BulkQueryError(f"Invalid bulk query: {errors[0].message}")
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if len(operations) != 1 or operations[0].operation.value != "query":
        raise BulkQueryError("Bulk queries must contain exactly one query operation.")
    operation = operations[0]
    root = schema.query_type
    assert root is not None
    top = fields_of(operation.selection_set, fragments)
    if len(top) != 1:
        raise BulkQueryError("Bulk queries must contain exactly one top-level field.")
    if top[0].name.value in ("node", "nodes"):
        raise BulkQueryError(
            "The top-level `node` and `nodes` fields are not supported in bulk queries."
        )
    field = root.fields[top[0].name.value]
    if not is_connection(field.type):
        raise BulkQueryError("Bulk queries must contain at least one connection.")
    count = _connections(top[0], field.type, fragments, depth=1, in_list=False)
    if count > MAX_CONNECTIONS:
        raise BulkQueryError(
            f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
        )
    return BulkQuery(document, operation, fragments)


def _connections(
    node: FieldNode,
    ftype: object,
    fragments: dict[str, FragmentDefinitionNode],
    *,
    depth: int,
    in_list: bool,
) -> int:
    """How many connections a field and everything below it hold; checks depth and lists."""
    connection = is_connection(ftype)
    if connection and depth > MAX_DEPTH:
        raise BulkQueryError(
            f"Bulk queries cannot contain connections nested more than {MAX_DEPTH} levels deep."
        )
    if connection and in_list:
        raise BulkQueryError(
            "Queries that contain a connection field within a list field are not currently "
            "supported."
        )
    named, listed = ftype, False
    while isinstance(named, GraphQLNonNull | GraphQLList):
        listed = listed or isinstance(named, GraphQLList)
        named = named.of_type
    if not isinstance(named, GraphQLObjectType):
        return 0
    total = 1 if connection else 0
    for child in fields_of(node.selection_set, fragments):
        name = child.name.value
        if name.startswith("__"):
            continue
        if connection and name in ("edges", "nodes"):
            node_type = named.fields[name].type
            inner = fields_of(child.selection_set, fragments) if name == "edges" else [child]
            for edge_field in inner:
                if name == "edges" and edge_field.name.value != "node":
                    continue
                target = _node_type(node_type)
                for grandchild in fields_of(edge_field.selection_set, fragments):
                    if grandchild.name.value.startswith("__"):
                        continue
                    total += _connections(
                        grandchild,
                        target.fields[grandchild.name.value].type,
                        fragments,
                        depth=depth + 1,
                        in_list=False,
                    )
            continue
        total += _connections(
            child,
            named.fields[name].type,
            fragments,
            depth=depth,
            in_list=in_list or listed,
        )
    return total


def _node_type(edges_or_nodes: object) -> GraphQLObjectType:
    """The node type behind a connection's `edges` or `nodes` field."""
    t = edges_or_nodes
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    assert isinstance(t, GraphQLObjectType)
    if t.name.endswith("Edge"):
        return _node_type(t.fields["node"].type)
    return t
