"""Bulk operations: `bulkOperationRunQuery`, `bulkOperationCancel`, `currentBulkOperation`,
`node(id:)`, the JSONL download and the `bulk_operations/finish` webhook.

One bulk query runs at a time per shop (a second is refused with OPERATION_IN_PROGRESS). A
run goes CREATED → RUNNING → COMPLETED (or FAILED with an error code, or CANCELED), counting
`objectCount`/`rootObjectCount` as it writes; the file is served at `url`, a signed link that
expires seven days after completion (the operation is then EXPIRED and the link answers as
an expired Google Cloud Storage link does). A run that fails after writing something offers
what it wrote at `partialDataUrl`.

Faults, set through the control API: fail with an error code once some objects are written,
slow each root object down, or expire an operation's link at once.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from packdesk.sandbox.shopify.bulk.validate import BulkQuery, BulkQueryError, check
from packdesk.sandbox.shopify.bulk.writer import Counter, Stopped, Writer
from packdesk.sandbox.shopify.call import Call, call_of
from packdesk.sandbox.shopify.catalog import Node, gid
from packdesk.sandbox.shopify.order_heads import iso as stamp
from packdesk.sandbox.shopify.store import ShopState

log = logging.getLogger(__name__)

RESULTS_KEPT = timedelta(days=7)
ERROR_CODES = ("ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT")
RUNNING = ("CREATED", "RUNNING", "CANCELING")
_EXPIRED_LINK = (
    "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>"
    "<Message>Invalid argument.</Message><Details>The provided token has expired. "
    "Request signature expired at: {at}</Details></Error>"
)


@dataclass
class BulkFaults:
    """What goes wrong with the next bulk runs (all zero: nothing)."""

    error_code: str | None = None  # fail with this code ...
    after_objects: int = 0  # ... once this many objects are written
    object_delay_ms: int = 0  # wait this long after each root object

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> BulkFaults:
        unknown = set(data) - {"error_code", "after_objects", "object_delay_ms"}
        if unknown:
            raise ValueError(
                f"Unknown bulk fault {sorted(unknown)[0]!r}; use error_code, after_objects "
                "or object_delay_ms."
            )
        code = data.get("error_code")
        if code is not None and code not in ERROR_CODES:
            raise ValueError(f"Unknown error_code {code!r}; use one of {', '.join(ERROR_CODES)}.")
        return cls(code, int(data.get("after_objects", 0)), int(data.get("object_delay_ms", 0)))


@dataclass
class Operation:
    node: Node
    number: int
    secret: str = field(default_factory=lambda: secrets.token_hex(12))
    cancel: threading.Event = field(default_factory=threading.Event)
    completed: datetime | None = None
    expired_by_hand: bool = False
    path: Path | None = None


class BulkOperations:
    """The shop's bulk query operations and their files."""

    def __init__(self, state: ShopState, now: Callable[[], datetime]) -> None:
        self.state = state
        self.now = now
        self.schema: GraphQLSchema | None = None
        self.faults = BulkFaults()
        self._lock = threading.Lock()
        self._ops: dict[str, Operation] = {}
        self._latest: Operation | None = None
        self._dir: Path | None = None  # made on the first run
        self._threads: list[threading.Thread] = []

    # ------------------------------------------------------------------ GraphQL

    def run_query(
        self, _: Any, info: GraphQLResolveInfo, query: str, groupObjects: bool = True
    ) -> Node:
        call = call_of(info)
        assert self.schema is not None
        with self._lock:
            latest = self._latest
            if latest is not None and latest.node["status"] in RUNNING:
                return _refusal(
                    "OPERATION_IN_PROGRESS",
                    "A bulk query operation for this app and shop is already in progress: "
                    f"{latest.node['id']}.",
                )
            try:
                parsed = check(self.schema, query)
            except BulkQueryError as exc:
                return _refusal("INVALID", str(exc), ["query"])
            number = self.state.new_id()
            op = Operation(
                {
                    "id": gid("BulkOperation", number),
                    "status": "CREATED",
                    "errorCode": None,
                    "createdAt": stamp(self.now().timestamp()),
                    "completedAt": None,
                    "objectCount": "0",
                    "rootObjectCount": "0",
                    "fileSize": None,
                    "url": None,
                    "partialDataUrl": None,
                    "query": query,
                    "type": "QUERY",
                },
                number,
            )
            self._ops[op.node["id"]] = op
            self._latest = op
        worker = threading.Thread(
            target=self._run, args=(op, parsed, call), name="shopify-bulk", daemon=True
        )
        self._threads.append(worker)
        worker.start()
        return {"bulkOperation": op.node, "userErrors": []}

    def cancel(self, _: Any, info: GraphQLResolveInfo, id: str) -> Node:
        op = self._ops.get(id)
        if op is None:
            return {
                "bulkOperation": None,
                "userErrors": [{"field": ["id"], "message": "Bulk operation does not exist"}],
            }
        status = op.node["status"]
        if status not in ("CREATED", "RUNNING"):
            return {
                "bulkOperation": self.refresh(op),
                "userErrors": [
                    {
                        "field": None,
                        "message": "A bulk operation cannot be canceled when it is "
                        f"{status.lower()}",
                    }
                ],
            }
        op.cancel.set()
        op.node["status"] = "CANCELING"
        return {"bulkOperation": op.node, "userErrors": []}

    def current(self, _: Any, info: GraphQLResolveInfo, type: str = "QUERY") -> Node | None:
        latest = self._latest
        if type != "QUERY" or latest is None:
            return None
        return self.refresh(latest)

    def node(self, id_: str) -> Node | None:
        op = self._ops.get(id_)
        return self.refresh(op) if op is not None else None

    def resolvers(self) -> dict[str, dict[str, Callable[..., Any]]]:
        return {
            "QueryRoot": {"currentBulkOperation": self.current},
            "Mutation": {
                "bulkOperationRunQuery": self.run_query,
                "bulkOperationCancel": self.cancel,
            },
        }

    # ------------------------------------------------------------------ running

    def _run(self, op: Operation, query: BulkQuery, call: Call) -> None:
        assert self.schema is not None
        op.node["status"] = "RUNNING"
        with self._lock:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="packdesk-sandbox-bulk-"))
        op.path = self._dir / f"{op.number}-{op.secret}.jsonl"
        faults = self.faults
        counter = Counter()
        error: str | None = None
        try:
            with op.path.open("w", encoding="utf-8") as out:
                writer = Writer(self.schema, query, call, out, lambda c: self._check(op, faults, c))
                counter = writer.count
                writer.run()
        except Stopped as stop:
            error = str(stop)
        except GraphQLError as exc:
            error = str((exc.extensions or {}).get("code") or "INTERNAL_SERVER_ERROR")
            if error != "ACCESS_DENIED":
                error = "INTERNAL_SERVER_ERROR"
        except Exception:
            log.exception("bulk operation %s failed", op.node["id"])
            error = "INTERNAL_SERVER_ERROR"
        self._finish(op, counter, error, call.base_url)

    def _check(self, op: Operation, faults: BulkFaults, counter: Counter) -> None:
        op.node["objectCount"] = str(counter.objects)
        op.node["rootObjectCount"] = str(counter.roots)
        if faults.object_delay_ms:
            time.sleep(faults.object_delay_ms / 1000)
        if op.cancel.is_set():
            raise Stopped("CANCELED")
        if faults.error_code is not None and counter.objects >= faults.after_objects:
            raise Stopped(faults.error_code)

    def _finish(self, op: Operation, counter: Counter, error: str | None, base_url: str) -> None:
        assert op.path is not None
        now = self.now()
        op.node.update(
            objectCount=str(counter.objects),
            rootObjectCount=str(counter.roots),
            completedAt=stamp(now.timestamp()),
        )
        if error is None:
            op.completed = now
            op.node.update(
                status="COMPLETED",
                fileSize=str(op.path.stat().st_size),
                url=self._link(op, base_url, now) if counter.objects else None,
            )
        elif error == "CANCELED":
            op.node.update(status="CANCELED", completedAt=None)
        else:
            op.completed = now
            op.node.update(
                status="FAILED",
                errorCode=error,
                partialDataUrl=self._link(op, base_url, now) if counter.objects else None,
            )
        payload = {
            "admin_graphql_api_id": op.node["id"],
            "completed_at": _rest_time(op.node["completedAt"]),
            "created_at": _rest_time(op.node["createdAt"]),
            "error_code": error.lower() if error and error != "CANCELED" else None,
            "status": op.node["status"].lower(),
            "type": "query",
        }
        with self.state.lock, self.state.action():
            self.state.emit("bulk_operations/finish", payload)

    def _link(self, op: Operation, base_url: str, at: datetime) -> str:
        expires = int((at + RESULTS_KEPT).timestamp())
        signature = secrets.token_urlsafe(24)
        return f"{base_url}/bulk/{op.path.name if op.path else ''}?Expires={expires}&Signature={signature}"

    def refresh(self, op: Operation) -> Node:
        """The operation as it stands now: EXPIRED once its results are gone."""
        if op.node["status"] == "COMPLETED" and self._expired(op):
            op.node["status"] = "EXPIRED"
        return op.node

    def _expired(self, op: Operation) -> bool:
        return op.expired_by_hand or (
            op.completed is not None and self.now() >= op.completed + RESULTS_KEPT
        )

    # ------------------------------------------------------------------ control and files

    def expire(self, id_: str) -> Node:
        op = self._ops.get(id_) or self._ops.get(
            gid("BulkOperation", int(id_)) if id_.isdigit() else ""
        )
        if op is None:
            raise LookupError(id_)
        op.expired_by_hand = True
        return self.refresh(op)

    def listing(self) -> list[Node]:
        return [self.refresh(op) for op in self._ops.values()]

    def set_faults(self, data: dict[str, Any]) -> dict[str, Any]:
        self.faults = BulkFaults.from_mapping(data)
        return asdict(self.faults)

    def routes(self) -> list[BaseRoute]:
        async def download(request: Request) -> Response:
            name = request.path_params["name"]
            op = next((o for o in self._ops.values() if o.path and o.path.name == name), None)
            if op is None or op.path is None or not op.path.exists():
                return Response(
                    "<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code>"
                    "<Message>The specified key does not exist.</Message></Error>",
                    status_code=404,
                    media_type="application/xml",
                )
            if self._expired(op):
                at = stamp(
                    (op.completed + RESULTS_KEPT if op.completed else self.now()).timestamp()
                )
                return Response(
                    _EXPIRED_LINK.format(at=at), status_code=400, media_type="application/xml"
                )
            return FileResponse(op.path, media_type="application/jsonl")

        return [Route("/bulk/{name}", download, methods=["GET"])]

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no bulk operation runs (for tests)."""
        end = time.monotonic() + timeout
        for worker in list(self._threads):
            worker.join(max(0.0, end - time.monotonic()))
        return all(not w.is_alive() for w in self._threads)

    def reset(self) -> None:
        self.faults = BulkFaults()
        for op in self._ops.values():
            op.cancel.set()

    def close(self) -> None:
        for op in self._ops.values():
            op.cancel.set()
        self.wait_idle(10)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


def _refusal(code: str, message: str, path: list[str] | None = None) -> Node:
    return {
        "bulkOperation": None,
        "userErrors": [{"field": path, "message": message, "code": code}],
    }


def _rest_time(value: str | None) -> str | None:
    return value.replace("Z", "+00:00") if value else None
