"""`packdesk setup` as a shop owner meets it, typed through click's input against the sandbox:
each answer checked live, tokens never shown, one commented config written mode 0600."""

from __future__ import annotations

import json
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from packdesk.cli import main
from packdesk.cli.setup_steps import normalise_shop
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import check_placeholders, load_settings


class Zebra:
    """A raw TCP printer on loopback that keeps what each connection sent."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.socket.getsockname()[1])
        self.jobs: list[bytes] = []
        self._arrived = threading.Condition()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            chunks = []
            with conn:
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
            data = b"".join(chunks)
            with self._arrived:
                self.jobs.append(data)
                self._arrived.notify_all()

    def job(self, timeout: float = 5.0) -> bytes:
        with self._arrived:
            self._arrived.wait_for(lambda: self.jobs, timeout)
        return self.jobs[0]


@pytest.fixture
def zebra() -> Iterator[Zebra]:
    printer = Zebra()
    yield printer
    printer.socket.close()


@pytest.fixture(autouse=True)
def no_cups(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No CUPS server: setup lists no queues, whatever this machine runs."""
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))


def lines(*answers: str) -> str:
    return "\n".join(answers) + "\n"


def setup(config: Path, sandbox: SandboxInfo, answers: str) -> Result:
    return CliRunner().invoke(
        main,
        [
            "setup",
            "--config",
            str(config),
            "--shopify-endpoint",
            sandbox.shopify_endpoint,
            "--shippo-endpoint",
            sandbox.shippo_url,
        ],
        input=answers,
    )


def limited_token(sandbox: SandboxInfo, *scopes: str) -> str:
    made = httpx.post(
        f"{sandbox.control_url}/shopify/tokens", json={"scopes": list(scopes)}, timeout=10
    )
    assert made.status_code == 201, made.text
    return str(made.json()["access_token"])


def ca_location_id(sandbox: SandboxInfo) -> str:
    answer = httpx.post(
        sandbox.shopify_url,
        json={"query": "{ locations(first: 5) { nodes { id name } } }"},
        headers={"X-Shopify-Access-Token": sandbox.shopify_token},
        timeout=10,
    ).json()
    nodes = answer["data"]["locations"]["nodes"]
    return str(next(n["id"] for n in nodes if n["name"].startswith("CA")))


def test_setup_writes_a_checked_commented_private_config(
    sandbox: SandboxInfo, zebra: Zebra, tmp_path: Path
) -> None:
    config = tmp_path / "packdesk" / "config.toml"
    slips = tmp_path / "slips"
    result = setup(
        config,
        sandbox,
        lines(
            "https://admin.shopify.com/store/bright-minds-learning",  # the admin's address
            sandbox.shopify_token,
            sandbox.webhook_secret,
            "1",  # CA Warehouse
            "",  # station name: the default, CA-1
            sandbox.shippo_token,
            "1",  # the label printer: a Zebra on the network
            f"127.0.0.1:{zebra.port}",
            "y",  # it printed
            "1",  # the slip printer: a folder
            str(slips),
        ),
    )
    assert result.exit_code == 0, result.output
    for secret in (sandbox.shopify_token, sandbox.webhook_secret, sandbox.shippo_token):
        assert secret not in result.output
    assert "Connected to 'BrightMinds Learning': slips and e-mails carry that name" in (
        result.output
    )
    assert "The token has every access scope packdesk needs." in result.output
    assert "TEST token: labels are free and ship nothing" in result.output
    assert "Carriers packdesk will buy from: USPS, UPS, FedEx." in result.output
    assert f"Sent a test label to tcp://127.0.0.1:{zebra.port}." in result.output
    assert zebra.job().startswith(b"^XA")
    assert b"packdesk test label" in zebra.job()
    assert (slips / "test-page.pdf").read_bytes().startswith(b"%PDF")

    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    text = config.read_text()
    assert "# The app's client secret: it signs the deliveries of the app's subscriptions" in text
    assert f"# Its id in Shopify is {ca_location_id(sandbox)}; either may be written." in text
    settings = load_settings(config, require_tokens=True)
    check_placeholders(settings)
    assert settings.shopify.shop == "bright-minds-learning.myshopify.com"
    assert settings.shopify.access_token.get_secret_value() == sandbox.shopify_token
    assert settings.shopify.webhook_secret.get_secret_value() == sandbox.webhook_secret
    assert settings.station.location == "CA Warehouse"
    assert settings.station.name == "CA-1"
    assert settings.brand.shop_name == ""  # slips and e-mails take the name Shopify gives
    assert settings.shippo.mode == "TEST"
    assert len(settings.email.unsubscribe_secret.get_secret_value()) >= 32
    assert [(p.name, p.kind, p.role, p.target) for p in settings.printers] == [
        ("labels", "zpl", "label", f"tcp://127.0.0.1:{zebra.port}"),
        ("slips", "folder", "slip", str(slips)),
    ]
    checked = CliRunner().invoke(main, ["config", "check", "--config", str(config)])
    assert checked.output == f"Config OK: {config} (Shippo TEST)\n"
    shown = json.loads(CliRunner().invoke(main, ["config", "show", "--config", str(config)]).output)
    assert shown["shippo"] == {**shown["shippo"], "api_token": "********", "mode": "TEST"}
    assert shown["email"]["unsubscribe_secret"] == "********"


