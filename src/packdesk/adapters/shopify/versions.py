"""The Admin API version Shopify answers with, read from every answer.

A request names a version in its URL; Shopify answers with that version while it is
supported (twelve months from its release) and otherwise with the oldest version it still
supports, saying which in the `X-Shopify-API-Version` response header. packdesk's operations
are written for `API_VERSION`: an answer in another version may lack fields packdesk reads or
refuse what it sends, so the watch notices the header on every answer, logs the change once,
and gives `packdesk doctor` and the status bar the sentence with the fix.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping

log = logging.getLogger(__name__)

API_VERSION = "2026-10"
"""The Admin API version packdesk's operations are written and tested for (the default of
[shopify].api_version)."""

VERSION_HEADER = "x-shopify-api-version"
DEPRECATED_HEADER = "x-shopify-api-deprecated-reason"

_IN_URL = re.compile(r"/admin/api/([^/]+)/graphql\.json")


def version_in_url(url: str) -> str:
    """The version an Admin GraphQL URL asks for (`…/admin/api/2026-10/graphql.json`)."""
    found = _IN_URL.search(url)
    return found.group(1) if found else ""


class ApiVersionWatch:
    """What Shopify said about the API version; shared by a process's clients (thread-safe)."""

    def __init__(self, configured: str, *, config_file: str = "the config file") -> None:
        self.configured = configured
        self.config_file = config_file
        self._answered = ""
        self._deprecated: set[str] = set()
        self._lock = threading.Lock()

    @property
    def answered(self) -> str:
        """The version of the last answer ("" before the first)."""
        with self._lock:
            return self._answered

    def observe(self, operation: str, headers: Mapping[str, str]) -> None:
        """Read one answer's headers: the version it was answered with, and Shopify's notice
        that the operation selects a deprecated field."""
        answered = headers.get(VERSION_HEADER, "").strip()
        deprecated = bool(headers.get(DEPRECATED_HEADER))
        with self._lock:
            changed = bool(answered) and answered != self._answered
            if answered:
                self._answered = answered
            first_deprecation = deprecated and operation not in self._deprecated
            if first_deprecation:
                self._deprecated.add(operation)
        if changed and answered != self.configured:
            log.warning("%s", self.warning())
        elif changed:
            log.info("Shopify answers with Admin API version %s", answered)
        if first_deprecation:
            log.warning(
                "Shopify says %s selects a field deprecated in API version %s; packdesk's "
                "operations must use the field that replaces it.",
                operation,
                answered or self.configured,
            )

    def warning(self) -> str:
        """Empty while Shopify answers with the configured version; else what happened and
        the fix, as one sentence."""
        answered = self.answered
        if not answered or answered == self.configured:
            return ""
        return (
            f"Shopify answered with Admin API version {answered}, not {self.configured} "
            f"([shopify].api_version): {self.configured} is past its support window or not a "
            f"version Shopify offers, so answers may lack what packdesk reads; {self.fix()}."
        )

    def fix(self) -> str:
        """What to do when Shopify answers with another version."""
        if self.configured != API_VERSION:
            return (
                f'set [shopify].api_version = "{API_VERSION}" in {self.config_file} (the '
                "version this packdesk is written for)"
            )
        return "update packdesk to a release written for a newer Admin API version"
