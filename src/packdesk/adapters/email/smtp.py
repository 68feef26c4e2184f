"""SMTP sender (smtplib): STARTTLS, implicit TLS or plain, with a login when configured.

SMTP answers every step, so a failure says whether the message was taken: a 5xx refusal of
the recipient or the message is permanent (retrying sends the same thing to the same
refusal); 4xx answers ("not now") and connection problems before the message was complete
are retried with backoff, and nothing was sent. The one unclear moment is between the end of the
message and the server's reply to it: a connection lost there may leave the message queued,
and the failure says so (`unclear`), as SendGrid's lost answers do. A failure after the
reply (at QUIT) changes nothing: the message was taken.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from typing import TYPE_CHECKING, Literal

from packdesk.adapters.email.mime import build_message
from packdesk.domain.outbox import DeliveryFailed, OutgoingEmail

if TYPE_CHECKING:
    from typing_extensions import Buffer

log = logging.getLogger(__name__)

_END_OF_MESSAGE = b"\r\n.\r\n"


def _ended(sent: Buffer | str) -> bool:
    """Whether `sent` is what smtplib writes last for DATA: the message and its final dot
    (no command ends that way)."""
    return not isinstance(sent, str) and bytes(sent).endswith(_END_OF_MESSAGE)


class _Session(smtplib.SMTP):
    """smtplib.SMTP that notes when the whole message has been written."""

    message_sent = False

    def send(self, s: Buffer | str) -> None:
        super().send(s)
        self.message_sent = self.message_sent or _ended(s)


class _TlsSession(smtplib.SMTP_SSL):
    """smtplib.SMTP_SSL that notes when the whole message has been written."""

    message_sent = False

    def send(self, s: Buffer | str) -> None:
        super().send(s)
        self.message_sent = self.message_sent or _ended(s)


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
        try:
            smtp = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(
                f"Cannot reach the mail server {self.host}:{self.port} ({exc}); will retry."
            ) from exc
        try:
            if self.username:
                smtp.login(self.username, self._password)
            refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, said = _first(exc.recipients)
            raise DeliveryFailed(
                f"The mail server refused {email.to}: {code} {said}",
                permanent=500 <= code < 600,  # 4xx: not now, try again later
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
            if smtp.message_sent:
                raise DeliveryFailed(
                    f"The mail server {self.host}:{self.port} broke off after the whole "
                    f"message was sent and before it answered ({exc}); it may have queued it "
                    f"(Message-ID {email.message_id}).",
                    unclear=True,
                ) from exc
            raise DeliveryFailed(
                f"The mail server {self.host}:{self.port} broke off before the message was "
                f"complete ({exc}); nothing was sent. Will retry."
            ) from exc
        finally:
            _quit(smtp)
        if refused:
            raise DeliveryFailed(f"The mail server refused {email.to}: {refused}", permanent=True)

    def check(self) -> str:
        """Connect, greet (EHLO), secure the connection and log in as `send` does, then QUIT:
        no MAIL command, so nothing is sent. "" when all of it worked, else the problem as a
        sentence with the setting to fix."""
        where = f"{self.host}:{self.port}"
        try:
            smtp = self._connect()
        except smtplib.SMTPNotSupportedError:
            return (
                f"the mail server {where} offers no STARTTLS: set [email].smtp_security to "
                'the one the provider names ("ssl" on port 465)'
            )
        except ssl.SSLError as exc:
            return (
                f"TLS with the mail server {where} failed ({exc.reason or exc}): check "
                "[email].smtp_security and smtp_port"
            )
        except (smtplib.SMTPException, OSError) as exc:
            return f"cannot reach the mail server {where} ({exc}): check [email].smtp_host and smtp_port"
        try:
            smtp.ehlo_or_helo_if_needed()
            if self.username:
                smtp.login(self.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            said = (
                exc.smtp_error.decode("utf-8", "replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            return (
                f"the mail server {where} refused the login ({exc.smtp_code} {said}): check "
                "[email].smtp_username and smtp_password"
            )
        except smtplib.SMTPNotSupportedError:
            return (
                f"the mail server {where} offers no login on this connection: check "
                "[email].smtp_security (most servers offer AUTH only after STARTTLS)"
            )
        except (smtplib.SMTPException, OSError) as exc:
            return f"the mail server {where} broke off the greeting ({exc})"
        finally:
            _quit(smtp)
        return ""

    def _connect(self) -> _Session | _TlsSession:
        if self.security == "ssl":
            return _TlsSession(
                self.host, self.port, timeout=self.timeout_s, context=self.ssl_context
            )
        smtp = _Session(self.host, self.port, timeout=self.timeout_s)
        if self.security == "starttls":
            try:
                smtp.starttls(context=self.ssl_context)
            except BaseException:
                smtp.close()
                raise
        return smtp


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; a server that is gone by now changes nothing that was sent."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError) as exc:
        log.debug("SMTP QUIT failed: %s", exc)
    finally:
        smtp.close()


def _first(recipients: dict[str, tuple[int, bytes]]) -> tuple[int, str]:
    for code, text in recipients.values():
        return code, text.decode("utf-8", "replace")
    return 550, "refused"
