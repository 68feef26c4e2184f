"""The background scheduler: intervals, one instance at a time, run now, shutdown."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent

from packdesk.jobs.scheduler import Scheduler


class FinishedRuns:
    """The runs the scheduler has finished, by job. APScheduler reports a run after it has
    released the job's one instance, so a `run_now` after that report is never skipped."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.runs: Counter[str] = Counter()
        self._changed = threading.Condition()
        # The APScheduler inside: its listeners are how a run's end is observed.
        scheduler._scheduler.add_listener(self._finished, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _finished(self, event: JobExecutionEvent) -> None:
        with self._changed:
            self.runs[event.job_id] += 1
            self._changed.notify_all()

    def wait_for(self, name: str, runs: int) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self.runs[name] >= runs, timeout=10)
            assert self.runs[name] >= runs, f"{name} finished {self.runs[name]} runs, not {runs}"


def test_jobs_run_at_start_and_on_run_now() -> None:
    runs: list[str] = []
    scheduler = Scheduler()
    scheduler.add_interval("sync_orders", lambda: runs.append("orders"), 3600)
    scheduler.add_interval("later", lambda: runs.append("later"), 3600, start_now=False)
    finished = FinishedRuns(scheduler)
    scheduler.start()
    try:
        finished.wait_for("sync_orders", 1)
        scheduler.run_now("sync_orders")
        finished.wait_for("sync_orders", 2)
        assert runs == ["orders", "orders"]
        scheduler.run_now("later")
        finished.wait_for("later", 1)
        assert runs.count("later") == 1
    finally:
        scheduler.shutdown()
    assert not scheduler.running


def test_a_job_never_runs_twice_at_once() -> None:
    running = 0
    most = 0
    lock = threading.Lock()
    started = threading.Event()
    release = threading.Event()

    def slow() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        started.set()
        release.wait(5)
        with lock:
            running -= 1

    scheduler = Scheduler()
    scheduler.add_interval("slow", slow, 1)
    finished = FinishedRuns(scheduler)
    scheduler.start()
    try:
        assert started.wait(10)
        for _ in range(5):
            scheduler.run_now("slow")
            time.sleep(0.02)  # five separate requests while the first run holds the job
        release.set()
        finished.wait_for("slow", 1)
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
    finished = FinishedRuns(scheduler)
    scheduler.start()
    try:
        finished.wait_for("broken", 1)
        scheduler.run_now("broken")
        finished.wait_for("broken", 2)
        assert len(calls) == 2
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
