"""Cut the test data in this folder out of Shopify's and Shippo's public interface documents.

    python tests/reference/cut_reference.py --shopify admin_schema.graphql --shippo public-api.yaml

README.md names where each document comes from. The script keeps the interface only (types,
fields, arguments, enums, input types, directives such as @deprecated; paths, parameters and
JSON schemas) and drops the prose (descriptions, summaries, examples, vendor extensions).
It keeps what packdesk's tests hold packdesk against:

- Shopify: every type reachable from the root fields that the sandbox's SDL
  (src/packdesk/sandbox/shopify/schema.graphql) declares or that one of packdesk's operations
  (src/packdesk/adapters/shopify/operations) selects, each type whole;
- Shippo: every path and method the sandbox's Shippo serves, with the components they refer to.

The output is a function of the documents and of those two lists only: running the script
again on the same documents writes the same bytes. It refuses a document whose SHA-256 is not
the one in SHOPIFY or SHIPPO below, so that the header of each file names exactly what it was
cut from; moving to a newer document means updating those, README.md and the file names together.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    InlineFragmentNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ListTypeNode,
    NamedTypeNode,
    Node,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    parse,
    print_ast,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SANDBOX_SDL = ROOT / "src" / "packdesk" / "sandbox" / "shopify" / "schema.graphql"


@dataclass(frozen=True)
class Source:
    """One public document: what it is, where it comes from, its digest, the file cut from it."""

    title: str
    url: str
    sha256: str
    target: Path

    def header(self) -> list[str]:
        return [
            f"Cut by tests/reference/cut_reference.py from {self.title}:",
            self.url,
            f"SHA-256 {self.sha256}. Interface only, without prose. Do not edit.",
        ]


SHOPIFY = Source(
    title="Shopify's Admin GraphQL API schema, unstable snapshot of 2025-10-09",
    url=(
        "https://github.com/Shopify/cli/blob/96d25391/"
        "packages/store/src/cli/api/graphql/admin/admin_schema.graphql"
    ),
    sha256="d7b46a7a06896f818ac8b4d96b4a6d96f7d36e8af382bb2bdcf3b46232ab1023",
    target=HERE / "shopify-admin-2025-10.graphql",
)
SHIPPO = Source(
    title="Shippo's public API, OpenAPI 3.1, API version 2018-02-08, as of 2024-06",
    url="https://github.com/goshippo/shippo-javascript-sdk/blob/90f53eb1/build/public-api.yaml",
    sha256="a567a58a9ac290ed5e452a4d2581ec8d8db3c748b923981ed2497ac6ede6dfaa",
    target=HERE / "shippo-api-2024-06.json",
)


def _checked(path: Path, source: Source) -> bytes:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        raise SystemExit(
            f"{path} has SHA-256 {digest}, not the document this script cuts "
            f"({source.sha256}, {source.url}); download that one, or update SHOPIFY/SHIPPO."
        )
    return data


# --- Shopify ---------------------------------------------------------------------------------


def _named(node: TypeNode) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def _strip_descriptions(node: Node) -> None:
    if hasattr(node, "description"):
        node.description = None
    for key in node.keys:
        value = getattr(node, key, None)
        children = value if isinstance(value, tuple | list) else (value,)
        for child in children:
            if isinstance(child, Node):
                _strip_descriptions(child)


def _root_fields(document: DocumentNode) -> Iterator[tuple[str, str]]:
    """(operation type, field) of every root field an SDL declares or an operation selects."""
    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode):
            kind = {"QueryRoot": "query", "Mutation": "mutation"}.get(definition.name.value)
            if kind:
                for field in definition.fields or ():
                    yield kind, field.name.value
        elif isinstance(definition, OperationDefinitionNode):
            for selection in definition.selection_set.selections:
                if isinstance(selection, FieldNode) and not selection.name.value.startswith("__"):
                    yield definition.operation.value, selection.name.value


def _type_conditions(document: DocumentNode) -> Iterator[str]:
    def walk(node: Node) -> Iterator[str]:
        if isinstance(node, InlineFragmentNode | FragmentDefinitionNode) and node.type_condition:
            yield node.type_condition.name.value
        for key in node.keys:
            value = getattr(node, key, None)
            for child in value if isinstance(value, tuple | list) else (value,):
                if isinstance(child, Node):
                    yield from walk(child)

    for definition in document.definitions:
        yield from walk(definition)


def packdesk_documents() -> list[DocumentNode]:
    """The sandbox's SDL and every operation packdesk sends, parsed."""
    from packdesk.adapters.shopify.client import load_operation, operation_names

    documents = [parse(SANDBOX_SDL.read_text("utf-8"), no_location=True)]
    documents += [parse(load_operation(name), no_location=True) for name in operation_names()]
    return documents


