"""The checks behind `packdesk doctor`: each says what it found and how to fix a failure.

They probe the outside world the config names (the database folder, Shopify, Shippo, each
printer, the mail server) directly, so that a check answers even where building the adapter
itself would fail.
"""

from __future__ import annotations

import shutil
import smtplib
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx

from packdesk.adapters.store import StoreError
from packdesk.bootstrap.checks import Check
from packdesk.bootstrap.doctor_shopify import shopify_checks
from packdesk.bootstrap.store import migrate_database
from packdesk.settings import PrinterSettings, Settings

SHIPPO_DEFAULT = "https://api.goshippo.com"


def run_checks(settings: Settings) -> Iterator[Check]:
    """Every check, in the order a person would fix things."""
    where = settings.source_path or "defaults (no config file found)"
    yield Check("config", True, f"read from {where}")
    yield _database(settings)
    yield from shopify_checks(settings)
    yield _shippo(settings)
    if not settings.printers:
        yield Check(
            "printers",
            False,
            "none configured",
            "add [[printers]] entries for a label and a slip printer (config.example.toml)",
        )
    for printer in settings.printers:
        yield _printer(printer)
    yield _email(settings)


def _database(settings: Settings) -> Check:
    try:
        path, version, newest = migrate_database(settings)
    except (StoreError, OSError) as exc:
        return Check("database", False, str(exc), "set [station].data_dir to a writable folder")
    return Check("database", True, f"{path} at schema version {version}/{newest}")


def _shippo(settings: Settings) -> Check:
    token = settings.shippo.api_token.get_secret_value()
    if not token:
        return Check(
            "shippo",
            False,
            "no API token",
            "set [shippo].api_token (or PACKDESK_SHIPPO__API_TOKEN)",
        )
    base = settings.shippo.endpoint.rstrip("/") or SHIPPO_DEFAULT
    try:
        answer = httpx.get(
            f"{base}/carrier_accounts",
            headers={"Authorization": f"ShippoToken {token}"},
            params={"results": 1},
            timeout=10,
        )
    except httpx.HTTPError as exc:
        return Check(
            "shippo",
            False,
            f"cannot reach {base}: {type(exc).__name__}",
            "check the network and [shippo].endpoint",
        )
    if answer.status_code in (401, 403):
        return Check("shippo", False, "the API token was refused", "check [shippo].api_token")
    if answer.status_code >= 400:
        return Check("shippo", False, f"HTTP {answer.status_code} from {base}", "try again later")
    mode = "test" if token.startswith("shippo_test_") else "live"
    return Check("shippo", True, f"reachable at {base} ({mode} token)")


def _printer(printer: PrinterSettings) -> Check:
    name = f"printer {printer.name} ({printer.kind}, {printer.role})"
    target = printer.target
    if printer.kind == "folder":
        folder = Path(target or ".").expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".packdesk-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return Check(name, False, f"cannot write to {folder}: {exc}", "set a writable target")
        return Check(name, True, f"writes files to {folder}")
    if target.startswith("tcp://"):
        parsed = urlparse(target)
        try:
            with socket.create_connection((parsed.hostname or "", parsed.port or 9100), 3):
                pass
        except OSError as exc:
            return Check(
                name,
                False,
                f"{target} does not answer ({exc.strerror or exc})",
                "switch the printer on and check its network cable and address",
            )
        return Check(name, True, f"{target} answers")
    if printer.kind == "cups" or target.startswith("cups://"):
        if not shutil.which("lp"):
            return Check(name, False, "the `lp` command is missing", "install cups-client")
        return Check(name, True, f"CUPS queue {target.removeprefix('cups://')}")
    path = Path(target)
    if target and path.exists():
        return Check(name, True, f"device {target} present")
    return Check(name, False, f"target {target!r} not found", "check [[printers]].target")


def _email(settings: Settings) -> Check:
    email = settings.email
    if email.sender == "none":
        return Check("email", True, 'customer emails are off ([email].sender = "none")')
    if email.sender == "sendgrid":
        if not email.sendgrid_api_key.get_secret_value():
            return Check("email", False, "no SendGrid API key", "set [email].sendgrid_api_key")
        return Check("email", True, "SendGrid API key set")
    try:
        with smtplib.SMTP(email.smtp_host, email.smtp_port, timeout=5) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return Check(
            "email",
            False,
            f"SMTP {email.smtp_host}:{email.smtp_port} unreachable ({exc})",
            "check [email].smtp_host and smtp_port",
        )
    return Check("email", True, f"SMTP {email.smtp_host}:{email.smtp_port} answers")
