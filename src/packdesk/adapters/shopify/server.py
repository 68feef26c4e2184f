"""Serving the webhook receiver with uvicorn, in the foreground or on a background thread."""

from __future__ import annotations

import threading
import time

import uvicorn
from starlette.applications import Starlette


class ReceiverServer:
    """uvicorn serving `app` on host:port (port 0 picks a free one)."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 8787) -> None:
        self.config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(self.config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        sockets = self.server.servers[0].sockets if self.server.servers else []
        return int(sockets[0].getsockname()[1]) if sockets else self.config.port

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> str:
        """Serve on a background thread; returns the base URL once it listens."""
        self._thread = threading.Thread(target=self.server.run, name="webhooks", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError(
                    f"The webhook receiver could not listen on {self.config.host}:"
                    f"{self.config.port}; is the port in use? Set [webhooks].port."
                )
            time.sleep(0.01)
        return self.url

    def serve_forever(self) -> None:
        """Serve in this thread until SIGINT/SIGTERM (uvicorn handles the signals)."""
        self.server.run()

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
