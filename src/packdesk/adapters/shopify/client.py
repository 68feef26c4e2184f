"""The Shopify Admin GraphQL client: named operations, cost-aware throttling, retries.

Operations live in `operations/<Name>.graphql`, one operation a file, and are called by name:
`client.execute("FulfillmentCreate", {"fulfillment": ...})`. Adding an operation is adding a
file. The client

- waits before a query would be throttled: it tracks Shopify's bucket from
  `extensions.cost.throttleStatus` and the requested cost each operation had last time;
- still copes with being throttled (`THROTTLED`), with 429 (honouring `Retry-After`), 5xx and
  transport errors, retrying with exponential backoff and full jitter;
- turns what a person must fix (a wrong token, a missing scope, a wrong shop) into one
  sentence naming the config key and file, and never retries those;
- reads the API version Shopify answered with on every answer (`ApiVersionWatch`).
"""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import httpx

from packdesk.adapters.shopify.errors import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyQueryError,
    ShopifyScopeError,
    ShopifyUnavailable,
)
from packdesk.adapters.shopify.scopes import denied_sentence, required_access
from packdesk.adapters.shopify.throttle import CostBucket, ThrottleStatus
from packdesk.adapters.shopify.versions import ApiVersionWatch, version_in_url

log = logging.getLogger(__name__)

OPERATIONS_PACKAGE = "packdesk.adapters.shopify.operations"


@cache
def load_operation(name: str) -> str:
    """The text of `operations/<name>.graphql`, with the fragments it imports appended.

    A line `#import "OrderFields"` pulls in `operations/fragments/OrderFields.graphql`, so
    that operations sharing a selection keep it in one place.
    """
    folder = resources.files(OPERATIONS_PACKAGE)
    file = folder / f"{name}.graphql"
    if not file.is_file():
        raise KeyError(f"No GraphQL operation {name!r}: add operations/{name}.graphql.")
    text = file.read_text("utf-8")
    parts = [text]
    for line in text.splitlines():
        if line.startswith("#import "):
            fragment = line.removeprefix("#import ").strip().strip('"')
            parts.append((folder / "fragments" / f"{fragment}.graphql").read_text("utf-8"))
    return "\n".join(parts)


def operation_names() -> list[str]:
    """Every operation packdesk can send, by file name."""
    return sorted(
        entry.name.removesuffix(".graphql")
        for entry in resources.files(OPERATIONS_PACKAGE).iterdir()
        if entry.name.endswith(".graphql")
    )


@dataclass
class ClientStats:
    """What the client did, for `packdesk sync` summaries and the benchmark."""

    requests: int = 0
    cost_used: float = 0.0
    throttled: int = 0
    """Answers that were THROTTLED or 429 (retried; never seen by the caller)."""
    retries: int = 0
    waited_s: float = 0.0
    """Seconds spent waiting for the bucket before sending."""


