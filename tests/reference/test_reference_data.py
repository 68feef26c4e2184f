"""The committed cuts of Shopify's and Shippo's interfaces are exactly what cut_reference.py
keeps for packdesk as it is: every root field packdesk or its sandbox uses, every Shippo call the
sandbox answers, and nothing the code no longer needs."""

from __future__ import annotations

import json

import pytest
from graphql import GraphQLSchema

from .cut_reference import (
    SHIPPO,
    SHOPIFY,
    cut_shippo,
    cut_shopify,
    packdesk_documents,
    sandbox_shippo_calls,
)

RECUT = "re-run tests/reference/cut_reference.py on the public documents README.md names"


def test_the_shopify_cut_holds_what_packdesk_and_its_sandbox_use() -> None:
    committed = SHOPIFY.target.read_text("utf-8")
    try:
        again = cut_shopify(committed, packdesk_documents(), SHOPIFY.header())
    except SystemExit as missing:
        pytest.fail(f"{missing}: {RECUT}")
    assert again == committed, RECUT


def test_the_shippo_cut_holds_every_call_the_sandbox_answers() -> None:
    committed = SHIPPO.target.read_text("utf-8")
    try:
        again = cut_shippo(json.loads(committed), sandbox_shippo_calls(), SHIPPO.header())
    except SystemExit as missing:
        pytest.fail(f"{missing}: {RECUT}")
    assert again == committed, RECUT


def test_the_shopify_cut_keeps_deprecations_and_drops_descriptions(
    shopify_schema: GraphQLSchema,
) -> None:
    customer = shopify_schema.get_type("Customer")
    assert customer is not None
    email = customer.fields["email"]  # type: ignore[attr-defined]
    assert email.deprecation_reason == "Use `defaultEmailAddress.emailAddress` instead."
    assert email.description is None
    assert '"""' not in SHOPIFY.target.read_text("utf-8")
