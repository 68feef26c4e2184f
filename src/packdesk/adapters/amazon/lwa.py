"""Login with Amazon: an SP-API access token from the seller's refresh token, kept until a
minute before it expires (an hour), and fetched again when Amazon says it has expired."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from packdesk.domain.ports.inventory import FbaUnavailable

TOKEN_URL = "https://api.amazon.com/auth/o2/token"
EARLY_S = 60.0


class LwaTokens:
    def __init__(
        self,
        client: httpx.Client,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        url: str = "",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.url = url or TOKEN_URL
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._token = ""
        self._until = 0.0

    def access_token(self) -> str:
        with self._lock:
            if not self._token or self._monotonic() >= self._until:
                self._token, expires_in = self._fetch()
                self._until = self._monotonic() + max(expires_in - EARLY_S, 0)
            return self._token

    def expire(self) -> None:
        """Amazon said the token expired: the next call fetches a new one."""
        with self._lock:
            self._token = ""

    def _fetch(self) -> tuple[str, float]:
        if not (self._client_id and self._client_secret and self._refresh_token):
            raise FbaUnavailable(
                "Amazon's SP-API needs [amazon].client_id, client_secret and refresh_token: "
                "set them from packdesk's app in Seller Central (Apps and Services → Develop "
                "Apps), or import a downloaded report with `packdesk fba import FILE`."
            )
        try:
            answer = self.client.post(
                self.url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": self._refresh_token,
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                },
            )
        except httpx.HTTPError as exc:
            raise FbaUnavailable(
                f"Cannot reach Login with Amazon at {self.url} ({type(exc).__name__}); "
                "check the network and try again."
            ) from exc
        body = _json(answer)
        if answer.status_code == 200 and body.get("access_token"):
            return str(body["access_token"]), float(str(body.get("expires_in") or 3600))
        error = str(body.get("error") or answer.status_code)
        if error == "invalid_grant":
            raise FbaUnavailable(
                "Amazon refused the refresh token (invalid_grant): authorise packdesk's app "
                "again in Seller Central and put the new token in [amazon].refresh_token."
            )
        if error == "invalid_client":
            raise FbaUnavailable(
                "Amazon refused packdesk's app (invalid_client): check [amazon].client_id and "
                "client_secret against the app's LWA credentials in Seller Central."
            )
        raise FbaUnavailable(
            f"Login with Amazon answered {answer.status_code} ({error}); try again later."
        )


def _json(answer: httpx.Response) -> dict[str, object]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
