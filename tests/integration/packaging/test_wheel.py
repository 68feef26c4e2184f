"""The wheel `pipx install` takes: it carries every file packdesk reads at run time (assets,
.graphql operations, .sql migrations, .tcss), and packdesk runs from it in a fresh virtual
environment. (.ci/run also installs it with its dependencies from the index and runs
`packdesk version`.)"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "src" / "packdesk"

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    [built] = out.glob("packdesk-*.whl")
    return built


def test_the_wheel_carries_every_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    files = [
        p.relative_to(PACKAGE.parent).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    missing = [f for f in files if f not in names]
    assert not missing
    kinds = {Path(f).suffix for f in files}
    assert {".sql", ".graphql", ".html", ".md", ".png", ".tcss", ".txt"} <= kinds
    entry_points = zipfile.ZipFile(wheel).read("packdesk-0.1.0.dist-info/entry_points.txt")
    assert b"packdesk = packdesk.cli:main" in entry_points


def test_packdesk_runs_from_the_wheel_in_a_fresh_environment(wheel: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(fresh)], check=True, timeout=120)
    python = fresh / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # The dependencies come from this test run's environment, after the fresh one's own
    # site-packages, so `packdesk` itself can only be the wheel's.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": ""}
    version = subprocess.run(
        [str(fresh / "bin" / "packdesk"), "version"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert version.returncode == 0, version.stderr
    newest = max(int(p.name[:4]) for p in (PACKAGE / "adapters/store/migrations").glob("*.sql"))
    assert version.stdout == f"packdesk 0.1.0, database schema version {newest}\n"
    reads = subprocess.run(
        [
            str(python),
            "-c",
            "import packdesk; print(packdesk.__file__)\n"
            "from packdesk.adapters.shopify.client import load_operation\n"
            "from packdesk.adapters.email.templates import TemplateRenderer\n"
            "assert 'fragment OrderFields' in load_operation('Orders')\n"
            "assert TemplateRenderer().guide('BM-ABC-01') is not None\n",
        ],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert reads.returncode == 0, reads.stderr
    assert reads.stdout.strip().startswith(site)  # the wheel's copy, not src/
