"""`packdesk doctor` checks the e-mail credentials without sending anything: SMTP greets,
secures and logs in, then quits before MAIL (real aiosmtpd servers); SendGrid lists the API
key's scopes (the sandbox's `GET /v3/scopes`)."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from packdesk.adapters.email.smtp import SmtpSender
from packdesk.cli import main
from packdesk.sandbox.server import SandboxInfo, SandboxServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, auth: Any
) -> AuthResult:
    ok = isinstance(auth, LoginPassword) and (auth.login, auth.password) == (b"shop", b"s3cret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl binary to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Mailbox, int, Path]]:
    """A mail server that offers AUTH only after STARTTLS, as most providers do."""
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    box, port = Mailbox(), free_port()
    controller = Controller(
        box, hostname="127.0.0.1", port=port, tls_context=server_tls,
        require_starttls=True, authenticator=authenticator, auth_require_tls=True,
    )  # fmt: skip
    controller.start()
    yield box, port, cert
    controller.stop()


def test_smtp_check_logs_in_and_sends_nothing(
    starttls_server: tuple[Mailbox, int, Path],
) -> None:
    box, port, cert = starttls_server
    trusted = ssl.create_default_context(cafile=str(cert))

    def check(**options: Any) -> str:
        return SmtpSender(
            "127.0.0.1", port, username="shop", ssl_context=trusted, **options
        ).check()

    assert check(security="starttls", password="s3cret") == ""
    refused = check(security="starttls", password="wrong")
    assert refused.startswith(f"the mail server 127.0.0.1:{port} refused the login (535 ")
    assert refused.endswith("check [email].smtp_username and smtp_password")
    assert check(security="none", password="s3cret") == (
        f"the mail server 127.0.0.1:{port} offers no login on this connection: check "
        "[email].smtp_security (most servers offer AUTH only after STARTTLS)"
    )
    assert box.messages == []  # no MAIL, no DATA: nothing was sent


def test_smtp_check_names_an_untrusted_certificate_and_an_absent_server(
    starttls_server: tuple[Mailbox, int, Path],
) -> None:
    _box, port, _cert = starttls_server
    untrusted = SmtpSender("127.0.0.1", port, security="starttls").check()
    assert untrusted.startswith(f"TLS with the mail server 127.0.0.1:{port} failed (")
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted
    gone = free_port()
    absent = SmtpSender("127.0.0.1", gone, security="none", timeout_s=5).check()
    assert absent.startswith(f"cannot reach the mail server 127.0.0.1:{gone} (")
    assert absent.endswith("check [email].smtp_host and smtp_port")


@pytest.fixture
def config(sandbox_server: SandboxServer, sandbox: SandboxInfo, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    sandbox_server.write_config(path, tmp_path / "data")
    return path


def email_line(config: Path) -> str:
    result = CliRunner().invoke(main, ["doctor", "--config", str(config)])
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "] email:" in line)
    fix = lines[at + 1].strip() if lines[at].startswith("[FAIL]") else ""
    return f"{lines[at]} | {fix}" if fix else lines[at]


def test_doctor_checks_the_sandbox_smtp_and_each_sendgrid_key(
    config: Path, sandbox: SandboxInfo
) -> None:
    host, port = sandbox.smtp.rsplit(":", 1)
    assert email_line(config) == f"[ok  ] email: SMTP {host}:{port} answers (none)"

    sendgrid = config.read_text().replace('sender = "smtp"', 'sender = "sendgrid"')
    config.write_text(sendgrid)
    assert email_line(config) == ("[ok  ] email: SendGrid accepts the API key, which may send mail")
    restricted = httpx.post(
        f"{sandbox.control_url}/sendgrid/keys", json={"scopes": ["stats.read"]}, timeout=10
    ).json()["api_key"]
    config.write_text(sendgrid.replace(sandbox.sendgrid_api_key, restricted))
    assert email_line(config) == (
        "[FAIL] email: the SendGrid API key may not send mail: give it the Mail Send "
        "permission (SendGrid → Settings → API Keys → Edit → Mail Send: Full Access) | "
        "fix: fix the setting the sentence names (docs/email.md)"
    )
    config.write_text(sendgrid.replace(sandbox.sendgrid_api_key, "SG.wrong"))
    assert email_line(config).startswith(
        "[FAIL] email: SendGrid refused the API key (401): check [email].sendgrid_api_key"
    )
    mail = httpx.get(f"{sandbox.control_url}/mail", timeout=10).json()
    assert mail == []  # every check above sent nothing