class ShopifyClient:
    """A thread-safe GraphQL client for one shop."""

    def __init__(
        self,
        url: str,
        access_token: str,
        *,
        timeout_s: float = 20.0,
        config_file: str = "the config file",
        max_attempts: int = 6,
        max_throttled: int = 30,
        backoff_base_s: float = 0.5,
        backoff_cap_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        versions: ApiVersionWatch | None = None,
    ) -> None:
        self.url = url
        self.config_file = config_file
        self.versions = versions or ApiVersionWatch(version_in_url(url), config_file=config_file)
        """The API version of the answers (shared with the process's other client)."""
        self.max_attempts = max_attempts
        self.max_throttled = max_throttled
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            headers={
                "X-Shopify-Access-Token": access_token,
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": "packdesk",
            },
            # Requests go out as two writes (headers, body): without TCP_NODELAY the second
            # can wait for the first's delayed ACK.
            transport=transport
            or httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]),
        )
        self.bucket = CostBucket(monotonic=monotonic, sleep=sleep)
        self.stats = ClientStats()
        self._costs: dict[str, float] = {}
        self._lock = threading.Lock()
        self._random = random.Random()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ShopifyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, operation: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run the named operation and return its `data`.

        Raises `ShopifyAuthError` (fix the token), `ShopifyQueryError` (GraphQL errors other
        than throttling), or `ShopifyUnavailable` (still failing after every retry).
        """
        query = load_operation(operation)
        body = {"query": query, "variables": dict(variables or {})}
        failures = 0
        throttled = 0
        while True:
            self._wait_for_budget(operation)
            try:
                response = self._http.post(self.url, json=body)
            except httpx.TransportError as exc:
                failures += 1
                self._retry_or_raise(operation, failures, f"{type(exc).__name__}: {exc}")
                continue
            with self._lock:
                self.stats.requests += 1
            self.versions.observe(operation, response.headers)
            status = response.status_code
            if status == 429:
                throttled += 1
                self._count_throttled(operation, throttled)
                self._sleep(self._retry_after(response, throttled))
                continue
            if status >= 500:
                failures += 1
                self._retry_or_raise(operation, failures, f"HTTP {status}")
                continue
            if status != 200:
                raise self._refusal(status, response)
            try:
                payload = response.json()
            except ValueError:
                failures += 1
                self._retry_or_raise(operation, failures, "an answer that is not JSON")
                continue
            if not isinstance(payload, dict):
                failures += 1
                self._retry_or_raise(operation, failures, "an answer that is not a JSON object")
                continue
            errors = payload.get("errors") or []
            codes = [str((e.get("extensions") or {}).get("code", "")) for e in errors]
            # a query refused for its size was never run: its cost says nothing of the next
            self._note_cost(operation, payload, learn="MAX_COST_EXCEEDED" not in codes)
            if errors and all(code == "THROTTLED" for code in codes):
                throttled += 1
                self._count_throttled(operation, throttled)
                self._check_fits(operation)
                self._sleep(self._jitter(0.05))  # `_wait_for_budget` does the real waiting
                continue
            if "ACCESS_DENIED" in codes:
                raise self._denied(operation, errors)
            if errors:
                messages = [str(e.get("message", "unknown error")) for e in errors]
                extensions = [dict(e.get("extensions") or {}) for e in errors]
                raise ShopifyQueryError(operation, messages, [c for c in codes if c], extensions)
            data = payload.get("data")
            if not isinstance(data, dict):
                raise ShopifyQueryError(operation, ["the answer has no data"], [])
            return data

    # -- throttling -------------------------------------------------------------------------

    def _wait_for_budget(self, operation: str) -> None:
        with self._lock:
            cost = self._costs.get(operation, 0.0)
        waited = self.bucket.reserve(cost)
        if waited:
            with self._lock:
                self.stats.waited_s += waited

    def _note_cost(self, operation: str, payload: dict[str, Any], *, learn: bool = True) -> None:
        cost = (payload.get("extensions") or {}).get("cost") or {}
        if not isinstance(cost, dict):
            return
        requested = cost.get("requestedQueryCost")
        actual = cost.get("actualQueryCost")
        throttle = cost.get("throttleStatus") or {}
        with self._lock:
            if learn and isinstance(requested, int | float):
                self._costs[operation] = float(requested)
            if isinstance(actual, int | float):
                self.stats.cost_used += float(actual)
        try:
            self.bucket.update(
                ThrottleStatus(
                    maximum=float(throttle["maximumAvailable"]),
                    available=float(throttle["currentlyAvailable"]),
                    restore_rate=float(throttle["restoreRate"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            return

    def _check_fits(self, operation: str) -> None:
        """A query dearer than the whole bucket would be throttled forever: say so, in the
        same terms as Shopify's MAX_COST_EXCEEDED, so that callers page smaller."""
        status = self.bucket.status
        with self._lock:
            cost = self._costs.get(operation, 0.0)
        if status is not None and cost > status.maximum:
            raise ShopifyQueryError(
                operation,
                [f"it costs {cost:.0f} points but the bucket holds {status.maximum:.0f}"],
                ["MAX_COST_EXCEEDED"],
                [{"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": status.maximum}],
            )

    def _count_throttled(self, operation: str, throttled: int) -> None:
        with self._lock:
            self.stats.throttled += 1
        if throttled > self.max_throttled:
            raise ShopifyUnavailable(
                f"Shopify kept throttling {operation} ({throttled} times in a row); "
                "another app may be using this shop's API budget. packdesk will try again "
                "at the next sync."
            )
        log.info("shopify throttled %s (%d), waiting", operation, throttled)

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("Retry-After", "")
        try:
            return max(0.0, float(header)) + self._jitter(0.1)
        except ValueError:
            return self._backoff(attempt)

    # -- failures ---------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2 ** (attempt - 1))
        return self._jitter(ceiling)

    def _jitter(self, ceiling: float) -> float:
        with self._lock:
            return self._random.uniform(0, ceiling)

    def _retry_or_raise(self, operation: str, failures: int, what: str) -> None:
        if failures >= self.max_attempts:
            raise ShopifyUnavailable(
                f"Shopify did not answer {operation} properly after {failures} tries "
                f"(last: {what}). Check the network and {self.url}; packdesk will try again "
                "at the next sync."
            )
        with self._lock:
            self.stats.retries += 1
        delay = self._backoff(failures)
        log.warning("shopify %s failed (%s); retry %d in %.2fs", operation, what, failures, delay)
        self._sleep(delay)

    @staticmethod
    def _denied(operation: str, errors: list[dict[str, Any]]) -> ShopifyScopeError:
        denied = next(
            e for e in errors if (e.get("extensions") or {}).get("code") == "ACCESS_DENIED"
        )
        scopes = required_access(denied)
        return ShopifyScopeError(operation, scopes, denied_sentence(operation, scopes))

    def _refusal(self, status: int, response: httpx.Response) -> ShopifyError:
        where = self.config_file
        if status == 401:
            return ShopifyAuthError(
                f"Shopify refused the access token (401): check [shopify].access_token in {where}."
            )
        if status == 403:
            return ShopifyAuthError(
                "Shopify refused the request (403): the access token lacks an access scope "
                "packdesk needs; `packdesk doctor` names each missing one and what breaks "
                "without it."
            )
        if status == 404:
            return ShopifyError(
                f"Shopify has no API at {self.url} (404): check [shopify].shop and "
                f"[shopify].api_version in {where}."
            )
        if status == 402:
            return ShopifyError("Shopify says the shop is frozen (402): the shop's plan is unpaid.")
        return ShopifyError(
            f"Shopify answered HTTP {status} to {self.url}: {response.text[:200]!r}."
        )
