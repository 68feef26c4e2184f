"""The Admin GraphQL endpoint: versions, auth and scopes, parse/validate cache, cost and
throttling, execution.

Answers look like Shopify's: every answer names the API version it was answered with in
`X-Shopify-API-Version` (versions.py: a retired version is answered as the oldest supported
one); HTTP 401 with a plain `errors` string for a bad token; HTTP 200 with `errors` for
GraphQL problems (including THROTTLED, MAX_COST_EXCEEDED and ACCESS_DENIED); and
`extensions.cost` on every answer that got past auth. A query that selects a deprecated
field is answered with `X-Shopify-API-Deprecated-Reason`.

`mutation_delay_ms` makes mutations take that long to process after they are accepted,
with their idempotency keys held meanwhile (how a concurrent repeat meets
IDEMPOTENCY_CONCURRENT_REQUEST).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
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
    extend_schema,
    parse,
    validate,
)
from graphql.validation import NoDeprecatedCustomRule
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from packdesk.sandbox.shopify import versions
from packdesk.sandbox.shopify.access import Tokens
from packdesk.sandbox.shopify.call import Call, Services
from packdesk.sandbox.shopify.cost import MAX_QUERY_COST, CostModel, LeakyBucket
from packdesk.sandbox.shopify.fastexec import Compiler, Fallback, OperationPlan, Runner
from packdesk.sandbox.shopify.idempotency import claims_of
from packdesk.sandbox.shopify.resolvers import bind
from packdesk.sandbox.shopify.store import ShopState

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
DEPRECATION_DOCS = "https://shopify.dev/api/usage/versioning#deprecation-practices"
_MAX_COST_TEXT = (
    "Query cost is {cost}, which exceeds the single query max cost limit ({max}).\n\n"
    "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"
    "cost of a query is calculated.\n\n"
    "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"
    "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n"
)


def load_schema() -> GraphQLSchema:
    """The sandbox's subset of Shopify's Admin schema, with what later versions added
    (no resolvers yet)."""
    here = resources.files("packdesk.sandbox.shopify")
    base = build_schema(here.joinpath("schema.graphql").read_text())
    return extend_schema(base, parse(here.joinpath("schema_2026.graphql").read_text()))


@dataclass
class Prepared:
    """A query string parsed and validated once, reused for every request that sends it."""

    document: DocumentNode | None
    errors: list[dict[str, Any]]
    operations: dict[str | None, OperationDefinitionNode] = field(default_factory=dict)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    plans: dict[int, OperationPlan | None] = field(default_factory=dict)
    deprecated: bool = False  # selects a field Shopify marks @deprecated


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
        self,
        state: ShopState,
        tokens: Tokens,
        resolvers: dict[str, dict[str, Callable[..., Any]]],
        bucket: LeakyBucket,
        services: Services,
        api_now: Callable[[], datetime],
    ) -> None:
        self.state = state
        self.tokens = tokens
        self.services = services
        self.api_now = api_now  # the day whose API versions are served
        self.schema = load_schema()
        bind(self.schema, resolvers)
        self.bucket = bucket
        self.stats = Stats()
        self.mutation_delay_ms = 0
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
            got.deprecated = not errors and bool(
                validate(self.schema, doc, [NoDeprecatedCustomRule])
            )
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

    def call(self, scopes: frozenset[str] | None = None, version: str | None = None) -> Call:
        """A request's context: the default token's scopes and version unless given."""
        default = self.tokens.scopes(self.tokens.default_token)
        assert default is not None
        return Call(
            self.state,
            version or versions.resolve(self.services.default_version, self.api_now()),
            scopes if scopes is not None else default,
            self.services,
        )

    async def handle(self, request: Request) -> Response:
        """The HTTP handler for POST /admin/api/{version}/graphql.json."""
        version = versions.resolve(request.path_params["version"], self.api_now())
        headers = {"X-Shopify-API-Version": version}
        scopes = self.tokens.scopes(request.headers.get("x-shopify-access-token"))
        if scopes is None:
            self.stats.unauthorized += 1
            return JSONResponse({"errors": INVALID_TOKEN}, status_code=401, headers=headers)
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        call = self.call(scopes, version)
        call.base_url = str(request.base_url).rstrip("/")
        if self.mutation_delay_ms:
            call.claimed = self._claim(body)
            if call.claimed:
                await asyncio.sleep(self.mutation_delay_ms / 1000)
        try:
            status, answer = self.run(body, call)
        finally:
            for key in call.claimed:
                self.services.idempotency.release(key)
        query = body.get("query") if isinstance(body, dict) else None
        if isinstance(query, str) and self.prepare(query).deprecated:
            headers["X-Shopify-API-Deprecated-Reason"] = DEPRECATION_DOCS
        return Response(
            json.dumps(answer, separators=(",", ":"), check_circular=False),
            status_code=status,
            media_type="application/json",
            headers=headers,
        )

    def run(self, body: Any, call: Call | None = None) -> tuple[int, dict[str, Any]]:
        """Execute one request body; returns (HTTP status, JSON answer)."""
        call = call or self.call()
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
        with self.state.lock, self.state.action():
            fast = self._run_fast(prepared, op, variables, call)
            if fast is not None:
                answer["data"], actual = fast
            else:
                result = self._execute(prepared, op, variables, call)
                if result.errors:
                    answer["errors"] = [e.formatted for e in result.errors]
                answer["data"] = result.data
                actual = (
                    requested
                    if op.operation.value == "mutation"
                    else model.operation(op, result.data or {})
                )
        if actual > requested:
            self.bucket.charge(actual - requested)
            requested = actual
        self.bucket.refund(requested - actual)
        answer["extensions"] = self._cost(requested, actual)
        return 200, answer

    def _claim(self, body: Any) -> set[str]:
        """Hold the idempotency keys of a mutation that is about to be processed slowly."""
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return set()
        prepared = self.prepare(body["query"])
        op = None if prepared.errors else self._operation(prepared, body.get("operationName"))
        if op is None or op.operation.value != "mutation":
            return set()
        variables = body.get("variables")
        return claims_of(
            self.schema,
            self.services.idempotency,
            op,
            variables if isinstance(variables, dict) else {},
        )

    @staticmethod
    def _operation(prepared: Prepared, name: Any) -> OperationDefinitionNode | None:
        if isinstance(name, str) and name in prepared.operations:
            return prepared.operations[name]
        if len(prepared.operations) == 1:
            return next(iter(prepared.operations.values()))
        return None

    def _run_fast(
        self, prepared: Prepared, op: OperationDefinitionNode, variables: Any, call: Call
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
                plan, self.schema, call, variables if isinstance(variables, dict) else {}
            )
            data = runner.run()
        except Fallback:
            self.stats.fallbacks += 1
            return None
        self.stats.fast_path += 1
        return data, runner.cost

    def _execute(
        self, prepared: Prepared, op: OperationDefinitionNode, variables: Any, call: Call
    ) -> ExecutionResult:
        assert prepared.document is not None
        result = execute(
            self.schema,
            prepared.document,
            context_value=call,
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
