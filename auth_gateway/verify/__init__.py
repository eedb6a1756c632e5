"""GET /verify: Caddy's forward_auth check for every /mcp request, and everything it reads.

Bearer parsing, issuer (JWKS) and own-token checks, the verification cache and the identity headers.
Nothing here imports the authorization server: /verify is the hot path and stays a thin sidecar.
"""
