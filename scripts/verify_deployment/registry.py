"""The checks, in the order a client discovers a server (MCP authorization, RFC 9728, RFC 8414).

Each check module has `run(report, deployment)`: it decides for itself whether it applies (the
certificate only over https, the metadata checks only once an issuer was advertised, the round trip
only with --client-credentials-from, ...) and records what later checks need on the deployment. The
first check is a gate: when the server cannot be reached, or answers for another host name, every
later check would only misread that same answer, so nothing else runs.

To add a check: a module in checks/ with its `run`, placed here where a client would meet it, its FAIL
and WARN identifiers documented in docs/deployment.md section 7 (a test keeps the two in sync), and its
unit tests in tests/scripts/verify_deployment/checks/.
"""

from __future__ import annotations

from collections.abc import Callable

from .checks import (
    authorization_server,
    built_in_endpoints,
    capabilities,
    certificate,
    protected_resource,
    public,
    reachable,
    registration,
    round_trip,
    status_data,
    token_claims,
    unauthenticated_mcp,
)
from .deployment import Deployment
from .report import Report

# After the gate (reachable.run), in this order.
CHECKS: tuple[Callable[[Report, Deployment], None], ...] = (
    public.run,  # 1. a WARN for loopback and private addresses
    certificate.run,  # 1. trusted, for this name, days left (https only)
    status_data.run,  # 1. the MCP server answers, the data key, today's quota
    protected_resource.run,  # 2. the resource document and the issuer it names
    authorization_server.run,  # 3. that issuer's metadata, and its issuer matching exactly
    capabilities.run,  # 5. PKCE S256, the endpoints, dynamic client registration
    built_in_endpoints.run,  # 6. the built-in server: every advertised endpoint answers
    registration.run,  # 5. one test registration as ChatGPT makes it (not with --skip-dcr)
    round_trip.run,  # 6. --client-credentials-from: authorize, token, /mcp, refresh
    unauthenticated_mcp.run,  # 4. POST /mcp without a token: 401 and the challenge
    token_claims.run,  # 7. --token: its claims, then tools/list with it
)


def run_checks(report: Report, deployment: Deployment) -> None:
    if not reachable.run(report, deployment):
        return  # every later check would misread the same answer
    for check in CHECKS:
        check(report, deployment)
