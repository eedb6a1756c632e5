"""Build-time code for the bundled 법정동 snapshot: reading the official sources, checking the lineage table.

Only ``scripts/update-region-codes`` runs it, from a checkout; the MCP server image copies ``mcp_server/``
alone, so none of this ships.
"""
