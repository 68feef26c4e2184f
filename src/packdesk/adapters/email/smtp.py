"""SMTP sender (smtplib): STARTTLS, implicit TLS or plain, with a login when configured.

Errors are sorted for the outbox: a 5xx refusal of the recipient or the message is
permanent (retrying sends the same thing to the same refusal); connection problems and 4xx
answers are retried with backoff.
"""

from __future__ import annotations

import smtplib
import ssl
from typing import Literal

from packdesk.adapters.email.mime import build_message
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail


class SmtpSender:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: Literal["starttls", "ssl", "none"] = "starttls",
        username: str = "",
        password: str = "",
        timeout_s: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self._password = password
        self.timeout_s = timeout_s
        self.ssl_context = ssl_context or ssl.create_default_context()

    def send(self, email: OutgoingEmail) -> None:
        message = build_message(email)
        phase = "connect"
        try:
            with self._connect() as smtp:
                if self.username:
                    phase = "login"
                    smtp.login(self.username, self._password)
                phase = "data"
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(
                f"The mail server refused {email.to}: {_first(exc.recipients)}", permanent=True
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(
                f"The mail server rejected the login ({exc.smtp_code}); check "
                "[email].smtp_username and smtp_password."
            ) from exc
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            raise DeliveryFailed(
                f"The mail server answered {exc.smtp_code} {exc.smtp_error!r}",
                permanent=permanent,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            if phase == "data":
                # The connection broke while the message was going out: the server may have
                # queued it. Retrying may duplicate it (same Message-ID); not retrying may
                # lose a tracking notice, which is worse.
                raise DeliveryFailed(
                    f"The mail server {self.host}:{self.port} broke off while the message was "
                    f"being sent ({exc}); it may have been accepted. Will retry."
                ) from exc
            raise DeliveryFailed(
                f"Cannot reach the mail server {self.host}:{self.port} ({exc}); will retry."
            ) from exc
        if refused:
            raise DeliveryFailed(f"The mail server refused {email.to}: {refused}", permanent=True)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout_s, context=self.ssl_context
            )
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        if self.security == "starttls":
            try:
                smtp.starttls(context=self.ssl_context)
            except BaseException:
                smtp.close()
                raise
        return smtp


def _first(recipients: dict[str, tuple[int, bytes]]) -> str:
    for code, text in recipients.values():
        return f"{code} {text.decode('utf-8', 'replace')}"
    return "refused"