def cut_shopify(reference_text: str, used: Iterable[DocumentNode], header: list[str]) -> str:
    """The types of `reference_text` reachable from the root fields and fragment types in
    `used`, without descriptions, in the reference's order, after `header` as comments."""
    document = parse(reference_text, no_location=True)
    schema: SchemaDefinitionNode | None = None
    directives: list[DirectiveDefinitionNode] = []
    types: dict[str, Node] = {}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            schema = definition
        elif isinstance(definition, DirectiveDefinitionNode):
            directives.append(definition)
        else:
            types[definition.name.value] = definition  # type: ignore[attr-defined]
    if schema is None:
        raise SystemExit("the reference has no schema definition")
    roots = {op.operation.value: _named(op.type) for op in schema.operation_types}
    pending: list[str] = []
    used = list(used)
    for kind, field in sorted({pair for doc in used for pair in _root_fields(doc)}):
        root = types[roots[kind]]
        assert isinstance(root, ObjectTypeDefinitionNode)
        found = next((f for f in root.fields or () if f.name.value == field), None)
        if found is None:
            raise SystemExit(f"{roots[kind]}.{field} is not in the reference")
        pending.append(_named(found.type))
        pending += [_named(a.type) for a in found.arguments or ()]
    pending += sorted({name for doc in used for name in _type_conditions(doc)})
    pending += [name for kind, name in roots.items() if kind != OperationType.SUBSCRIPTION.value]
    builtin = {"String", "Int", "Float", "Boolean", "ID"}
    reached: set[str] = set()
    while pending:
        name = pending.pop()
        if name in reached or name in builtin:
            continue
        if name not in types:
            raise SystemExit(f"type {name} is not in the reference")
        reached.add(name)
        node = types[name]
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            if name in roots.values():
                continue  # root types are cut to the fields used, below
            for definition in node.fields or ():
                pending.append(_named(definition.type))
                pending += [_named(a.type) for a in definition.arguments or ()]
            pending += [i.name.value for i in node.interfaces or ()]
        elif isinstance(node, UnionTypeDefinitionNode):
            pending += [t.name.value for t in node.types or ()]
        elif isinstance(node, InputObjectTypeDefinitionNode):
            pending += [_named(f.type) for f in node.fields or ()]
        elif not isinstance(node, EnumTypeDefinitionNode | ScalarTypeDefinitionNode):
            raise SystemExit(f"{name}: unsupported kind {node.kind}")
    wanted_roots: dict[str, set[str]] = {roots[kind]: set() for kind in roots}
    for kind, field in {pair for doc in used for pair in _root_fields(doc)}:
        wanted_roots[roots[kind]].add(field)
    kept: list[Node] = [schema, *directives]
    for name, node in types.items():
        if name not in reached:
            continue
        if name in wanted_roots:
            assert isinstance(node, ObjectTypeDefinitionNode)
            node.fields = tuple(f for f in node.fields or () if f.name.value in wanted_roots[name])
        kept.append(node)
    for node in kept:
        _strip_descriptions(node)
    comments = "".join(f"# {line}\n" for line in header)
    return comments + "\n" + print_ast(DocumentNode(definitions=tuple(kept))) + "\n"


# --- Shippo ----------------------------------------------------------------------------------

