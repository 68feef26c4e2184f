"""The background jobs of packdesk: one APScheduler `BackgroundScheduler` for the TUI and
the daemon alike.

Jobs run in a thread pool, at most one instance of each at a time (`max_instances=1`), and
missed runs collapse into one (`coalesce=True`): a sync that takes longer than its interval
is not stacked up. The scheduler only schedules: which jobs a process runs, and how often,
is decided in bootstrap from Settings (`packdesk.jobs.tasks` holds the jobs themselves).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from packdesk.jobs.tasks import Job

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, *, workers: int = 4) -> None:
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=workers)},
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
            timezone=UTC,
        )
        self._names: list[str] = []

    def add(self, job: Job) -> None:
        """Run `job` every `job.every_s` seconds, the first time as soon as the scheduler starts."""
        self.add_interval(job.name, job.run, job.every_s)

    def add_interval(
        self,
        name: str,
        func: Callable[[], object],
        seconds: float,
        *,
        start_now: bool = True,
    ) -> None:
        """Run `func` every `seconds` (first run at start when `start_now`)."""
        if name in self._names:
            raise ValueError(f"A job named {name!r} is already scheduled.")
        self._scheduler.add_job(
            _logged(name, func),
            "interval",
            seconds=max(1.0, float(seconds)),
            id=name,
            name=name,
            next_run_time=datetime.now(UTC) if start_now else None,
            replace_existing=False,
        )
        if not start_now:
            job = self._scheduler.get_job(name)
            job.resume()  # paused by next_run_time=None: schedule its first interval
        self._names.append(name)

    def run_now(self, name: str) -> None:
        """Run job `name` as soon as a worker is free (it still never runs twice at once)."""
        job = self._scheduler.get_job(name)
        if job is None:
            raise KeyError(f"No job named {name!r}; jobs: {', '.join(self._names) or 'none'}.")
        job.modify(next_run_time=datetime.now(UTC))
        if self._scheduler.running:
            self._scheduler.wakeup()

    @property
    def names(self) -> list[str]:
        return list(self._names)

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop scheduling; with `wait`, let running jobs finish (a page being stored)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)


def _logged(name: str, func: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            func()
        except Exception:  # a job's failure is logged; the next interval tries again
            log.exception("job %s failed", name)

    run.__name__ = name
    return run
