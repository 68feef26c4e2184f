"""The layers of DESIGN.md hold: the core never loads a UI, network or database library, only
bootstrap builds adapters, the CLI drives bootstrap and services only, and import-linter
really fails when someone breaks a contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

CORE_PROBE = """
import importlib, pkgutil, sys
import packdesk.domain, packdesk.services
for package in (packdesk.domain, packdesk.services):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
heavy = {"textual", "httpx", "shippo", "sqlite_utils", "sqlite3", "escpos", "reportlab"}
print(",".join(sorted(heavy & {name.split(".")[0] for name in sys.modules})))
"""


def test_domain_and_services_import_no_io_or_ui_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CORE_PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    if not LINT_IMPORTS.exists():
        pytest.skip("lint-imports is not installed in this environment (pip install -e '.[test]')")
    shutil.copytree(REPO / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_contracts_are_kept(tree_copy: Path) -> None:
    result = _lint(tree_copy)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "broken" in result.stdout
    assert " 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden", "contract"),
    [
        ("domain/states.py", "import textual", "Domain and services stay free"),
        ("services/station.py", "import sqlite_utils", "Domain and services stay free"),
        ("tui/__init__.py", "import packdesk.adapters.store", "The TUI talks to services"),
        ("domain/models.py", "import packdesk.services.station", "Layers point inward"),
        ("services/station.py", "import packdesk.adapters.store", "Only bootstrap builds adapters"),
        ("cli/config.py", "import packdesk.adapters.store", "Only bootstrap builds adapters"),
        ("cli/config.py", "import packdesk.adapters.shippo", "The CLI drives bootstrap"),
        ("cli/orders.py", "import packdesk.tui.app", "The CLI drives bootstrap"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tree_copy: Path, module: str, forbidden: str, contract: str
) -> None:
    target = tree_copy / "src" / "packdesk" / module
    target.write_text(target.read_text() + f"\n{forbidden}  # deliberately breaks a layer\n")
    result = _lint(tree_copy)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout
    broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout[-2000:]
