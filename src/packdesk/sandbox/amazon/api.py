"""The SP-API operations packdesk uses, under `/amazon`, with Login with Amazon in front.

- `POST /amazon/auth/o2/token`: LWA's refresh-token grant (form-encoded), access tokens for
  an hour of sandbox time;
- `GET /amazon/fba/inventory/v1/summaries`: getInventorySummaries (Marketplace
  granularity, `details`, pages of 50 by `nextToken`, which expires after 30 seconds);
- `POST /amazon/reports/2021-06-30/reports`, `GET .../reports/{reportId}`, `GET
  .../documents/{reportDocumentId}`: the Reports API, whose reports go IN_QUEUE →
  IN_PROGRESS → DONE (or FATAL, CANCELLED when told) as they are polled, and whose document
  URLs are pre-signed, gzip, and expire after 5 minutes of sandbox time.

Every operation needs the `x-amz-access-token` header and spends a token of its usage plan;
answers have Amazon's shapes (`{"errors": [{"code", "message", "details"}]}`,
`x-amzn-RequestId`, `x-amzn-RateLimit-Limit`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

if TYPE_CHECKING:
    from packdesk.sandbox.amazon import AmazonSandbox

PAGE = 50
NEXT_TOKEN_TTL = timedelta(seconds=30)
TOKEN_TTL_S = 3600
URL_TTL_S = 300
MYI = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"


def errors(status: int, code: str, message: str, details: str = "", **headers: str) -> Response:
    return JSONResponse(
        {"errors": [{"code": code, "message": message, "details": details}]},
        status_code=status,
        headers={"x-amzn-RequestId": str(uuid.uuid4()), **headers},
    )


def ok(body: dict[str, Any], operation: str, sandbox: AmazonSandbox, status: int = 200) -> Response:
    return JSONResponse(
        body,
        status_code=status,
        headers={
            "x-amzn-RequestId": str(uuid.uuid4()),
            "x-amzn-RateLimit-Limit": sandbox.plans.limit_header(operation),
        },
    )


def amz_date(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


def api_routes(sandbox: AmazonSandbox) -> list[BaseRoute]:
    def gate(request: Request, operation: str) -> Response | None:
        token = request.headers.get("x-amz-access-token", "")
        expires = sandbox.access_tokens.get(token)
        if expires is None:
            return errors(
                403,
                "Unauthorized",
                "Access to requested resource is denied.",
                "The access token you provided is revoked, malformed or invalid.",
            )
        if sandbox.now() >= expires:
            return errors(
                403,
                "Unauthorized",
                "Access to requested resource is denied.",
                "The access token you provided has expired.",
            )
        if not sandbox.plans.take(operation):
            return errors(
                429, "QuotaExceeded", "You exceeded your quota for the requested resource."
            )
        return None

    async def token(request: Request) -> Response:
        parsed = parse_qs((await request.body()).decode("utf-8", "replace"))
        form = {key: values[0] for key, values in parsed.items()}
        if form.get("grant_type") != "refresh_token":
            return JSONResponse(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "The authorization grant type is not supported",
                },
                status_code=400,
            )
        if (form.get("client_id"), form.get("client_secret")) != (
            sandbox.client_id,
            sandbox.client_secret,
        ):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                status_code=401,
            )
        if form.get("refresh_token") != sandbox.refresh_token:
            return JSONResponse(
                {
                    "error": "invalid_grant",
                    "error_description": "The request has an invalid grant parameter : refresh_token",
                },
                status_code=400,
            )
        access = f"Atza|sandbox-{uuid.uuid4().hex}"
        sandbox.access_tokens[access] = sandbox.now() + timedelta(seconds=TOKEN_TTL_S)
        sandbox.tokens_issued += 1
        return JSONResponse(
            {
                "access_token": access,
                "refresh_token": sandbox.refresh_token,
                "token_type": "bearer",
                "expires_in": TOKEN_TTL_S,
            }
        )

    async def summaries(request: Request) -> Response:
        refused = gate(request, "getInventorySummaries")
        if refused is not None:
            return refused
        q = request.query_params
        market = sandbox.marketplace_id
        if q.get("granularityType") != "Marketplace":
            return errors(
                400, "InvalidInput", "Invalid Input", "granularityType must be Marketplace."
            )
        if q.get("granularityId") != market or q.getlist("marketplaceIds") != [market]:
            return errors(
                400,
                "InvalidInput",
                "Invalid Input",
                f"The seller is not registered in the marketplace given; use {market}.",
            )
        offset = 0
        if q.get("nextToken"):
            found = sandbox.next_tokens.get(q["nextToken"])
            if found is None or sandbox.now() - found[1] > NEXT_TOKEN_TTL:
                return errors(
                    400,
                    "InvalidInput",
                    "Invalid Input",
                    "The nextToken you provided is invalid or has expired.",
                )
            offset = found[0]
        details = q.get("details", "false").lower() == "true"
        now = sandbox.now()
        with sandbox.lock:
            entries = sorted(sandbox.stock.values(), key=lambda e: e.sku)
        page = entries[offset : offset + PAGE]
        body: dict[str, Any] = {
            "payload": {
                "granularity": {"granularityType": "Marketplace", "granularityId": market},
                "inventorySummaries": [sandbox.summary(e, now, details) for e in page],
            }
        }
        if offset + PAGE < len(entries):
            token_ = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            sandbox.next_tokens[token_] = (offset + PAGE, now)
            body["pagination"] = {"nextToken": token_}
        return ok(body, "getInventorySummaries", sandbox)

    async def create_report(request: Request) -> Response:
        refused = gate(request, "createReport")
        if refused is not None:
            return refused
        try:
            spec = json.loads(await request.body() or b"{}")
        except ValueError:
            return errors(400, "InvalidInput", "Invalid Input", "The body is not JSON.")
        if spec.get("reportType") != MYI:
            return errors(400, "InvalidInput", "Invalid Input", f"The sandbox serves only {MYI}.")
        if spec.get("marketplaceIds") != [sandbox.marketplace_id]:
            return errors(400, "InvalidInput", "Invalid Input", "marketplaceIds is not valid.")
        report_id = sandbox.new_report()
        return ok({"reportId": report_id}, "createReport", sandbox, status=202)

    async def get_report(request: Request) -> Response:
        refused = gate(request, "getReport")
        if refused is not None:
            return refused
        report = sandbox.poll_report(request.path_params["report_id"])
        if report is None:
            return errors(404, "NotFound", "The report does not exist.")
        return ok(report, "getReport", sandbox)

    async def get_document(request: Request) -> Response:
        refused = gate(request, "getReportDocument")
        if refused is not None:
            return refused
        doc_id = request.path_params["document_id"]
        if doc_id not in sandbox.documents:
            return errors(404, "NotFound", "The report document does not exist.")
        issued = sandbox.now()
        signature = sign(sandbox.url_secret, doc_id, amz_date(issued))
        base = str(request.base_url).rstrip("/")
        url = (
            f"{base}/amazon/report-documents/{doc_id}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Date={amz_date(issued)}&X-Amz-Expires={URL_TTL_S}&X-Amz-Signature={signature}"
        )
        return ok(
            {"reportDocumentId": doc_id, "url": url, "compressionAlgorithm": "GZIP"},
            "getReportDocument",
            sandbox,
        )

    async def download(request: Request) -> Response:
        doc_id = request.path_params["document_id"]
        q = request.query_params
        stamp = q.get("X-Amz-Date", "")
        body = sandbox.documents.get(doc_id)
        valid = hmac.compare_digest(
            q.get("X-Amz-Signature", ""), sign(sandbox.url_secret, doc_id, stamp)
        )
        if body is None or not valid:
            return s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        issued = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=sandbox.now().tzinfo)
        if sandbox.take_forced_expiry() or sandbox.now() > issued + timedelta(seconds=URL_TTL_S):
            return s3_error(403, "AccessDenied", "Request has expired")
        return Response(gzip.compress(body), media_type="application/octet-stream")

    return [
        Route("/amazon/auth/o2/token", token, methods=["POST"]),
        Route("/amazon/fba/inventory/v1/summaries", summaries, methods=["GET"]),
        Route("/amazon/reports/2021-06-30/reports", create_report, methods=["POST"]),
        Route("/amazon/reports/2021-06-30/reports/{report_id}", get_report, methods=["GET"]),
        Route("/amazon/reports/2021-06-30/documents/{document_id}", get_document, methods=["GET"]),
        Route("/amazon/report-documents/{document_id}", download, methods=["GET"]),
    ]


def sign(secret: bytes, doc_id: str, stamp: str) -> str:
    return hmac.new(secret, f"{doc_id}\n{stamp}".encode(), hashlib.sha256).hexdigest()


def s3_error(status: int, code: str, message: str) -> Response:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    )
    return Response(xml, status_code=status, media_type="application/xml")
