"""Tests of mcp_server.applyhome."""
