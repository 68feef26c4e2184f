"""`/carrier_accounts`: the sandbox account's carrier accounts, listed as Shippo lists them.

Shippo's own USPS, UPS and FedEx accounts are active and quote every shipment; a DHL Express
account the merchant connected is switched off (inactive accounts are listed but never
quoted). As in Shippo, `account_id` is masked in every answer, `service_levels` appear only
with `?service_levels=true`, `carrier` and `account_id` filter the list, and a page holds 5
accounts unless `results` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.shippo import rates as pricing
from packdesk.sandbox.shippo.state import OWNER, not_found, page_of

MASKED = "****"


@dataclass(frozen=True)
class Account:
    object_id: str
    carrier: str
    carrier_name: str
    account_id: str
    active: bool
    is_shippo_account: bool


ACCOUNTS = (
    *(
        Account(
            pricing.CARRIER_ACCOUNTS[name],
            pricing.CARRIER_SLUG[name],
            name,
            f"sandbox-{pricing.CARRIER_SLUG[name]}",
            active=True,
            is_shippo_account=True,
        )
        for name in pricing.CARRIERS
    ),
    Account(
        "3e0d6f7a8b9c40a41526d7e8f9a0b1c4",
        "dhl_express",
        "DHL Express",
        "sandbox-dhl-express-own",
        active=False,
        is_shippo_account=False,
    ),
)


def shown(account: Account, *, service_levels: bool) -> dict[str, Any]:
    """An account as Shippo answers with it."""
    answer: dict[str, Any] = {
        "object_id": account.object_id,
        "object_owner": OWNER,
        "carrier": account.carrier,
        "carrier_name": account.carrier_name,
        "account_id": MASKED,
        "active": account.active,
        "is_shippo_account": account.is_shippo_account,
        "test": True,
        "metadata": "",
    }
    if service_levels:
        answer["service_levels"] = [
            {"token": s.token, "name": s.name}
            for s in pricing.SERVICES
            if s.carrier == account.carrier_name
        ]
    return answer


def account_routes() -> list[BaseRoute]:
    async def list_accounts(request: Request) -> Response:
        params = request.query_params
        levels = params.get("service_levels", "").lower() == "true"
        found = [
            a
            for a in ACCOUNTS
            if params.get("carrier") in (None, a.carrier)
            and params.get("account_id") in (None, a.account_id)
        ]
        page = page_of(
            request,
            [shown(a, service_levels=levels) for a in found],
            "/shippo/carrier_accounts",
            default_results=5,
        )
        if page is None:
            return JSONResponse({"detail": "Invalid page."}, status_code=404)
        return JSONResponse(page)

    async def get_account(request: Request) -> Response:
        for account in ACCOUNTS:
            if account.object_id == request.path_params["account_id"]:
                return JSONResponse(shown(account, service_levels=True))
        return not_found("carrier account")

    return [
        Route("/shippo/carrier_accounts", list_accounts, methods=["GET"]),
        Route("/shippo/carrier_accounts/{account_id}", get_account, methods=["GET"]),
    ]
