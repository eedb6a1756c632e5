"""MCP Apps views (extension ``io.modelcontextprotocol/ui``): charts a host draws in the conversation.

A host that supports the extension reads a tool's ``_meta.ui.resourceUri``, fetches that ``ui://``
resource (an HTML document of mimeType ``text/html;profile=mcp-app``), renders it in a sandboxed iframe
and hands it the tool's result over ``postMessage``. Hosts without it show the text result as before.
``views`` assembles and registers the documents; ``static/`` holds their sources.
"""
