"""Everything between the tools and the network: the pooled HTTP client with its retry policy, log and
message redaction, paging, and the data.go.kr answer formats mapped to ``mcp_server.errors``."""
