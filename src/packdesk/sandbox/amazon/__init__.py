"""Amazon's Selling Partner API for FBA stock, as the sandbox serves it (`api.py`), over the
demo seller's stock (`stock.py`), with its reports written as Amazon writes them
(`documents.py`) and its usage plans (`limits.py`).

Control under `/control/amazon`: `GET|PUT /inventory` (read, or add and replace entries:
`[{"sku": "X", "fulfillable": 3, ...}]`), `DELETE /inventory` (no FBA stock at all),
`POST /reports/next {"outcome": "FATAL"|"CANCELLED"|"DONE", "polls": N}` (how the next
reports end, and after how many polls), `POST /documents/expire {"count": N}` (the next N
downloads find their URL expired), `GET|PUT /rate_limits` (`{"getReport": {"rate": 0.5,
"burst": 1}}`), `GET /report-file` (the report as Seller Central would download it now).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.amazon.api import MYI, api_routes
from packdesk.sandbox.amazon.documents import report_bytes
from packdesk.sandbox.amazon.limits import UsagePlans
from packdesk.sandbox.amazon.stock import QUANTITIES, FbaEntry, demo_stock

MARKETPLACE_ID = "ATVPDKIKX0DER"
"""amazon.com"""
CLIENT_ID = "amzn1.application-oa2-client.sandbox"
CLIENT_SECRET = "sandbox-lwa-client-secret"
REFRESH_TOKEN = "Atzr|sandbox-refresh-token"
OUTCOMES = ("DONE", "FATAL", "CANCELLED")
FATAL_TEXT = (
    "Report processing failed: the request could not be completed because of an internal "
    "error. Request the report again later."
)


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S+00:00")


class AmazonSandbox:
    def __init__(
        self,
        *,
        seed: int,
        products: Sequence[tuple[str, str, str]],
        now: Callable[[], datetime],
    ) -> None:
        self.now = now
        self.lock = threading.RLock()
        self.marketplace_id = MARKETPLACE_ID
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.refresh_token = REFRESH_TOKEN
        self.url_secret = os.urandom(16)
        self.plans = UsagePlans()
        self._seed = seed
        self._products = list(products)
        self.stock: dict[str, FbaEntry] = demo_stock(seed, products, now())
        self.access_tokens: dict[str, datetime] = {}
        self.next_tokens: dict[str, tuple[int, datetime]] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, bytes] = {}
        self.tokens_issued = 0
        self._next_outcome = ("DONE", 2)
        self._forced_expiries = 0
        self._ids = 50_000_000_000

    # -- state ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Full usage plans, no planned failures, and the demo stock as it was at the start
        (reports made stay)."""
        self.plans.reset()
        with self.lock:
            self._next_outcome = ("DONE", 2)
            self._forced_expiries = 0
            self.stock = demo_stock(self._seed, self._products, self.now())

    def summary(self, e: FbaEntry, at: datetime, details: bool) -> dict[str, Any]:
        q = e.now(at)
        found: dict[str, Any] = {
            "asin": e.asin,
            "fnSku": e.fnsku,
            "sellerSku": e.sku,
            "condition": "NewItem",
            "lastUpdatedTime": _iso(e.since or at),
            "productName": e.title,
            "totalQuantity": e.total(at),
        }
        if details:
            found["inventoryDetails"] = {
                "fulfillableQuantity": q["fulfillable"],
                "inboundWorkingQuantity": q["inbound_working"],
                "inboundShippedQuantity": q["inbound_shipped"],
                "inboundReceivingQuantity": q["inbound_receiving"],
                "reservedQuantity": {
                    "totalReservedQuantity": q["reserved"],
                    "pendingCustomerOrderQuantity": q["reserved"],
                    "pendingTransshipmentQuantity": 0,
                    "fcProcessingQuantity": 0,
                },
                "researchingQuantity": {
                    "totalResearchingQuantity": q["researching"],
                    "researchingQuantityBreakdown": [
                        {"name": "researchingQuantityInShortTerm", "quantity": q["researching"]},
                        {"name": "researchingQuantityInMidTerm", "quantity": 0},
                        {"name": "researchingQuantityInLongTerm", "quantity": 0},
                    ],
                },
                "unfulfillableQuantity": {
                    "totalUnfulfillableQuantity": q["unsellable"],
                    "customerDamagedQuantity": q["unsellable"],
                    "warehouseDamagedQuantity": 0,
                    "distributorDamagedQuantity": 0,
                    "carrierDamagedQuantity": 0,
                    "defectiveQuantity": 0,
                    "expiredQuantity": 0,
                },
            }
        return found

    def new_report(self) -> str:
        with self.lock:
            self._ids += 1
            report_id = str(self._ids)
            outcome, polls = self._next_outcome
            self.reports[report_id] = {
                "reportId": report_id,
                "reportType": MYI,
                "marketplaceIds": [self.marketplace_id],
                "createdTime": _iso(self.now()),
                "processingStatus": "IN_QUEUE",
                "_outcome": outcome,
                "_polls_left": polls,
            }
            return report_id

    def poll_report(self, report_id: str) -> dict[str, Any] | None:
        """The report as getReport answers it; every poll moves it on."""
        with self.lock:
            report = self.reports.get(report_id)
            if report is None:
                return None
            if report["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS"):
                report["_polls_left"] -= 1
                if report["_polls_left"] > 0:
                    report["processingStatus"] = "IN_PROGRESS"
                    report.setdefault("processingStartTime", _iso(self.now()))
                else:
                    self._finish(report)
            return {k: v for k, v in report.items() if not k.startswith("_")}

    def _finish(self, report: dict[str, Any]) -> None:
        now = self.now()
        report["processingStatus"] = report["_outcome"]
        report.setdefault("processingStartTime", _iso(now))
        report["processingEndTime"] = _iso(now)
        if report["_outcome"] == "CANCELLED":
            return
        doc_id = f"amzn1.spdoc.1.4.na.{report['reportId']}.sandbox"
        if report["_outcome"] == "FATAL":
            self.documents[doc_id] = FATAL_TEXT.encode()
        else:
            self.documents[doc_id] = report_bytes(self.stock.values(), now)
        report["reportDocumentId"] = doc_id

    def take_forced_expiry(self) -> bool:
        with self.lock:
            if self._forced_expiries > 0:
                self._forced_expiries -= 1
                return True
            return False

    def report_file(self) -> bytes:
        """The report as Seller Central would download it now."""
        with self.lock:
            return report_bytes(list(self.stock.values()), self.now())

    # -- routes ---------------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return api_routes(self)

    def control_routes(self) -> list[BaseRoute]:
        async def get_inventory(request: Request) -> Response:
            now = self.now()
            with self.lock:
                return JSONResponse(
                    {sku: {**e.now(now), "rate": e.rate} for sku, e in sorted(self.stock.items())}
                )

        async def put_inventory(request: Request) -> Response:
            try:
                body = await request.json()
                with self.lock:
                    for spec in body:
                        sku = str(spec["sku"])
                        entry = self.stock.get(sku) or FbaEntry(
                            sku=sku,
                            title=str(spec.get("title", sku)),
                            asin=f"B0{sku[:8]}",
                            fnsku=f"X00{sku[:7]}",
                            price=str(spec.get("price", "9.99")),
                        )
                        for name in (*QUANTITIES, "rate"):
                            if name in spec:
                                setattr(entry, name, spec[name])
                        entry.since = self.now()
                        self.stock[sku] = entry
            except (ValueError, KeyError, TypeError) as exc:
                return JSONResponse({"error": f'Send [{{"sku": "X", ...}}]: {exc}'}, 400)
            return await get_inventory(request)

        async def clear_inventory(request: Request) -> Response:
            with self.lock:
                self.stock.clear()
            return Response(status_code=204)

        async def next_reports(request: Request) -> Response:
            body = await request.json()
            outcome = str(body.get("outcome", "DONE")).upper()
            if outcome not in OUTCOMES:
                return JSONResponse({"error": f"outcome is one of {', '.join(OUTCOMES)}"}, 400)
            with self.lock:
                self._next_outcome = (outcome, max(int(body.get("polls", 2)), 1))
            return JSONResponse({"outcome": outcome})

        async def expire_documents(request: Request) -> Response:
            body = await request.json()
            with self.lock:
                self._forced_expiries = int(body.get("count", 1))
            return JSONResponse({"expire_next": self._forced_expiries})

        async def get_limits(request: Request) -> Response:
            return JSONResponse(self.plans.snapshot())

        async def put_limits(request: Request) -> Response:
            try:
                for operation, plan in (await request.json()).items():
                    self.plans.set(operation, float(plan["rate"]), int(plan["burst"]))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                return JSONResponse({"error": str(exc)}, 400)
            return JSONResponse(self.plans.snapshot())

        async def report_file(request: Request) -> Response:
            return Response(self.report_file(), media_type="text/tab-separated-values")

        return [
            Route("/inventory", get_inventory, methods=["GET"]),
            Route("/inventory", put_inventory, methods=["PUT"]),
            Route("/inventory", clear_inventory, methods=["DELETE"]),
            Route("/reports/next", next_reports, methods=["POST"]),
            Route("/documents/expire", expire_documents, methods=["POST"]),
            Route("/rate_limits", get_limits, methods=["GET"]),
            Route("/rate_limits", put_limits, methods=["PUT"]),
            Route("/report-file", report_file, methods=["GET"]),
        ]
