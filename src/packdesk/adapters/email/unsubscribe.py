"""`/unsubscribe`: the one-click unsubscribe links of marketing e-mails (RFC 8058), served by
the webhook receiver's HTTP server.

- `POST /unsubscribe?e=...&s=...` (what a mail client sends for `List-Unsubscribe-Post:
  List-Unsubscribe=One-Click`, and what the page's button sends): a genuine link puts the
  address on the suppression list before the answer goes out, 200;
- `GET` the same link (a person clicking it in the e-mail): a page with one button that
  POSTs it. A GET changes nothing, because mail scanners open links by themselves;
- a link whose signature is not packdesk's (made up, cut or changed): 400, nothing changes.

The body of a POST is not read: the link alone says who to unsubscribe.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.domain.unsubscribe import UnsubscribeLinks

log = logging.getLogger(__name__)

HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family:Helvetica,Arial,sans-serif;max-width:32em;margin:3em auto;">'
        f'<h1 style="font-size:1.4em">{html.escape(title)}</h1>{body}</body></html>'
    )
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def unsubscribe_routes(
    links: UnsubscribeLinks, unsubscribe: Callable[[str], None]
) -> list[BaseRoute]:
    """The routes of `/unsubscribe`; `unsubscribe(address)` stores the suppression."""

    def address_of(request: Request) -> str | None:
        params = request.query_params
        return links.address(params.get("e", ""), params.get("s", ""))

    def not_valid() -> Response:
        return _page(
            "This link is not valid",
            "<p>It may have been cut short or changed. Reply to the e-mail with the word "
            "“unsubscribe” and we will take you off the list.</p>",
            status=400,
        )

    async def ask(request: Request) -> Response:
        address = address_of(request)
        if address is None:
            return not_valid()
        action = html.escape(f"{request.url.path}?{request.url.query}", quote=True)
        return _page(
            "Unsubscribe",
            f"<p>Stop e-mails such as usage guides and review requests to "
            f"<b>{html.escape(address)}</b>? E-mails about your orders still come.</p>"
            f'<form method="post" action="{action}">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            '<button type="submit" style="font-size:1.1em;padding:.5em 1.5em">Unsubscribe</button>'
            "</form>",
        )

    async def confirm(request: Request) -> Response:
        address = address_of(request)
        if address is None:
            return not_valid()
        await run_in_threadpool(unsubscribe, address)
        log.info("an address unsubscribed from marketing e-mails by its link")
        return _page(
            "You are unsubscribed",
            f"<p>{html.escape(address)} gets no more e-mails such as usage guides and review "
            "requests. E-mails about your orders still come.</p>",
        )

    return [
        Route("/unsubscribe", ask, methods=["GET"]),
        Route("/unsubscribe", confirm, methods=["POST"]),
    ]
