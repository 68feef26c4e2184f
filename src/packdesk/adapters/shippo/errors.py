"""Shippo's failures as the two kinds the exactly-once protocol tells apart.

No usable answer (network error, timeout, 5xx, 429) is `CarrierUnavailable`: the outcome of
a purchase is unknown. A 4xx answer is `CarrierRefused` with Shippo's own words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from shippo.models import errors

from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable

T = TypeVar("T")


def messages_of(body: str) -> list[str]:
    """The human parts of a Shippo error body (`{"field": ["text"]}`, `{"detail": ...}`,
    or `messages: [{"text": ...}]`)."""
    try:
        data: Any = json.loads(body)
    except ValueError:
        return [body.strip()[:200]] if body.strip() else []
    out: list[str] = []

    def walk(value: Any, field: str = "") -> None:
        if isinstance(value, str):
            out.append(f"{field}: {value}" if field and field not in ("detail", "text") else value)
        elif isinstance(value, list):
            for v in value:
                walk(v, field)
        elif isinstance(value, dict):
            if "text" in value:
                walk(value["text"], "text")
                return
            for k, v in value.items():
                walk(v, k)

    walk(data)
    return out


def retry_after(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("retry-after", "")
    try:
        return float(value)
    except ValueError:
        return None


def call(what: str, fn: Callable[[], T]) -> T:
    """Run one SDK call, mapping its failures to the carrier exceptions."""
    try:
        return fn()
    except errors.SDKError as exc:
        status = exc.status_code
        words = "; ".join(messages_of(exc.body)) or f"HTTP {status}"
        if status == 429:
            raise CarrierUnavailable(
                f"Shippo is rate limiting ({what})",
                retry_after_s=retry_after(exc.raw_response),
                sent=False,
            ) from exc
        if status >= 500:
            raise CarrierUnavailable(f"Shippo answered {status} to {what}") from exc
        if status == 401:
            raise CarrierRefused(
                "Shippo refused the API token: check [shippo].api_token in the config"
            ) from exc
        raise CarrierRefused(words) from exc
    except requests.exceptions.RequestException as exc:
        if _never_connected(exc):
            raise CarrierUnavailable(
                f"Shippo could not be reached for {what} ({type(exc).__name__})", sent=False
            ) from exc
        kind = (
            "timed out" if isinstance(exc, requests.exceptions.Timeout) else "lost the connection"
        )
        raise CarrierUnavailable(f"Shippo {kind} during {what}") from exc
    except (ValueError, KeyError) as exc:  # an answer the SDK could not read
        raise CarrierUnavailable(f"Shippo's answer to {what} could not be read ({exc})") from exc


def _never_connected(exc: requests.exceptions.RequestException) -> bool:
    """Whether the request never reached Shippo (a connection refused, a name not resolved,
    a connect timeout): then it surely did nothing."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc)
    return isinstance(exc, requests.exceptions.ConnectionError) and (
        "NewConnectionError" in text
        or "Connection refused" in text
        or "NameResolutionError" in text
    )
