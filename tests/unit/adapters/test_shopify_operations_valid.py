"""Every GraphQL operation packdesk sends is valid against Shopify's schema and selects no
field Shopify has deprecated.

The schema is the newest one the repository holds: Shopify's 2025-10 snapshot
(tests/reference) extended by the hand-written 2026 additions the sandbox serves
(`@idempotent(key:)`, `changeFromQuantity`), which packdesk's default API version 2026-10
has and no public SDL snapshot holds yet. Operations that use none of those additions must
validate against the 2025-10 snapshot alone.
"""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.validation import NoDeprecatedCustomRule

from packdesk.adapters.shopify.client import load_operation, operation_names

ADDITIONS_2026 = ("@idempotent", "changeFromQuantity")


def test_there_are_operations() -> None:
    assert {"Orders", "Order", "Locations", "ProductVariants", "InventoryLevels"} <= set(
        operation_names()
    )


@pytest.mark.parametrize("name", operation_names())
def test_operation_validates_against_the_newest_schema(
    name: str, shopify_schema: GraphQLSchema, shopify_schema_2026: GraphQLSchema
) -> None:
    text = load_operation(name)
    document = parse(text)
    errors = validate(shopify_schema_2026, document)
    assert not errors, [e.message for e in errors]
    if not any(addition in text for addition in ADDITIONS_2026):
        assert not validate(shopify_schema, document), "valid in 2025-10 as well"


@pytest.mark.parametrize("name", operation_names())
def test_operation_selects_no_deprecated_field(
    name: str, shopify_schema_2026: GraphQLSchema
) -> None:
    errors = validate(shopify_schema_2026, parse(load_operation(name)), [NoDeprecatedCustomRule])
    assert not errors, [e.message for e in errors]


def test_a_deprecated_field_fails_the_check(shopify_schema_2026: GraphQLSchema) -> None:
    """The check itself: the customer fields packdesk once read are refused, their
    replacement is not."""
    old = parse("query Old($id: ID!) { order(id: $id) { customer { email } } }")
    new = parse(
        "query New($id: ID!) { order(id: $id) { customer { defaultEmailAddress "
        "{ emailAddress marketingState } } } }"
    )
    refused = validate(shopify_schema_2026, old, [NoDeprecatedCustomRule])
    assert [e.message for e in refused] == [
        "The field Customer.email is deprecated. Use `defaultEmailAddress.emailAddress` instead."
    ]
    assert validate(shopify_schema_2026, new, [NoDeprecatedCustomRule]) == []


def test_the_2026_schema_is_the_snapshot_and_the_additions(
    shopify_schema: GraphQLSchema, shopify_schema_2026: GraphQLSchema
) -> None:
    assert shopify_schema.get_directive("idempotent") is None
    assert shopify_schema_2026.get_directive("idempotent") is not None
    for schema, has in ((shopify_schema, False), (shopify_schema_2026, True)):
        quantity = schema.get_type("InventoryQuantityInput")
        assert isinstance(quantity, GraphQLInputObjectType)
        assert ("changeFromQuantity" in quantity.fields) is has


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
