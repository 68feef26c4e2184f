"""Amazon's Selling Partner API for FBA stock (`FbaSource`), two ways:

- `summaries`: the FBA Inventory API's getInventorySummaries (Marketplace granularity,
  `details=true`), paged by `nextToken` — which Amazon lets live 30 seconds, so pages follow
  each other at once, and a read whose token expired starts over once;
- `report`: the Reports API's Manage FBA Inventory report: createReport, getReport polled
  until DONE (FATAL and CANCELLED are sentences; a FATAL report's document says why),
  getReportDocument, then the document itself from its pre-signed URL, which expires after
  five minutes (an expired one is asked for again), gzip undone and read by `report.py`.

Each operation keeps to its usage plan (a token bucket: 2 a second for summaries, one a
minute after a burst of 15 for createReport, ...) and a 429 QuotaExceeded is waited out
with backoff; an expired access token is refreshed once. Every failure that stops a read
is an `FbaUnavailable` sentence.
"""

from __future__ import annotations

import gzip
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx

from packdesk.adapters.amazon.lwa import LwaTokens
from packdesk.adapters.amazon.report import parse_report
from packdesk.domain.inventory.fba import REPORT_TYPE, FbaItem, FbaReportRefused, FbaSnapshot
from packdesk.domain.ports.inventory import FbaUnavailable

ENDPOINT = "https://sellingpartnerapi-na.amazon.com"
PLANS: dict[str, tuple[float, int]] = {
    "getInventorySummaries": (2.0, 2),
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReportDocument": (0.0167, 15),
}
"""Amazon's default usage plans: (requests a second, burst)."""
MAX_ATTEMPTS = 6
DOCUMENT_TRIES = 3
USER_AGENT = "packdesk/0.1 (Language=Python)"


