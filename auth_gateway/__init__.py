"""The auth sidecar Caddy asks (forward_auth) before any /mcp request reaches the MCP server."""
