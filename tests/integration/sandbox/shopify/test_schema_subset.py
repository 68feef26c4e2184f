"""The sandbox's SDL is a faithful subset of Shopify's real Admin schema, and every
operation the tests send is valid against the real schema (tests/reference)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    parse,
    validate,
)

from packdesk.sandbox.shopify.endpoint import load_schema

from . import operations
from .subset_sdl import REFERENCE, TARGET, build_subset


@pytest.fixture(scope="module")
def reference(shopify_schema: GraphQLSchema) -> GraphQLSchema:
    return shopify_schema


@pytest.fixture(scope="module")
def served() -> GraphQLSchema:
    """What the sandbox serves: the subset and the 2026 additions (schema_2026.graphql)."""
    return load_schema()


@pytest.fixture(scope="module")
def subset() -> GraphQLSchema:
    return build_schema(TARGET.read_text())


def test_committed_sdl_is_what_the_generator_cuts_from_the_reference() -> None:
    assert TARGET.read_text() == build_subset(REFERENCE.read_text()), (
        "schema.graphql drifted; run: python tests/integration/sandbox/shopify/subset_sdl.py"
    )


def test_every_type_and_field_matches_the_reference(
    reference: GraphQLSchema, subset: GraphQLSchema
) -> None:
    checked = 0
    for name, t in subset.type_map.items():
        if name.startswith("__"):
            continue
        real = reference.type_map.get(name)
        assert real is not None, f"{name} is not a Shopify type"
        assert type(real) is type(t), name
        if isinstance(t, GraphQLObjectType | GraphQLInputObjectType):
            assert isinstance(real, GraphQLObjectType | GraphQLInputObjectType), name
            for fname, f in t.fields.items():
                rf = real.fields.get(fname)
                assert rf is not None, f"{name}.{fname} is not in Shopify's schema"
                assert str(f.type) == str(rf.type), f"{name}.{fname}: {f.type} != {rf.type}"
                if isinstance(t, GraphQLObjectType):
                    mine = {a: str(v.type) for a, v in f.args.items()}
                    theirs = {a: str(v.type) for a, v in rf.args.items()}
                    assert mine == theirs, f"{name}.{fname} arguments differ"
                checked += 1
        elif isinstance(t, GraphQLEnumType):
            assert isinstance(real, GraphQLEnumType), name
            assert set(t.values) == set(real.values), f"enum {name} differs"
    assert checked > 200


@pytest.mark.parametrize("name", sorted(operations.ALL))
def test_operation_is_valid_against_the_real_schema(
    reference: GraphQLSchema, subset: GraphQLSchema, name: str
) -> None:
    document = parse(operations.ALL[name])
    assert validate(reference, document) == [], name
    assert validate(subset, document) == [], name


def test_the_benchmark_query_is_valid_too(reference: GraphQLSchema) -> None:
    path = Path(__file__).resolve().parents[4] / "bench" / "sandbox_graphql.py"
    spec = importlib.util.spec_from_file_location("sandbox_graphql_bench", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert validate(reference, parse(module.PAGE)) == []


def test_the_invalid_example_is_invalid(reference: GraphQLSchema) -> None:
    errors = validate(reference, parse(operations.INVALID_FIELD))
    assert "weight" in errors[0].message


@pytest.mark.parametrize("name", sorted(operations.packdesk_operations()))
def test_the_sandbox_serves_every_operation_packdesk_sends(
    served: GraphQLSchema, name: str
) -> None:
    errors = validate(served, parse(operations.packdesk_operations()[name]))
    assert errors == [], f"{name} needs more of Shopify's schema in the sandbox: {errors}"
