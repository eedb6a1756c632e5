"""GET /healthz, and the status page at / (with /status.json for verify-deployment)."""