# Keys that hold prose or tooling hints, never part of the interface.
PROSE = {"description", "summary", "example", "examples", "externalDocs", "tags"}
# Objects whose keys are names chosen by the document (a property may be called "description").
NAME_MAPS = {
    "properties",
    "patternProperties",
    "$defs",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "content",
    "securitySchemes",
    "paths",
    "mapping",
}
# Values that are data (enum members, defaults), copied as they are.
DATA = {"enum", "const", "default", "required", "security"}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _without_prose(value: Any, names: bool = False) -> Any:
    if isinstance(value, list):
        return [_without_prose(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if names:
            out[key] = _without_prose(item)
        elif key in PROSE or key.startswith("x-"):
            continue
        elif key in DATA:
            out[key] = item
        else:
            out[key] = _without_prose(item, names=key in NAME_MAPS and isinstance(item, dict))
    return out


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _shape(path: str) -> str:
    """A path with its parameters blanked and no trailing slash: /shipments/{}/rates."""
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/")) or "/"


def sandbox_shippo_calls() -> set[tuple[str, str]]:
    """(method, path shape) of every Shippo API call the sandbox answers."""
    from datetime import UTC, datetime

    from starlette.routing import Route

    from packdesk.sandbox.shippo import ShippoSandbox

    sandbox = ShippoSandbox(token="t", now=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    calls = set()
    for route in sandbox.routes():
        assert isinstance(route, Route)
        if route.path.startswith("/shippo/labels/"):
            continue  # label files: hosted by Shippo, not part of its API
        for method in route.methods or ("GET",):
            if method != "HEAD":
                calls.add((method.lower(), _shape(route.path.removeprefix("/shippo"))))
    return calls


def cut_shippo(spec: dict[str, Any], calls: set[tuple[str, str]], header: list[str]) -> str:
    """The paths and methods of `spec` named in `calls`, with every component they refer
    to, without prose; JSON, in the document's order."""
    paths: dict[str, Any] = {}
    matched: set[tuple[str, str]] = set()
    for path, item in spec["paths"].items():
        kept = {
            key: value
            for key, value in item.items()
            if key not in METHODS or (key, _shape(path)) in calls
        }
        if any(key in METHODS for key in kept):
            paths[path] = kept
            matched |= {(key, _shape(path)) for key in kept if key in METHODS}
    missing = calls - matched
    if missing:
        raise SystemExit(f"Shippo's API has no {sorted(missing)}: the sandbox serves them")
    components = spec.get("components", {})
    reached: set[tuple[str, str]] = set()
    pending = list(_refs(paths)) + list(_refs(spec.get("security", [])))
    while pending:
        ref = pending.pop()
        if not ref.startswith("#/components/"):
            raise SystemExit(f"unsupported reference {ref}")
        section, name = ref.removeprefix("#/components/").split("/", 1)
        if (section, name) in reached:
            continue
        reached.add((section, name))
        pending += _refs(components[section][name])
    kept_components = {
        section: {
            name: value
            for name, value in entries.items()
            if section == "securitySchemes" or (section, name) in reached
        }
        for section, entries in components.items()
        if section == "securitySchemes" or any(s == section for s, _ in reached)
    }
    cut = {
        "openapi": spec["openapi"],
        "info": {"title": spec["info"]["title"], "version": spec["info"]["version"]},
        "x-cut-from": header,
        "servers": spec.get("servers", []),
        "security": spec.get("security", []),
        "paths": _without_prose(paths, names=True),
        "components": _without_prose(kept_components),
    }
    return json.dumps(cut, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shopify", type=Path, required=True, help="admin_schema.graphql")
    parser.add_argument("--shippo", type=Path, required=True, help="public-api.yaml")
    args = parser.parse_args(argv)
    shopify_text = _checked(args.shopify, SHOPIFY).decode("utf-8")
    shippo_spec = yaml.safe_load(_checked(args.shippo, SHIPPO))
    shopify_cut = cut_shopify(shopify_text, packdesk_documents(), SHOPIFY.header())
    SHOPIFY.target.write_text(shopify_cut, "utf-8")
    shippo_cut = cut_shippo(shippo_spec, sandbox_shippo_calls(), SHIPPO.header())
    SHIPPO.target.write_text(shippo_cut, "utf-8")
    for source in (SHOPIFY, SHIPPO):
        sys.stdout.write(f"wrote {source.target.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
