"""`packdesk setup` finds the CUPS queues of this machine (a private CUPS server here) and
prints its test page through the queue the owner picks for slips."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from packdesk.cli import main
from packdesk.sandbox.server import SandboxInfo
from packdesk.settings import load_settings

from .cups_peer import PrivateCups

pytestmark = pytest.mark.timeout(120)


def test_setup_offers_the_cups_queues_found_and_prints_through_the_one_chosen(
    private_cups: PrivateCups, sandbox: SandboxInfo, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    private_cups.expect_slip()
    answers = [
        "bright-minds-learning",
        sandbox.shopify_token,
        "",
        "1",
        "",
        sandbox.shippo_token,
        "3",  # labels: a folder (after the Zebra and the one queue)
        str(tmp_path / "labels"),
        "1",  # slips: the CUPS queue `slips`
        "y",  # it printed
    ]
    result = CliRunner().invoke(
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
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "CUPS queues on this machine: slips." in result.output
    assert "  1) CUPS queue slips (" in result.output
    assert "Sent a test page to cups://slips." in result.output
    assert b"%PDF" in private_cups.printed_slip()  # the PDF, wrapped in the queue's PJL
    slips = load_settings(config).printer_for("slip")
    assert slips is not None
    assert (slips.kind, slips.target, slips.options) == ("cups", "cups://slips", {"page": "letter"})
