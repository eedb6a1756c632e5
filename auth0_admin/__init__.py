"""Operator commands for the Auth0 tenant (scripts/auth0-setup, scripts/auth0-access).

No service imports this package, and no service image installs its dependencies (the `ops` extra).
"""
