"""Background work: the APScheduler scheduler and the event bus between jobs and the TUI."""
