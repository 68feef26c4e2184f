"""Prometheus metrics served on [metrics].listen: during a pack a scrape shows the scans, the
label purchase histogram and scan-to-label move, and the gauges read the database."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from packdesk.bootstrap import Container

from .station import Station, start_station

METRICS = """
[metrics]
listen = "127.0.0.1:0"
"""


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    synced = start_station(tmp_path_factory.mktemp("station"), orders=60)
    yield synced
    synced.server.stop()


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, by name and labels."""
    text = httpx.get(url, timeout=10).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_pack_moves_the_scan_and_label_metrics(station: Station, tmp_path: Path) -> None:
    config = station.copy(tmp_path, METRICS)
    simple = httpx.get(f"{station.control()}/shopify/demo", timeout=10).json()["simple"]
    with Container(station.settings(config)) as container:
        url = container.analytics.serve_metrics()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/metrics")
        before = scrape(url)
        assert value(before, "packdesk_label_purchase_duration_seconds_count") == 0
        assert value(before, "packdesk_queue_orders", state="NEW") > 0
        session = container.packing.open(simple)
        session.scan("NO-SUCH-CODE")
        session.acknowledge()  # Esc: the packer saw the refusal
        scans = 1
        for line in session.lines:
            for _ in range(line.expected):
                session.scan(line.barcode or line.sku)
                scans += 1
        outcome = session.finish()
        assert outcome.label_error == ""
        after = scrape(url)
    assert value(after, "packdesk_label_purchase_duration_seconds_count") == 1
    assert value(after, "packdesk_label_purchase_duration_seconds_sum") > 0
    assert value(after, "packdesk_label_purchases_total", result="bought") == 1
    assert value(after, "packdesk_scan_to_label_seconds_count") == 1
    assert value(after, "packdesk_scans_total") == scans
    assert value(after, "packdesk_wrong_scans_total", reason="unknown_code") == 1
    assert value(after, "packdesk_printer_up", printer="labels") == 1
    assert value(after, "packdesk_sync_last_success_timestamp_seconds", resource="orders") > 0


def test_the_metrics_follow_prometheus_conventions(station: Station, tmp_path: Path) -> None:
    if shutil.which("promtool") is None:
        pytest.skip("promtool is not installed (Debian's prometheus package; .ci/run installs it)")
    config = station.copy(tmp_path, METRICS)
    with Container(station.settings(config)) as container:
        url = container.analytics.serve_metrics()
        body = httpx.get(url, timeout=10).text
    checked = subprocess.run(
        ["promtool", "check", "metrics"], input=body, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "packdesk_outbox_items" in body


def test_a_taken_port_is_one_sentence(station: Station, tmp_path: Path) -> None:
    config = station.copy(tmp_path, METRICS)
    with Container(station.settings(config)) as first:
        url = first.analytics.serve_metrics()
        port = url.rsplit(":", 1)[1].split("/")[0]
        taken = station.copy(tmp_path / "second", f'\n[metrics]\nlisten = "127.0.0.1:{port}"\n')
        with Container(station.settings(taken)) as second, pytest.raises(OSError) as error:
            second.analytics.serve_metrics()
    assert f"Cannot serve metrics on 127.0.0.1:{port}" in str(error.value)
    assert "change [metrics].listen" in str(error.value)
