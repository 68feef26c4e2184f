"""SendGrid's v3 mail/send and the SMTP server keep what they receive, readable via control."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

import httpx

from packdesk.sandbox.server import SandboxInfo

GOOD = {
    "personalizations": [{"to": [{"email": "ana@example.com", "name": "Ana Ruiz"}]}],
    "from": {"email": "orders@bright-minds.example", "name": "Bright Minds"},
    "subject": "Your order #1001 is on its way",
    "content": [
        {"type": "text/plain", "value": "Tracking: 9400111899223197428490"},
        {"type": "text/html", "value": "<p>Tracking: <b>9400111899223197428490</b></p>"},
    ],
    "headers": {"X-Packdesk-Order": "1001"},
}


def send(info: SandboxInfo, body: Any, key: str | None = None) -> httpx.Response:
    return httpx.post(
        f"{info.sendgrid_url}/v3/mail/send",
        json=body,
        headers={"Authorization": f"Bearer {key or info.sendgrid_api_key}"},
    )


def mail(info: SandboxInfo) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = httpx.get(f"{info.control_url}/mail").json()
    return answer


def test_sendgrid_accepts_and_keeps_a_message(sandbox: SandboxInfo) -> None:
    answer = send(sandbox, GOOD)
    assert answer.status_code == 202
    assert answer.content == b""
    assert answer.headers["x-message-id"]
    assert mail(sandbox) == [
        {
            "via": "sendgrid",
            "from": "Bright Minds <orders@bright-minds.example>",
            "to": ["Ana Ruiz <ana@example.com>"],
            "subject": "Your order #1001 is on its way",
            "text": "Tracking: 9400111899223197428490",
            "html": "<p>Tracking: <b>9400111899223197428490</b></p>",
            "headers": {"X-Packdesk-Order": "1001"},
            "attachments": [],
        }
    ]
    httpx.delete(f"{sandbox.control_url}/mail").raise_for_status()
    assert mail(sandbox) == []


def test_sendgrid_refuses_a_wrong_key(sandbox: SandboxInfo) -> None:
    answer = send(sandbox, GOOD, key="SG.wrong")
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["message"].startswith("The provided authorization grant")
    assert mail(sandbox) == []


def test_sendgrid_validation_errors_name_the_field(sandbox: SandboxInfo) -> None:
    cases = [
        ({**GOOD, "from": {"email": "not-an-address"}}, "from.email"),
        ({**GOOD, "personalizations": []}, "personalizations"),
        ({**GOOD, "personalizations": [{"to": []}]}, "personalizations.0.to"),
        ({**GOOD, "subject": ""}, "subject"),
        ({**GOOD, "content": []}, "content"),
    ]
    for body, field in cases:
        answer = send(sandbox, body)
        assert answer.status_code == 400, field
        assert answer.json()["errors"][0]["field"] == field
    assert mail(sandbox) == []


def test_smtp_keeps_a_multipart_message(sandbox: SandboxInfo) -> None:
    host, port = sandbox.smtp.rsplit(":", 1)
    message = EmailMessage()
    message["From"] = "Bright Minds <orders@bright-minds.example>"
    message["To"] = "Ana Ruiz <ana@example.com>"
    message["Subject"] = "Your order #1001 is on its way"
    message.set_content("Tracking: 1Z999AA10123456784")
    message.add_alternative("<p>Tracking: 1Z999AA10123456784</p>", subtype="html")
    with smtplib.SMTP(host, int(port), timeout=5) as smtp:
        smtp.send_message(message)
    [kept] = mail(sandbox)
    assert kept["via"] == "smtp"
    assert kept["from"] == "Bright Minds <orders@bright-minds.example>"
    assert kept["to"] == ["ana@example.com"]
    assert kept["subject"] == "Your order #1001 is on its way"
    assert kept["text"].strip() == "Tracking: 1Z999AA10123456784"
    assert kept["html"].strip() == "<p>Tracking: 1Z999AA10123456784</p>"
    assert kept["headers"]["Subject"] == "Your order #1001 is on its way"


def test_sendgrid_keeps_attached_files_but_not_inline_images(sandbox: SandboxInfo) -> None:
    body = {
        **GOOD,
        "attachments": [
            {"content": "JVBERi0=", "type": "application/pdf", "filename": "report.pdf"},
            {
                "content": "iVBORw0=",
                "type": "image/png",
                "filename": "logo.png",
                "disposition": "inline",
                "content_id": "logo@packdesk",
            },
        ],
    }
    assert send(sandbox, body).status_code == 202
    (kept,) = mail(sandbox)
    assert kept["attachments"] == [
        {"filename": "report.pdf", "type": "application/pdf", "content": "JVBERi0="}
    ]


def test_sendgrid_tells_a_key_its_scopes_and_refuses_mail_without_mail_send(
    sandbox: SandboxInfo,
) -> None:
    def scopes(key: str) -> httpx.Response:
        return httpx.get(
            f"{sandbox.sendgrid_url}/v3/scopes", headers={"Authorization": f"Bearer {key}"}
        )

    assert "mail.send" in scopes(sandbox.sendgrid_api_key).json()["scopes"]
    assert scopes("SG.wrong").status_code == 401
    made = httpx.post(
        f"{sandbox.control_url}/sendgrid/keys", json={"scopes": ["stats.read"]}
    ).json()
    assert scopes(made["api_key"]).json() == {"scopes": ["stats.read"]}
    refused = send(sandbox, GOOD, key=made["api_key"])
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "access forbidden"
    assert mail(sandbox) == []
