"""Fixtures of the sync tests: a real SQLite store, a fake shop, and the reference schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from packdesk.adapters.store import SqliteStore


def find_reference_dir() -> Path | None:
    """`../shared/reference` from a checkout (or any parent of it), if present."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "reference"
        if (candidate / "shopify").is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shopify_reference_schema() -> Path:
    reference = find_reference_dir()
    if reference is None:
        pytest.skip("../shared/reference is absent: the reference Shopify schema is needed")
    return reference / "shopify" / "admin-schema-2024-12.graphql"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore.open(tmp_path / "packdesk.db")
    yield s
    s.close()