def test_a_token_without_the_fulfillment_order_scopes_is_named_and_replaced(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    weak = limited_token(
        sandbox, "read_orders", "read_all_orders", "read_products", "write_inventory",
        "read_locations", "read_customers",
    )  # fmt: skip
    result = setup(
        tmp_path / "config.toml",
        sandbox,
        lines(
            "bright-minds-learning.myshopify.com",
            weak,
            "n",  # do not keep it
            "bright-minds-learning.myshopify.com",
            sandbox.shopify_token,
            "",  # no client secret
            "2",  # PA Warehouse
            "PA-1",
            sandbox.shippo_token,
            "2",  # labels: a folder
            str(tmp_path / "print"),
            "1",  # slips: a folder
            str(tmp_path / "print"),
        ),
    )
    assert result.exit_code == 0, result.output
    assert weak not in result.output
    said = result.output.splitlines()
    start = said.index("The token lacks access scopes packdesk needs:")
    assert said[start + 1 : start + 3] == [
        "  read_merchant_managed_fulfillment_orders: without it Shopify silently leaves the "
        "shop's fulfillment orders out of every answer, so no order is ever packable at any "
        "location.",
        "  write_merchant_managed_fulfillment_orders: without it Shopify refuses the "
        "fulfillments with tracking packdesk creates after each label, and orders cannot be "
        "moved to the warehouse that ships them.",
    ]
    assert said[start + 3].startswith("Add them to the app's Admin API access scopes")
    settings = load_settings(tmp_path / "config.toml")
    assert settings.shopify.access_token.get_secret_value() == sandbox.shopify_token
    assert settings.station.name == "PA-1"


def test_refused_tokens_and_a_silent_printer_are_asked_again(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        dead = taken.getsockname()[1]  # closed again below: nothing listens there
    result = setup(
        tmp_path / "config.toml",
        sandbox,
        lines(
            "example",  # the placeholder: refused at once
            "bright-minds-learning",
            "shpat_wrong",
            "bright-minds-learning",
            "shpat_xxxxxxxxxxxxxxxx",  # a guide's placeholder: refused before asking Shopify
            "bright-minds-learning",
            sandbox.shopify_token,
            "",
            "1",
            "",
            "sk_not_shippo",
            "shippo_test_xxx",
            "shippo_live_wrong",
            sandbox.shippo_token,
            "1",
            f"127.0.0.1:{dead}",  # no printer there
            "2",  # then a folder
            str(tmp_path / "print"),
            "1",
            str(tmp_path / "print"),
        ),
    )
    assert result.exit_code == 0, result.output
    output = result.output
    assert "example.myshopify.com is a placeholder from config.example.toml or a guide" in output
    assert "Shopify refused this token: copy the Admin API access token again" in output
    assert "A Shippo API token starts with shippo_test_ or shippo_live_" in output
    assert output.count("That is a placeholder, not a token: copy") == 2
    assert "Shippo refused this token: copy it again" in output
    assert f"Printer labels at tcp://127.0.0.1:{dead} does not answer" in output
    for secret in ("shpat_wrong", "sk_not_shippo", "shippo_live_wrong"):
        assert secret not in output
    assert [p.kind for p in load_settings(tmp_path / "config.toml").printers] == [
        "folder",
        "folder",
    ]


def test_an_existing_config_is_kept_unless_the_owner_says_replace(
    sandbox: SandboxInfo, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[station]\nname = "PA-2"\n')
    result = setup(config, sandbox, lines("n"))
    assert result.exit_code == 1
    assert f"Nothing written; {config} is unchanged." in result.output
    assert config.read_text() == '[station]\nname = "PA-2"\n'


@pytest.mark.parametrize(
    "typed",
    [
        "bright-minds",
        "Bright-Minds.myshopify.com",
        "https://bright-minds.myshopify.com/admin/orders",
        "admin.shopify.com/store/bright-minds/settings",
    ],
)
def test_the_shop_may_be_typed_as_the_owner_knows_it(typed: str) -> None:
    assert normalise_shop(typed) == "bright-minds.myshopify.com"
