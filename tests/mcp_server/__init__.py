"""Tests of mcp_server, mirroring its modules."""
