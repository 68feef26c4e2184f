"""The local sandbox (Shopify, Shippo and email on loopback) that `packdesk demo` and
`packdesk sandbox` start; the CLI reaches it only through bootstrap."""

from __future__ import annotations

from packdesk.sandbox.faults import FaultSpecError, parse_spec
from packdesk.sandbox.server import (
    DEMO_FBA_REPORT,
    DEMO_SUPPLIERS,
    SHOPIFY_PLANS,
    SandboxServer,
)

__all__ = [
    "DEMO_FBA_REPORT",
    "DEMO_SUPPLIERS",
    "SHOPIFY_PLANS",
    "FaultSpecError",
    "SandboxServer",
    "parse_spec",
]