class TokenBucket:
    """Wait until the usage plan allows one more call."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        monotonic: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.at = monotonic()
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            while True:
                now = self._monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
                self.at = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                self._sleep((1 - self.tokens) / self.rate)


@dataclass(frozen=True)
class Pacing:
    """How the client waits: injectable so tests of pacing need no wall clock."""

    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    backoff_s: float = 1.0
    report_poll_s: float = 15.0
    report_wait_s: float = 900.0


class SpApiFba:
    """The `FbaSource` port on the SP-API."""

    def __init__(
        self,
        tokens: LwaTokens,
        client: httpx.Client,
        *,
        marketplace_id: str,
        endpoint: str = "",
        source: str = "summaries",
        pacing: Pacing | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.tokens = tokens
        self.client = client
        self.base = (endpoint or ENDPOINT).rstrip("/")
        self.marketplace_id = marketplace_id
        self.source = source
        self.pacing = pacing or Pacing()
        self.now = now
        self.buckets = {
            op: TokenBucket(rate, burst, monotonic=self.pacing.monotonic, sleep=self.pacing.sleep)
            for op, (rate, burst) in PLANS.items()
        }

    def fetch(self) -> FbaSnapshot:
        return self.report() if self.source == "report" else self.summaries()

    # -- the FBA Inventory API ------------------------------------------------------------

    def summaries(self) -> FbaSnapshot:
        for attempt in (1, 2):
            try:
                return self._summaries()
            except _TokenExpired:
                if attempt == 2:
                    raise FbaUnavailable(
                        "Amazon's pages expired twice while reading FBA stock (a page token "
                        "lives 30 seconds); try again later."
                    ) from None
        raise AssertionError("unreachable")

    def _summaries(self) -> FbaSnapshot:
        at = self.now()
        items: list[FbaItem] = []
        next_token = ""
        while True:
            params: dict[str, Any] = {
                "details": "true",
                "granularityType": "Marketplace",
                "granularityId": self.marketplace_id,
                "marketplaceIds": self.marketplace_id,
            }
            if next_token:
                params["nextToken"] = next_token
            body = self._call(
                "getInventorySummaries",
                "GET",
                "/fba/inventory/v1/summaries",
                params=params,
                page=bool(next_token),
            )
            payload = body.get("payload") or {}
            items += [summary_item(s) for s in payload.get("inventorySummaries") or []]
            next_token = str((body.get("pagination") or {}).get("nextToken") or "")
            if not next_token:
                break
        return FbaSnapshot(
            source="sp-api",
            name=f"getInventorySummaries {self.marketplace_id}",
            as_of=at,
            items=tuple(items),
        )

    # -- the Reports API ------------------------------------------------------------------

    def report(self) -> FbaSnapshot:
        created = self._call(
            "createReport",
            "POST",
            "/reports/2021-06-30/reports",
            json={"reportType": REPORT_TYPE, "marketplaceIds": [self.marketplace_id]},
        )
        report_id = str(created.get("reportId") or "")
        report = self._await(report_id)
        status = str(report.get("processingStatus"))
        document_id = str(report.get("reportDocumentId") or "")
        if status == "CANCELLED":
            raise FbaUnavailable(
                f"Amazon cancelled report {report_id} (it does so when it has no data to "
                "return): nothing was imported. Check that the seller has FBA stock in "
                f"marketplace {self.marketplace_id}."
            )
        if status == "FATAL":
            why = ""
            if document_id:
                why = self._document(document_id).decode("utf-8", "replace").strip()
            raise FbaUnavailable(
                f"Amazon stopped report {report_id} (FATAL)"
                + (f": {why[:300]}" if why else "")
                + "; nothing was imported. Try again later."
            )
        data = self._document(document_id)
        as_of = _time(report.get("processingEndTime") or report.get("createdTime")) or self.now()
        try:
            parsed = parse_report(data, name=f"{REPORT_TYPE} {report_id}", as_of=as_of)
        except FbaReportRefused as exc:
            raise FbaUnavailable(f"Amazon's report {report_id} cannot be read: {exc}") from exc
        return replace(parsed, source="sp-api")

    def _await(self, report_id: str) -> dict[str, Any]:
        waited = 0.0
        while True:
            report = self._call("getReport", "GET", f"/reports/2021-06-30/reports/{report_id}")
            if report.get("processingStatus") in ("DONE", "FATAL", "CANCELLED"):
                return report
            if waited >= self.pacing.report_wait_s:
                raise FbaUnavailable(
                    f"Amazon's report {report_id} is still {report.get('processingStatus')} "
                    f"after {waited:.0f} s; try again later."
                )
            self.pacing.sleep(self.pacing.report_poll_s)
            waited += self.pacing.report_poll_s

    def _document(self, document_id: str) -> bytes:
        for _ in range(DOCUMENT_TRIES):
            doc = self._call(
                "getReportDocument", "GET", f"/reports/2021-06-30/documents/{document_id}"
            )
            url = str(doc.get("url") or "")
            try:
                answer = self.client.get(url)
            except httpx.HTTPError as exc:
                raise FbaUnavailable(
                    f"Cannot download Amazon's report document ({type(exc).__name__}); try "
                    "again later."
                ) from exc
            if answer.status_code == 403 and "expired" in answer.text.lower():
                continue  # the pre-signed URL's five minutes are over: ask for a new one
            if answer.status_code != 200:
                raise FbaUnavailable(
                    f"Amazon's report document answered {answer.status_code}; try again later."
                )
            if str(doc.get("compressionAlgorithm") or "").upper() != "GZIP":
                return answer.content
            try:
                return gzip.decompress(answer.content)
            except (OSError, EOFError) as exc:
                raise FbaUnavailable(
                    f"Amazon's report document is damaged ({exc}); try again later."
                ) from exc
        raise FbaUnavailable(
            f"Amazon's report document URLs kept expiring before the download ({DOCUMENT_TRIES} "
            "tries); check that this computer's clock is right, then try again."
        )

    # -- one call -------------------------------------------------------------------------

    def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        page: bool = False,
    ) -> dict[str, Any]:
        refreshed = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self.buckets[operation].take()
            try:
                answer = self.client.request(
                    method,
                    f"{self.base}{path}",
                    params=params,
                    json=json,
                    headers={
                        "x-amz-access-token": self.tokens.access_token(),
                        "user-agent": USER_AGENT,
                    },
                )
            except httpx.HTTPError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise FbaUnavailable(
                        f"Cannot reach Amazon's SP-API at {self.base} ({type(exc).__name__}); "
                        "check the network and try again."
                    ) from exc
                self._backoff(attempt)
                continue
            if answer.status_code in (200, 202):
                body = answer.json()
                return body if isinstance(body, dict) else {}
            code, text = _error(answer)
            if answer.status_code == 403 and "expired" in text.lower() and not refreshed:
                self.tokens.expire()
                refreshed = True
                continue
            if answer.status_code == 400 and page and "nexttoken" in text.lower():
                raise _TokenExpired()
            if answer.status_code == 429 or answer.status_code >= 500:
                if attempt < MAX_ATTEMPTS:
                    self._backoff(attempt)
                    continue
                raise FbaUnavailable(
                    f"Amazon kept answering {answer.status_code} ({code}) to {operation} after "
                    f"{MAX_ATTEMPTS} tries; try again later."
                )
            if answer.status_code == 403:
                raise FbaUnavailable(
                    f"Amazon refused {operation} ({code}: {text}); check that packdesk's app has "
                    "the Product Listing and Inventory roles and the seller authorised it."
                )
            raise FbaUnavailable(
                f"Amazon refused {operation} ({answer.status_code} {code}: {text})."
            )
        raise FbaUnavailable(f"Amazon did not answer {operation}; try again later.")

    def _backoff(self, attempt: int) -> None:
        self.pacing.sleep(self.pacing.backoff_s * 2 ** (attempt - 1) * (1 + random.random() / 4))


class _TokenExpired(Exception):
    """A page's nextToken was refused: the read starts over."""


def summary_item(s: Mapping[str, Any]) -> FbaItem:
    """One `InventorySummary` (with details) as an FBA item."""
    d = s.get("inventoryDetails") or {}

    def total(name: str, key: str) -> int | None:
        part = d.get(name)
        return int(part[key]) if isinstance(part, dict) and part.get(key) is not None else None

    def number(key: str) -> int | None:
        return int(d[key]) if d.get(key) is not None else None

    return FbaItem(
        sku=str(s.get("sellerSku") or ""),
        fnsku=str(s.get("fnSku") or ""),
        asin=str(s.get("asin") or ""),
        product_name=str(s.get("productName") or ""),
        condition=str(s.get("condition") or ""),
        fulfillable=number("fulfillableQuantity"),
        inbound_working=number("inboundWorkingQuantity"),
        inbound_shipped=number("inboundShippedQuantity"),
        inbound_receiving=number("inboundReceivingQuantity"),
        reserved=total("reservedQuantity", "totalReservedQuantity"),
        unsellable=total("unfulfillableQuantity", "totalUnfulfillableQuantity"),
        researching=total("researchingQuantity", "totalResearchingQuantity"),
        total=int(s["totalQuantity"]) if s.get("totalQuantity") is not None else None,
    )


def _error(answer: httpx.Response) -> tuple[str, str]:
    try:
        body = answer.json()
        first = (body.get("errors") or [{}])[0]
        return str(first.get("code") or ""), " ".join(
            str(first.get(k) or "") for k in ("message", "details")
        ).strip()
    except (ValueError, AttributeError, IndexError):
        return "", answer.text[:200]


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
