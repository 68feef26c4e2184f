"""What every config section shares: unknown keys are refused, docstrings document keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ConfigError(Exception):
    """A config problem, as one sentence naming the file, the key or line, and the fix."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)
