"""The Admin GraphQL endpoint: auth, parse/validate cache, cost and throttling, execution.

Answers look like Shopify's: HTTP 401 with a plain `errors` string for a bad token; HTTP 200
with `errors` for GraphQL problems (including THROTTLED and MAX_COST_EXCEEDED); and
`extensions.cost` on every answer that got past auth.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from packdesk.sandbox.shopify.cost import MAX_QUERY_COST, CostModel, LeakyBucket
from packdesk.sandbox.shopify.fastexec import Compiler, Fallback, OperationPlan, Runner
from packdesk.sandbox.shopify.resolvers import bind
from packdesk.sandbox.shopify.store import ShopState

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_MAX_COST_TEXT = (
    "Query cost is {cost}, which exceeds the single query max cost limit ({max}).\n\n"
    "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"
    "cost of a query is calculated.\n\n"
    "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"
    "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
)


def load_schema() -> GraphQLSchema:
    """The sandbox's subset of Shopify's Admin schema (no resolvers yet)."""
    text = resources.files("packdesk.sandbox.shopify").joinpath("schema.graphql").read_text()
    return build_schema(text)


@dataclass
class Prepared:
    """A query string parsed and validated once, reused for every request that sends it."""

    document: DocumentNode | None
    errors: list[dict[str, Any]]
    operations: dict[str | None, OperationDefinitionNode] = field(default_factory=dict)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    plans: dict[int, OperationPlan | None] = field(default_factory=dict)


@dataclass
class Stats:
    requests: int = 0
    throttled: int = 0
    unauthorized: int = 0
    max_cost_exceeded: int = 0
    mutations: int = 0
    fast_path: int = 0  # queries answered by fastexec
    fallbacks: int = 0  # queries graphql-core answered (directives, errors, ...)


class GraphQLEndpoint:
    """Runs Admin GraphQL requests against a ShopState."""

    def __init__(
        self, state: ShopState, token: str, mutations: dict[str, Any], bucket: LeakyBucket
    ) -> None:
        self.state = state
        self.token = token
        self.schema = load_schema()
        bind(self.schema, mutations)
        self.bucket = bucket
        self.stats = Stats()
        self.fast = True  # tests turn the fast path off to compare answers
        self._compiler = Compiler(self.schema)
        self._prepared: dict[str, Prepared] = {}
        self._lock = threading.Lock()

    def prepare(self, query: str) -> Prepared:
        """Parse and validate a query string, cached by its text."""
        got = self._prepared.get(query)
        if got is not None:
            return got
        try:
            doc = parse(query)
        except GraphQLError as exc:
            got = Prepared(None, [dict(exc.formatted)])
        else:
            errors = validate(self.schema, doc)
            got = Prepared(doc, [dict(e.formatted) for e in errors])
            for d in doc.definitions:
                if isinstance(d, OperationDefinitionNode):
                    got.operations[d.name.value if d.name else None] = d
                elif isinstance(d, FragmentDefinitionNode):
                    got.fragments[d.name.value] = d
        with self._lock:
            if len(self._prepared) > 512:
                self._prepared.clear()
            self._prepared[query] = got
        return got

    async def handle(self, request: Request) -> Response:
        """The HTTP handler for POST /admin/api/{version}/graphql.json."""
        if request.headers.get("x-shopify-access-token") != self.token:
            self.stats.unauthorized += 1
            return JSONResponse({"errors": INVALID_TOKEN}, status_code=401)
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        status, answer = self.run(body)
        return Response(
            json.dumps(answer, separators=(",", ":"), check_circular=False),
            status_code=status,
            media_type="application/json",
        )

    def run(self, body: Any) -> tuple[int, dict[str, Any]]:
        """Execute one request body; returns (HTTP status, JSON answer)."""
        self.stats.requests += 1
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return 400, {"errors": {"query": "Required parameter missing or invalid"}}
        prepared = self.prepare(body["query"])
        variables = body.get("variables") or {}
        if prepared.errors:
            return 200, {"errors": prepared.errors, "extensions": self._cost(0, 0)}
        op = self._operation(prepared, body.get("operationName"))
        if op is None:
            return 200, {
                "errors": [
                    {
                        "message": "An operation name is required when the "
                        "document has several operations."
                    }
                ],
                "extensions": self._cost(0, 0),
            }
        model = CostModel(
            self.schema, prepared.fragments, variables if isinstance(variables, dict) else {}
        )
        requested = model.operation(op)
        if requested > MAX_QUERY_COST:
            self.stats.max_cost_exceeded += 1
            return 200, {
                "errors": [
                    {
                        "message": _MAX_COST_TEXT.format(cost=requested, max=MAX_QUERY_COST),
                        "extensions": {
                            "code": "MAX_COST_EXCEEDED",
                            "cost": requested,
                            "maxCost": MAX_QUERY_COST,
                        },
                    }
                ],
                "extensions": self._cost(requested, None),
            }
        if not self.bucket.take(requested):
            self.stats.throttled += 1
            return 200, {
                "errors": [
                    {
                        "message": "Throttled",
                        "extensions": {
                            "code": "THROTTLED",
                            "documentation": "https://shopify.dev/api/usage/rate-limits",
                        },
                    }
                ],
                "extensions": self._cost(requested, None),
            }
        if op.operation.value == "mutation":
            self.stats.mutations += 1
        answer: dict[str, Any] = {}
        with self.state.lock:
            fast = self._run_fast(prepared, op, variables)
            if fast is not None:
                answer["data"], actual = fast
            else:
                result = self._execute(prepared, op, variables)
                if result.errors:
                    answer["errors"] = [e.formatted for e in result.errors]
                answer["data"] = result.data
                actual = (
                    requested
                    if op.operation.value == "mutation"
                    else model.operation(op, result.data or {})
                )
        self.bucket.refund(requested - actual)
        answer["extensions"] = self._cost(requested, actual)
        return 200, answer

    @staticmethod
    def _operation(prepared: Prepared, name: Any) -> OperationDefinitionNode | None:
        if isinstance(name, str) and name in prepared.operations:
            return prepared.operations[name]
        if len(prepared.operations) == 1:
            return next(iter(prepared.operations.values()))
        return None

    def _run_fast(
        self, prepared: Prepared, op: OperationDefinitionNode, variables: Any
    ) -> tuple[dict[str, Any], int] | None:
        """(data, actual cost) by the fast path, or None when graphql-core must answer."""
        if not self.fast or op.operation.value != "query":
            return None
        key = id(op)
        if key not in prepared.plans:
            try:
                prepared.plans[key] = self._compiler.compile(op, prepared.fragments)
            except Fallback:
                prepared.plans[key] = None
        plan = prepared.plans[key]
        if plan is None:
            self.stats.fallbacks += 1
            return None
        try:
            runner = Runner(
                plan, self.schema, self.state, variables if isinstance(variables, dict) else {}
            )
            data = runner.run()
        except Fallback:
            self.stats.fallbacks += 1
            return None
        self.stats.fast_path += 1
        return data, runner.cost

    def _execute(
        self, prepared: Prepared, op: OperationDefinitionNode, variables: Any
    ) -> ExecutionResult:
        assert prepared.document is not None
        result = execute(
            self.schema,
            prepared.document,
            context_value=self.state,
            variable_values=variables if isinstance(variables, dict) else None,
            operation_name=op.name.value if op.name else None,
        )
        assert isinstance(result, ExecutionResult)
        return result

    def _cost(self, requested: int, actual: int | None) -> dict[str, Any]:
        """extensions.cost; actualQueryCost is null when the query did not run."""
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": self.bucket.status(),
            }
        }
