"""A station synced from a sandbox of its own, and `packdesk` commands run as OS processes
against it: what the races between processes are tried on.

The sandbox runs in the test process; every `packdesk ship` is a real process with its own
SQLite connections and its own HTTP client, on the station's one database file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from packdesk.adapters.store import SqliteStore
from packdesk.bootstrap import Container
from packdesk.domain.models import LabelPurchase, Order
from packdesk.sandbox.server import SandboxServer
from packdesk.settings import load_settings

SMALL = [{"sku": "BM-HND-01", "quantity": 2}]  # two handwriting books: one small box
WAIT_S = 120.0
"""Longest wait for a command or a condition before the test gives up on it."""


@dataclass(frozen=True)
class Finished:
    """A `packdesk` process that ended: what a person at the terminal saw."""

    pid: int
    code: int
    out: str
    err: str

    @property
    def said(self) -> str:
        return self.out + self.err


@dataclass
class Rig:
    server: SandboxServer
    config: Path
    control: httpx.Client
    data_dir: Path
    shippo: dict[str, Any] = field(default_factory=dict)

    # --- orders ------------------------------------------------------------------------

    def new_orders(self, count: int) -> list[str]:
        """`count` new CA orders, created in the sandbox's Shopify and synced to the station."""
        names = [
            str(
                self.control.post(
                    "/shopify/orders", json={"location": "CA", "items": SMALL}
                ).json()["name"]
            )
            for _ in range(count)
        ]
        with Container(load_settings(self.config)) as container:
            assert container.sync.run("orders").ok
        return names

    # --- commands ----------------------------------------------------------------------

    def start(self, *args: str) -> subprocess.Popen[str]:
        """`packdesk --config CONFIG ARGS...` started as its own process."""
        return subprocess.Popen(
            [sys.executable, "-m", "packdesk", "--config", str(self.config), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    @staticmethod
    def finish(process: subprocess.Popen[str]) -> Finished:
        out, err = process.communicate(timeout=WAIT_S)
        return Finished(process.pid, process.returncode, out, err)

    def run(self, *args: str) -> Finished:
        return self.finish(self.start(*args))

    # --- what the sandbox and the station hold ------------------------------------------

    def faults(self, faults: dict[str, dict[str, float]]) -> None:
        self.control.delete("/faults")
        if faults:
            self.control.put("/faults", json=faults).raise_for_status()

    def sold(self, names: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Every transaction Shippo holds for each order (by name), oldest first."""
        numbers = {self.number(name): name for name in names}
        found: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
        for t in self.control.get("/shippo/transactions").json():
            parts = str(t.get("metadata", "")).split(":")
            if len(parts) > 1 and parts[1] in numbers:
                found[numbers[parts[1]]].append(t)
        for transactions in found.values():
            transactions.sort(key=lambda t: str(t["object_created"]))
        return found

    def number(self, name: str) -> str:
        """The shop's order id in purchase keys, from the order's name."""
        order = self.order(name)
        return order.id.rsplit("/", 1)[-1]

    def order(self, name: str) -> Order:
        with self.store() as store:
            order = store.orders.by_name(name)
        assert order is not None, name
        return order

    def purchases(self, name: str) -> list[LabelPurchase]:
        order = self.order(name)
        with self.store() as store:
            return store.labels.for_order(order.id)

    def store(self) -> _OpenStore:
        return _OpenStore(self.data_dir / "packdesk.db")


class _OpenStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened: SqliteStore | None = None

    def __enter__(self) -> SqliteStore:
        self.opened = SqliteStore.open(self.path)
        return self.opened

    def __exit__(self, *exc: object) -> None:
        if self.opened is not None:
            self.opened.close()


def make_rig(tmp: Path, *, seed: int, shippo: dict[str, Any] | None = None) -> Iterator[Rig]:
    """Start a sandbox, write a station's config for it (with `shippo` keys changed), sync
    the station once; yield the rig, stop the sandbox."""
    with SandboxServer(seed=seed, orders=4) as server:
        info = server.info
        assert info is not None
        config = tmp / "config.toml"
        data_dir = tmp / "data"
        server.write_config(config, data_dir)
        if shippo:
            extra = "".join(f"{key} = {value!r}\n" for key, value in shippo.items())
            text = config.read_text("utf-8").replace("[shippo]\n", f"[shippo]\n{extra}", 1)
            config.write_text(text, "utf-8")
        with Container(load_settings(config)) as container:
            for resource in ("locations", "variants", "orders"):
                assert container.sync.run(resource).ok
        with httpx.Client(base_url=info.control_url, timeout=30) as control:
            yield Rig(server, config, control, data_dir, dict(shippo or {}))


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Wait until `condition()` holds (checked every 50 ms), failing after `WAIT_S`."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
