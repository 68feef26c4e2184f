"""Logs go to a rotating file under data_dir, and no configured secret ever reaches them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from packdesk.logs import setup_logging

SECRETS = ["shpat-real-looking-token-1234", "shippo_test_abcdef123456", "smtp-p4ssword"]


@pytest.fixture
def log_path(tmp_path: Path) -> Iterator[Path]:
    path = setup_logging(tmp_path, SECRETS, level="DEBUG")
    yield path
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_packdesk", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text()


def test_log_file_lives_under_data_dir(log_path: Path, tmp_path: Path) -> None:
    logging.getLogger("packdesk.test").info("station CA-1 started")
    assert log_path == tmp_path / "logs" / "packdesk.log"
    assert "station CA-1 started" in read(log_path)


def test_secrets_are_redacted_from_messages_arguments_and_tracebacks(log_path: Path) -> None:
    log = logging.getLogger("packdesk.test")
    log.info("calling Shopify with token %s", SECRETS[0])
    log.warning(f"header Authorization: ShippoToken {SECRETS[1]}")
    try:
        raise RuntimeError(f"SMTP login failed for password {SECRETS[2]}")
    except RuntimeError:
        log.exception("email delivery failed")
    text = read(log_path)
    for secret in SECRETS:
        assert secret not in text
    assert text.count("[redacted]") == 3
    assert "email delivery failed" in text
    assert "RuntimeError: SMTP login failed for password [redacted]" in text


def test_verbose_echoes_to_stderr_redacted(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    setup_logging(tmp_path, SECRETS, verbose=True)
    try:
        logging.getLogger("packdesk.test").info("token is %s", SECRETS[0])
        err = capfd.readouterr().err
        assert "token is [redacted]" in err
        assert SECRETS[0] not in err
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_packdesk", False):
                logging.getLogger().removeHandler(handler)
                handler.close()


def test_a_library_that_configured_logging_does_not_print_over_the_tui(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """python-escpos runs logging.basicConfig() on import; packdesk's logging undoes it."""
    import sys

    stray = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(stray)
    path = setup_logging(tmp_path, SECRETS)
    try:
        logging.getLogger("apscheduler.scheduler").warning("Adding job tentatively")
        assert capfd.readouterr().err == ""
        assert "Adding job tentatively" in read(path)
        assert stray not in logging.getLogger().handlers
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_packdesk", False):
                logging.getLogger().removeHandler(handler)
                handler.close()


JOURNAL_CHILD = """
import logging, os, sys
from pathlib import Path
err = Path(sys.argv[1])
stat = os.fstat(2)
if sys.argv[2] == "journal":
    os.environ["JOURNAL_STREAM"] = f"{stat.st_dev}:{stat.st_ino}"
else:
    os.environ["JOURNAL_STREAM"] = f"{stat.st_dev}:{stat.st_ino + 1}"  # another stream's
from packdesk.logs import setup_logging
setup_logging(Path(sys.argv[3]), ["shippo_live_secret123"], level="INFO")
logging.getLogger("packdesk.daemon").debug("a debug line")
logging.getLogger("packdesk.daemon").info("synced with shippo_live_secret123")
"""


@pytest.mark.parametrize("stream", ["journal", "another"])
def test_under_systemd_the_log_also_goes_to_the_journal(tmp_path: Path, stream: str) -> None:
    """A unit's stderr is the journal (systemd says which stream in JOURNAL_STREAM): the log
    goes there too, at the file's level and redacted; a stderr that is not it gets nothing."""
    import subprocess
    import sys

    err = tmp_path / "stderr.txt"
    with err.open("wb") as handle:
        subprocess.run(
            [sys.executable, "-c", JOURNAL_CHILD, str(err), stream, str(tmp_path)],
            stderr=handle,
            check=True,
            timeout=60,
        )
    logged = (tmp_path / "logs" / "packdesk.log").read_text()
    assert "synced with [redacted]" in logged
    echoed = err.read_text()
    if stream == "journal":
        assert "INFO    MainThread packdesk.daemon: synced with [redacted]" in echoed
        assert "a debug line" not in echoed
        assert "secret123" not in echoed
    else:
        assert echoed == ""
