"""The background scheduler: intervals, one instance at a time, run now, shutdown."""

from __future__ import annotations

import threading
import time

import pytest

from packdesk.jobs.scheduler import Scheduler


def wait_until(predicate: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_jobs_run_at_start_and_on_run_now() -> None:
    runs: list[str] = []
    scheduler = Scheduler()
    scheduler.add_interval("sync_orders", lambda: runs.append("orders"), 3600)
    scheduler.add_interval("later", lambda: runs.append("later"), 3600, start_now=False)
    scheduler.start()
    try:
        wait_until(lambda: runs.count("orders") == 1)
        time.sleep(0.3)  # let the first run finish: a job never starts while it runs
        scheduler.run_now("sync_orders")
        wait_until(lambda: runs.count("orders") == 2)
        assert "later" not in runs
        scheduler.run_now("later")
        wait_until(lambda: "later" in runs)
    finally:
        scheduler.shutdown()
    assert not scheduler.running


def test_a_job_never_runs_twice_at_once() -> None:
    running = 0
    most = 0
    lock = threading.Lock()
    release = threading.Event()
    done: list[int] = []

    def slow() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        release.wait(5)
        with lock:
            running -= 1
        done.append(1)

    scheduler = Scheduler()
    scheduler.add_interval("slow", slow, 1)
    scheduler.start()
    try:
        wait_until(lambda: running == 1)
        for _ in range(5):
            scheduler.run_now("slow")
            time.sleep(0.02)
        release.set()
        wait_until(lambda: len(done) >= 1)
    finally:
        scheduler.shutdown()
    assert most == 1


def test_a_failing_job_keeps_its_schedule() -> None:
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise RuntimeError("Shopify did not answer")

    scheduler = Scheduler()
    scheduler.add_interval("broken", broken, 3600)
    scheduler.start()
    try:
        wait_until(lambda: len(calls) == 1)
        time.sleep(0.3)  # let the first run finish: a job never starts while it runs
        scheduler.run_now("broken")
        wait_until(lambda: len(calls) == 2)
    finally:
        scheduler.shutdown()


def test_names_and_errors() -> None:
    scheduler = Scheduler()
    scheduler.add_interval("a", lambda: None, 10, start_now=False)
    assert scheduler.names == ["a"]
    with pytest.raises(ValueError, match="already scheduled"):
        scheduler.add_interval("a", lambda: None, 10)
    with pytest.raises(KeyError, match="jobs: a"):
        scheduler.run_now("b")
    scheduler.shutdown()
