"""Every GraphQL operation packdesk sends is valid against Shopify's real schema."""

from __future__ import annotations

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse, validate

from packdesk.adapters.shopify.client import load_operation, operation_names


def test_there_are_operations() -> None:
    assert {"Orders", "Order", "Locations", "ProductVariants", "InventoryLevels"} <= set(
        operation_names()
    )


@pytest.mark.parametrize("name", operation_names())
def test_operation_validates_against_the_reference_schema(
    name: str, shopify_schema: GraphQLSchema
) -> None:
    document = parse(load_operation(name))
    errors = validate(shopify_schema, document)
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("name", operation_names())
def test_each_file_holds_one_operation_named_like_the_file(name: str) -> None:
    document = parse(load_operation(name))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1
    assert operations[0].name is not None
    assert operations[0].name.value == name


def test_an_unknown_operation_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match=r"add operations/Nope\.graphql"):
        load_operation("Nope")
