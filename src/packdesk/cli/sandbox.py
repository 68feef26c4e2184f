"""`packdesk sandbox`: run the local Shopify, Shippo and email servers until interrupted.

Prints one JSON line (SandboxInfo: URLs and test tokens) on stdout so scripts and tests
can read where everything listens; Ctrl-C or SIGTERM stops it cleanly.
"""

from __future__ import annotations

import signal
import socket
import threading
from pathlib import Path
from types import FrameType

import click

from packdesk.bootstrap.sandbox import SHOPIFY_PLANS, FaultSpecError, SandboxServer, parse_spec
from packdesk.cli.common import fail


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, show_default=True, help="HTTP port; 0 picks a free one.")
@click.option("--smtp-port", default=0, show_default=True, help="SMTP port; 0 picks a free one.")
@click.option("--seed", default=7, show_default=True, help="Seed of the demo data and fault dice.")
@click.option("--orders", default=300, show_default=True, help="Number of demo orders.")
@click.option(
    "--plan",
    type=click.Choice(sorted(SHOPIFY_PLANS)),
    default="standard",
    show_default=True,
    help="Shopify plan whose GraphQL rate limit applies (standard: 2,000 points, 100 a second).",
)
@click.option(
    "--faults",
    default="",
    help='Faults per endpoint, e.g. "shippo.transactions:commit_then_drop_rate=0.3;shopify:error_rate=0.1".',
)
@click.option(
    "--write-config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a packdesk config pointing at the sandbox to this file.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="data_dir for the written config (default: packdesk-data beside the config).",
)
def sandbox_command(
    host: str,
    port: int,
    smtp_port: int,
    seed: int,
    orders: int,
    plan: str,
    faults: str,
    config_path: Path | None,
    data_dir: Path | None,
) -> None:
    """Run the sandbox servers; print their URLs and tokens as one JSON line."""
    try:
        parse_spec(faults)
    except FaultSpecError as exc:
        fail(f"--faults: {exc}.")
    for wanted, what in ((port, f"{host}:{port}"), (smtp_port, f"the SMTP port {smtp_port}")):
        refused = _taken(host, wanted) if wanted else None
        if refused is not None:
            fail(
                f"The sandbox cannot listen on {what} ({refused}); "
                "choose another --port (or --smtp-port)."
            )
    bucket, rate = SHOPIFY_PLANS[plan]
    server = SandboxServer(
        host=host,
        port=port,
        smtp_port=smtp_port,
        seed=seed,
        orders=orders,
        faults=faults,
        bucket_size=bucket,
        restore_rate=rate,
    )
    try:
        info = server.start()
    except OSError as exc:
        fail(
            f"The sandbox cannot listen on {host}:{port} ({exc}); "
            "choose another --port (or --smtp-port)."
        )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if config_path is not None:
            config_path = config_path.expanduser().resolve()
            server.write_config(
                config_path, (data_dir or config_path.parent / "packdesk-data").resolve()
            )
        click.echo(info.as_json())
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


COMMANDS = [sandbox_command]


def _taken(host: str, port: int) -> OSError | None:
    """Why `port` cannot be listened on, checked before the demo data is built (seconds)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host, port))
    except OSError as exc:
        return exc
    finally:
        probe.close()
    return None
