"""The checks behind `packdesk doctor`: each says what it found and how to fix a failure.

They probe the outside world the config names (the database folder, Shopify, Shippo, each
printer, the mail server) directly, so that a check answers even where building the adapter
itself would fail.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from packdesk.adapters.store import StoreError
from packdesk.bootstrap.checks import Check
from packdesk.bootstrap.doctor_shopify import shopify_checks
from packdesk.bootstrap.email import email_sender_problem
from packdesk.bootstrap.shippo import carrier_accounts_for, shipping_config
from packdesk.bootstrap.store import migrate_database
from packdesk.domain.shipping import CarrierRefused, CarrierUnavailable
from packdesk.services.carriers import CarrierAccountsService
from packdesk.settings import ConfigError, PrinterSettings, Settings, check_placeholders

SHIPPO_DEFAULT = "https://api.goshippo.com"


def run_checks(settings: Settings) -> Iterator[Check]:
    """Every check, in the order a person would fix things."""
    where = settings.source_path or "defaults (no config file found)"
    try:
        check_placeholders(settings)
    except ConfigError as exc:
        yield Check("config", False, str(exc), "change the value the sentence names")
    else:
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
    yield _unsubscribe(settings)


def _database(settings: Settings) -> Check:
    try:
        path, version, newest = migrate_database(settings)
    except (StoreError, OSError) as exc:
        return Check("database", False, str(exc), "set [station].data_dir to a writable folder")
    return Check("database", True, f"{path} at schema version {version}/{newest}")


def _shippo(settings: Settings) -> Check:
    mode = settings.shippo.mode
    if not mode:
        return Check(
            "shippo",
            False,
            "no API token",
            "set [shippo].api_token (or PACKDESK_SHIPPO__API_TOKEN)",
        )
    base = settings.shippo.endpoint.rstrip("/") or SHIPPO_DEFAULT
    try:
        uses = CarrierAccountsService(
            carrier_accounts_for(settings), shipping_config(settings).rules
        ).report()
    except CarrierUnavailable as exc:
        return Check("shippo", False, f"{base}: {exc}", "check the network and [shippo].endpoint")
    except CarrierRefused as exc:
        return Check("shippo", False, str(exc), "check [shippo].api_token")
    used = [use.account.name for use in uses if use.used]
    if not used:
        return Check(
            "shippo",
            False,
            f"{mode} token, but no carrier account packdesk may buy from",
            "connect or switch on a carrier in Shippo, or widen [shipping].allowed_carriers "
            "(`packdesk carriers` shows why each is left out)",
        )
    return Check("shippo", True, f"{mode} token at {base}; buys from {', '.join(used)}")


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
    problem = email_sender_problem(settings)
    if problem:
        return Check("email", False, problem, "fix the setting the sentence names (docs/email.md)")
    if email.sender == "sendgrid":
        return Check("email", True, "SendGrid accepts the API key, which may send mail")
    login = f", logged in as {email.smtp_username}" if email.smtp_username else ""
    return Check(
        "email",
        True,
        f"SMTP {email.smtp_host}:{email.smtp_port} answers ({email.smtp_security}{login})",
    )


def _unsubscribe(settings: Settings) -> Check:
    """Marketing e-mails go out only with a one-click unsubscribe link the receiver serves."""
    email = settings.email
    marketing = email.kinds.usage_guide or email.kinds.review_request
    if email.sender == "none" or not marketing:
        return Check("unsubscribe", True, "no marketing e-mails are sent")
    missing = [
        name
        for name, unset in (
            ("[webhooks].public_url", not settings.webhooks.public_url),
            ("[email].unsubscribe_secret", not email.unsubscribe_secret.get_secret_value()),
            ("[webhooks].enabled = true", not settings.webhooks.enabled),
        )
        if unset
    ]
    if missing:
        return Check(
            "unsubscribe",
            False,
            "marketing e-mails wait: they need a one-click unsubscribe link, served by the "
            "webhook receiver",
            f"set {', '.join(missing)} (docs/email.md, docs/running.md)",
        )
    return Check("unsubscribe", True, f"links point to {settings.webhooks.public_url}/unsubscribe")
