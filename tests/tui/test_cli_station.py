"""`packdesk run` and the desk the container builds from a config file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from packdesk.bootstrap import Container
from packdesk.cli import main
from packdesk.settings import load_settings
from packdesk.tui.app import PackdeskApp


def test_run_needs_tokens_and_says_so(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[station]\ndata_dir = "{tmp_path / "data"}"\n')
    result = CliRunner().invoke(main, ["--config", str(config), "run"])
    assert result.exit_code == 2
    assert "[shopify].access_token is empty" in result.output
    assert "packdesk demo" in result.output


async def test_desk_from_config_with_remapped_keys(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[station]\ndata_dir = "{tmp_path / "data"}"\nname = "PA-2"\nlocation = "PA"\n'
        '[scanner]\nprefix = "]C1"\n[keys]\nundo = "f12"\nbogus = "f11"\n'
    )
    container = Container(load_settings(config))
    desk = container.desk
    assert desk.scanner.prefix == "]C1"
    app = PackdeskApp(desk, status_every_s=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "PA-2 @ PA" in str(app.screen.query_one("StatusBar").render())
        assert any("[keys].bogus is not a key id" in n.message for n in app._notifications)
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys")
        rows = [table.get_row_at(i) for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert ["f12", "undo"] in [[str(r[0]), str(r[1])] for r in rows]
    container.close()


async def test_the_status_bar_says_test_or_live_as_the_shippo_token_is(tmp_path: Path) -> None:
    shown = {}
    for token in ("shippo_test_0a1b", "shippo_live_0a1b"):
        config = tmp_path / f"{token}.toml"
        config.write_text(
            f'[station]\ndata_dir = "{tmp_path / token}"\n[shippo]\napi_token = "{token}"\n'
        )
        with Container(load_settings(config)) as container:
            app = PackdeskApp(container.desk, status_every_s=0)
            async with app.run_test(size=(120, 40)) as pilot:
                bar = app.screen.query_one("StatusBar")
                while bar.report is None:  # type: ignore[attr-defined]
                    await pilot.pause(0.05)
                shown[token] = str(bar.render()).split()[0]
    assert shown == {"shippo_test_0a1b": "TEST", "shippo_live_0a1b": "LIVE"}
