"""MCP tool registrations, one module per family of tools; each exposes register(server, ...)."""
