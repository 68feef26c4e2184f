"""The alert rules and the Grafana dashboard packdesk ships: promtool checks and unit-tests
the rules, and every metric they name is one packdesk exports (and docs/monitoring.md
describes)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from packdesk.adapters.metrics import StationMetrics
from packdesk.domain.events import ItemScanned, OrderStateChanged
from packdesk.domain.monitoring import PrinterGauge, StationGauges, SyncGauge
from packdesk.domain.states import StationState

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "src" / "packdesk" / "assets" / "monitoring"
RULES = ASSETS / "packdesk.rules.yml"
DASHBOARD = ASSETS / "grafana-dashboard.json"
RULE_TESTS = Path(__file__).resolve().parent / "packdesk.rules.test.yml"
NAME = re.compile(r"\bpackdesk_[a-z0-9_]+")
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("promtool") is None:
        pytest.skip("promtool is not installed (Debian's prometheus package; .ci/run installs it)")
    return subprocess.run(["promtool", *args], capture_output=True, text=True, check=False)


def exported() -> set[str]:
    """Every sample name packdesk's exporter writes, each labelled counter and histogram
    made to appear once."""
    reading = StationGauges(
        read_at=T0,
        queue={"NEW": 3},
        printers={"zebra": PrinterGauge(queued=1, failed=0, up=False)},
        outbox_pending=1,
        sync={"orders": SyncGauge(T0 - timedelta(minutes=1))},
        a_class_out={"CA": 0},
    )
    metrics = StationMetrics(
        lambda: reading, printers=["zebra"], throttle=lambda: (900.0, 2000.0), info={"v": "1"}
    )
    metrics.label_purchase("bought", 1.5)
    metrics.observe(ItemScanned(at=T0, order_id="o", outcome="wrong_item"))
    for state, before in (
        (StationState.PACKED, StationState.PACKING),
        (StationState.LABELED, None),
    ):
        metrics.observe(
            OrderStateChanged(
                at=T0, order_id="o", order_name="#1", from_state=before, to_state=state
            )
        )
    text = generate_latest(metrics.registry).decode()
    return {s.name for f in text_string_to_metric_families(text) for s in f.samples}


def panel_expressions() -> list[str]:
    """The PromQL of every panel."""
    board: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in board["panels"] for t in p.get("targets", [])]


def dashboard_expressions() -> list[str]:
    """The panels' PromQL and the variables' Grafana queries (`label_values(...)`)."""
    board: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return panel_expressions() + [v["query"]["query"] for v in board["templating"]["list"]]


def rule_expressions() -> list[str]:
    rules: dict[str, Any] = yaml.safe_load(RULES.read_text())
    return [r["expr"] for g in rules["groups"] for r in g["rules"]]


def test_promtool_checks_and_unit_tests_the_rules() -> None:
    checked = promtool("check", "rules", str(RULES))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = promtool("test", "rules", str(RULE_TESTS))
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout


def test_every_alert_says_what_is_wrong_and_what_to_do() -> None:
    rules: dict[str, Any] = yaml.safe_load(RULES.read_text())
    alerts = [r for g in rules["groups"] for r in g["rules"]]
    assert {a["alert"] for a in alerts} == {
        "PackdeskLabelPurchasesFailing",
        "PackdeskOutboxStuck",
        "PackdeskSyncStale",
        "PackdeskPrinterDown",
        "PackdeskAClassStockout",
    }
    tested = RULE_TESTS.read_text()
    for alert in alerts:
        assert alert["labels"]["severity"] in ("page", "ticket"), alert["alert"]
        assert alert["annotations"]["summary"], alert["alert"]
        assert len(alert["annotations"]["description"]) > 80, alert["alert"]
        assert f"alertname: {alert['alert']}" in tested, f"{alert['alert']} has no promtool test"


def test_every_metric_the_rules_and_the_dashboard_name_is_exported() -> None:
    names = exported()
    for expression in rule_expressions() + dashboard_expressions():
        for name in NAME.findall(expression):
            assert name in names, f"{name} (in {expression!r}) is not a metric packdesk exports"
    board_names = {n for e in dashboard_expressions() for n in NAME.findall(e)}
    families = {n.removesuffix("_total").removesuffix("_bucket") for n in names}
    shown = {n.removesuffix("_total").removesuffix("_bucket") for n in board_names}
    missing = {f for f in families if not f.endswith(("_sum", "_count", "_created"))} - shown
    assert not missing, f"the dashboard shows none of {sorted(missing)}"


def test_the_dashboards_expressions_are_valid_promql(tmp_path: Path) -> None:
    recording = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:panel{n}", "expr": e.replace("$instance", ".*")}
                    for n, e in enumerate(panel_expressions())
                ],
            }
        ]
    }
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump(recording))
    checked = promtool("check", "rules", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_exported_metric_is_documented() -> None:
    documented = (ROOT / "docs" / "monitoring.md").read_text()
    for name in exported():
        family = re.sub(r"_(total|bucket|sum|count|created)$", "", name)
        assert f"`{family}" in documented, f"{family} is not in docs/monitoring.md"
