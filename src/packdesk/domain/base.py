"""The base of packdesk's domain models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for packdesk's domain models: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
