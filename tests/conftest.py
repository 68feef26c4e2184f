"""Fixtures shared by every test: the sandbox servers (started once) and the interfaces of
Shopify and Shippo that packdesk and its sandbox are held against (tests/reference)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema, extend_schema, parse

from packdesk.sandbox.server import SandboxInfo, SandboxServer

REFERENCE = Path(__file__).resolve().parent / "reference"
SHOPIFY_2026 = (
    Path(__file__).resolve().parents[1] / "src/packdesk/sandbox/shopify/schema_2026.graphql"
)
API_DATE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """One sandbox (Shopify, Shippo, SendGrid, SMTP, control) for the whole test session.

    Its Shopify answers API versions as on 2026-12-01, whatever the date and however far
    tests move sandbox time, so packdesk's configured version is answered the same way in
    every run (tests of version handling move the calendar through the control API)."""
    server = SandboxServer(seed=7, orders=300, api_date=API_DATE)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxInfo]:
    """The session's sandbox with no faults, no rate limits and an empty mailbox."""
    sandbox_server.reset()
    assert sandbox_server.info is not None
    yield sandbox_server.info
    sandbox_server.reset()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """tests/reference: the parts of Shopify's Admin schema and Shippo's OpenAPI that the tests
    use, cut from the public documents its README.md names."""
    return REFERENCE


@pytest.fixture(scope="session")
def shopify_schema(reference_dir: Path) -> GraphQLSchema:
    """Shopify's Admin GraphQL schema (2025-10, @deprecated kept), built once a session."""
    return build_schema((reference_dir / "shopify-admin-2025-10.graphql").read_text("utf-8"))


@pytest.fixture(scope="session")
def shopify_schema_2026(shopify_schema: GraphQLSchema) -> GraphQLSchema:
    """Shopify's Admin schema as packdesk's API version (2026-10) serves it: the 2025-10
    snapshot, the newest public SDL in the repository, extended by the hand-written 2026
    additions the sandbox serves too (`@idempotent(key:)`, `changeFromQuantity`, their error
    codes; src/packdesk/sandbox/shopify/schema_2026.graphql), which no public snapshot holds."""
    return extend_schema(shopify_schema, parse(SHOPIFY_2026.read_text("utf-8")))
