"""A bad config file is refused with one sentence naming the file, the place and the fix.

These run the real `packdesk` entry point in a subprocess, as an owner would from a shell,
and check the exit status 2 and that no traceback reaches the terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """
[station]
name = "CA-1"
location = "CA"
data_dir = "{data_dir}"

[shopify]
shop = "bright-minds.myshopify.com"
access_token = "shpat-test-token-value"

[shippo]
api_token = "shippo_test_0000"
"""


def run_packdesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PACKDESK_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "packdesk", *args],
        capture_output=True, text=True, env=full_env, timeout=60, check=False,
    )  # fmt: skip


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text.replace("{data_dir}", str(tmp_path / "data")))
    return path


def assert_one_sentence(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr + result.stdout
    assert len(message.splitlines()) == 1, message
    for needle in needles:
        assert needle in message, message
    return message


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + '\n[printers\nname = "zebra"\n')
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, f"{path} line 14:", "not valid", "Fix that line")


def test_unknown_key_names_the_key_and_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('access_token = "', 'acess_token = "x"\naccess_token = "'))
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, f"{path} line 9:", "unknown key [shopify].acess_token",
                        "spelling")  # fmt: skip


def test_wrong_type_names_the_key_and_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + '\n[sync]\norders_every_s = "often"\n')
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, "line 15:", "[sync].orders_every_s", "'often'", "Fix the value")


def test_wrong_printer_kind_names_the_entry(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + '\n[[printers]]\nname = "z"\nkind = "laser"\nrole = "label"\n')
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, "[[printers]] entry 1 key kind", "'laser'")


def test_missing_token_outside_demo_mode(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('api_token = "shippo_test_0000"', 'api_token = ""'))
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, str(path), "[shippo].api_token is empty",
                        "PACKDESK_SHIPPO__API_TOKEN", "packdesk demo")  # fmt: skip


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (
            ('shop = "bright-minds.myshopify.com"', 'shop = "example.myshopify.com"'),
            ("[shopify].shop is still example.myshopify.com", "myshopify.com domain"),
        ),
        (
            ('access_token = "shpat-test-token-value"', 'access_token = "shpat_..."'),
            ("[shopify].access_token is still the placeholder 'shpat_...'", "docs/shopify.md"),
        ),
        (
            ('api_token = "shippo_test_0000"', 'api_token = "shippo_test_..."'),
            ("[shippo].api_token is still the placeholder 'shippo_test_...'", "docs/shippo.md"),
        ),
        (
            ("[shippo]", '[email]\nsender = "smtp"\nfrom_address = "orders@example.com"\n[shippo]'),
            ("[email].from_address is orders@example.com, a placeholder", "docs/email.md"),
        ),
    ],
    ids=["shop", "shopify-token", "shippo-token", "from-address"],
)
def test_config_check_refuses_the_placeholders_of_the_example(
    tmp_path: Path, change: tuple[str, str], needles: tuple[str, ...]
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, str(path), *needles)


@pytest.mark.parametrize(
    ("key", "line", "placeholder"),
    [
        ("[shopify].shop", 'shop = "bright-minds.myshopify.com"', "your-shop.myshopify.com"),
        ("[shopify].access_token", 'access_token = "shpat-test-token-value"', "shpat_xxxxxxxx"),
        ("[shopify].access_token", 'access_token = "shpat-test-token-value"', "<your token>"),
        ("[shippo].api_token", 'api_token = "shippo_test_0000"', "shippo_test_xxx"),
        ("[shippo].api_token", 'api_token = "shippo_test_0000"', "shippo_live_YOUR_TOKEN"),
        ("[shippo].api_token", 'api_token = "shippo_test_0000"', "shippo_live_********"),
    ],
)
def test_config_check_refuses_the_placeholders_of_guides(
    tmp_path: Path, key: str, line: str, placeholder: str
) -> None:
    name = line.split(" = ")[0]
    path = write(tmp_path, GOOD.replace(line, f'{name} = "{placeholder}"'))
    result = run_packdesk("--config", str(path), "config", "check")
    assert_one_sentence(result, str(path), f"{key} is still", placeholder, "packdesk setup")


def test_doctor_names_a_placeholder_too(tmp_path: Path) -> None:
    nowhere = "http://127.0.0.1:9"  # the discard port: nothing answers, nothing leaves
    text = GOOD.replace("bright-minds.myshopify.com", "example.myshopify.com")
    text = text.replace("[shippo]", f'endpoint = "{nowhere}"\n[shippo]\nendpoint = "{nowhere}"')
    path = write(tmp_path, text)
    result = run_packdesk("--config", str(path), "doctor")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"[FAIL] config: {path}: [shopify].shop is still example.myshopify.com")


def test_missing_config_file_named_explicitly(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = run_packdesk("--config", str(missing), "config", "check")
    assert_one_sentence(result, str(missing), "no such config file", "config.example.toml")


def test_environment_overrides_a_key_with_double_underscore(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    result = run_packdesk(
        "--config", str(path), "config", "check",
        env={"PACKDESK_SYNC__ORDERS_EVERY_S": "often"},
    )  # fmt: skip
    assert_one_sentence(result, "[sync].orders_every_s", "'often'")


def test_config_path_from_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "\nbogus = 1\n")
    result = run_packdesk("config", "check", env={"PACKDESK_CONFIG": str(path)})
    assert_one_sentence(result, str(path), "line 14", "unknown key [shippo].bogus")


@pytest.mark.parametrize("path", ["config.example.toml"])
def test_example_config_is_valid_and_documents_every_key(path: str) -> None:
    from packdesk.settings import Settings, load_settings

    example = Path(__file__).resolve().parents[3] / path
    settings = load_settings(example)
    text = example.read_text()
    for name, field in Settings.model_fields.items():
        if name == "source_path":
            continue
        assert f"[{name}]" in text or f"[[{name}]]" in text, f"section {name} undocumented"
        section = getattr(settings, name)
        fields = getattr(type(section), "model_fields", {}) if not isinstance(section, list) else {}
        for key in fields:
            assert f"\n{key} = " in text or f"\n# {key} = " in text, f"[{name}].{key} undocumented"
        assert field.description or name in ("printers", "boxes", "keys") or fields


@pytest.mark.parametrize("command", [["daemon"], ["run"]])
def test_a_printer_config_mistake_is_one_sentence_for_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    path = write(
        tmp_path,
        GOOD + '\n[[printers]]\nname = "zebra"\nkind = "zpl"\nrole = "slip"\n'
        'target = "tcp://127.0.0.1:9100"\n',
    )
    result = run_packdesk("--config", str(path), *command)
    assert_one_sentence(result, str(path), "Printer zebra", "not ZPL")
