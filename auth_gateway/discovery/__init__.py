"""The OAuth discovery documents: built from the gateway's settings, written for Caddy to serve."""
