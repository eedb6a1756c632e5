"""Failures of the forward_auth room that its callers handle on their own (see auth_gateway/errors.py)."""

from __future__ import annotations

from auth_gateway.errors import GatewayError

__all__ = ["IssuerUnavailable"]


class IssuerUnavailable(GatewayError):
    """The issuer's discovery document or JWKS could not be fetched or understood; cached keys keep
    working, callers log it."""
